import { describe, expect, it } from 'vitest'
import { contract, type CommandName, type ResultOf } from '../../src/shared/contract'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { Decimal } from '../../src/shared/decimal/decimal'
import { intentOrderId } from '../../src/main/runner/service'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const

async function call<N extends CommandName>(engine: Engine, name: N, params: unknown): Promise<ResultOf<N>> {
  const res = await engine.registry.invoke(name, params, ctx)
  if (!res.ok) throw new Error(`${name}: ${res.error.message}`)
  return (contract[name] as unknown as { result: { parse(v: unknown): ResultOf<N> } }).result.parse(res.value)
}

/**
 * Trades the strategy runner placed (client order ids `sr-<runId>-...`, runs and intents as
 * migration 0022 stores them) name their strategy and, when a run's intent closed them, the
 * exit reason `strategy` (or the intent's own stop-loss / take-profit); orders placed by hand
 * stay `manual`. Real engine, real database file, real paper fills on the demo market.
 */
describe('journal: trades placed by the strategy runner', () => {
  it('show the strategy and the exit reason, survive a rebuild and a restart, and filter by strategy; P&L in the account currency', async () => {
    const dir = tempDir()
    let engine = createEngine({ dataDir: dir, host: 'headless', log: silentLogger })
    try {
      const now = Date.now()
      engine.db
        .prepare(
          `INSERT INTO strategy_runs (id, strategy_id, params, account_id, source, symbol, timeframe, allocation,
             state, started_at, updated_at)
           VALUES ('r1', 'sma-cross', '{}', 'demo-paper', 'demo', 'BTC/USDT', '1m', '1000', 'running', ?, ?)`,
        )
        .run(now, now)
      const intent = engine.db.prepare(
        `INSERT INTO strategy_intents (run_id, bar_time, seq, client_order_id, kind, reason, request, status,
           created_at, updated_at) VALUES ('r1', ?, 0, ?, ?, ?, '{}', 'sent', ?, ?)`,
      )
      const base = { accountId: 'demo-paper', symbol: 'BTC/USDT', type: 'market' }
      const runnerOrder = async (
        bar: number,
        side: 'buy' | 'sell',
        amount: string,
        kind: string,
        reason: string | null,
      ) => {
        const id = intentOrderId('r1', bar, 0)
        intent.run(bar, id, kind, reason, now, now)
        await call(engine, 'trading.placeOrder', { ...base, side, amount, clientOrderId: id })
      }
      // 1: the run buys, and its signal closes (the paper fee of a buy is paid in BTC: 0.00999 held).
      await runnerOrder(1, 'buy', '0.01', 'market', null)
      await runnerOrder(2, 'sell', '0.00999', 'close', 'signal')
      // 2: the run buys, and its stop-loss closes.
      await runnerOrder(3, 'buy', '0.01', 'market', null)
      await runnerOrder(4, 'sell', '0.00999', 'close', 'stop_loss')
      // 3: the trader's own trade.
      await call(engine, 'trading.placeOrder', { ...base, side: 'buy', amount: '0.01' })
      await call(engine, 'trading.placeOrder', { ...base, side: 'sell', amount: '0.00999' })

      const check = async () => {
        const { trades } = await call(engine, 'journal.list', { sort: { column: 'entryTime', dir: 'asc' } })
        expect(trades.map((t) => [t.strategy, t.exitReason])).toEqual([
          ['sma-cross', 'strategy'],
          ['sma-cross', 'stop-loss'],
          ['manual', 'manual'],
        ])
        const byStrategy = await call(engine, 'journal.list', { filter: { strategy: 'sma-cross' } })
        expect(byStrategy.trades).toHaveLength(2)
        const manual = await call(engine, 'journal.list', { filter: { strategy: 'manual' } })
        expect(manual.trades).toHaveLength(1)
        const stats = await call(engine, 'journal.analytics', { timeZone: 'UTC' })
        expect(stats.byStrategy.map((b) => [b.key, b.count])).toEqual(
          expect.arrayContaining([
            ['sma-cross', 2],
            ['manual', 1],
          ]),
        )
      }
      await check()
      expect(await call(engine, 'journal.rebuild', {})).toMatchObject({ trades: 3, fills: 6 })
      await check()
      // P&L in the account's currency: USDT (the demo paper account's) is the quote, so the same.
      for (const t of (await call(engine, 'journal.list', {})).trades)
        expect(t.accountPnl).toEqual({
          currency: 'USDT',
          rate: '1',
          grossPnl: t.grossPnl,
          netPnl: t.netPnl,
          note: null,
        })
      // Counted in EUR (the risk settings' currency): at the demo market's EUR/USDT close at the exit.
      await call(engine, 'risk.setLimits', { scope: 'demo-paper', limits: { currency: 'EUR' } })
      await call(engine, 'journal.rebuild', {})
      for (const t of (await call(engine, 'journal.list', {})).trades) {
        const a = t.accountPnl!
        expect(a).toMatchObject({ currency: 'EUR', note: null })
        expect(Number(a.rate)).toBeGreaterThan(0)
        expect(Decimal.parse(a.netPnl!).eq(Decimal.parse(t.netPnl).times(Decimal.parse(a.rate!)))).toBe(true)
      }
      await engine.close()
      engine = createEngine({ dataDir: dir, host: 'headless', log: silentLogger })
      await check()
    } finally {
      await engine.close()
    }
  })
})
