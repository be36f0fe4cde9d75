import { describe, expect, it } from 'vitest'
import { contract, type CommandName, type ResultOf } from '../../src/shared/contract'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { seedPaperHistory } from '../../bench/trading-seed'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const

async function call<N extends CommandName>(engine: Engine, name: N, params: unknown): Promise<ResultOf<N>> {
  const res = await engine.registry.invoke(name, params, ctx)
  if (!res.ok) throw new Error(`${name}: ${res.error.message}`)
  return (contract[name] as unknown as { result: { parse(v: unknown): ResultOf<N> } }).result.parse(res.value)
}

describe('journal domain on a real engine and database file', () => {
  it('a paper buy and sell on the demo market become one closed trade; edits survive a rebuild and a restart', async () => {
    const dir = tempDir()
    let engine = createEngine({ dataDir: dir, host: 'headless', log: silentLogger })
    try {
      const base = { accountId: 'demo-paper', symbol: 'BTC/USDT', type: 'market' }
      const buy = await call(engine, 'trading.placeOrder', { ...base, side: 'buy', amount: '0.01' })
      expect(buy.status).toBe('filled')
      // The paper fee of a buy is paid in BTC: 0.00999 is held, and selling it closes the trade.
      const sell = await call(engine, 'trading.placeOrder', { ...base, side: 'sell', amount: '0.00999' })
      expect(sell.status).toBe('filled')
      const { trades, totals } = await call(engine, 'journal.list', {})
      expect(trades).toHaveLength(1)
      const t = trades[0]!
      expect(t).toMatchObject({
        accountName: 'Demo paper',
        side: 'long',
        status: 'closed',
        exitReason: 'manual',
        size: '0.00999',
      })
      expect(totals.byQuote[0]!.netPnl).toBe(t.netPnl)
      // The dashboard's figures: the trade closed today, this week and ever.
      const summary = await call(engine, 'journal.summary', { timeZone: 'Europe/Paris' })
      for (const period of [summary.today, summary.week, summary.all])
        expect(period).toMatchObject({ closedTrades: 1, netPnl: t.netPnl })
      expect(summary.equity).toEqual([{ time: t.exitTime, equity: t.netPnl }])
      // One trade is no history to call anything unusual against.
      expect((await call(engine, 'journal.list', {})).unusual).toEqual({})
      expect((await call(engine, 'journal.get', { key: t.key })).unusual).toBeNull()

      // Validation names the field.
      const bad = await engine.registry.invoke('journal.update', { key: t.key, rating: 7 }, ctx)
      expect(bad).toMatchObject({ ok: false, error: { kind: 'validation', path: 'params.rating' } })
      const dup = await engine.registry.invoke(
        'journal.update',
        {
          key: t.key,
          tags: [
            { kind: 'setup', name: 'A' },
            { kind: 'setup', name: 'a' },
          ],
        },
        ctx,
      )
      expect(dup).toMatchObject({ ok: false, error: { kind: 'validation', path: 'params.tags.1' } })

      const edited = await call(engine, 'journal.update', {
        key: t.key,
        notes: '**Late** entry',
        tags: [{ kind: 'mistake', name: 'chased' }],
        rating: 2,
      })
      expect(edited).toMatchObject({ notes: '**Late** entry', rating: 2 })
      expect((await call(engine, 'journal.list', { filter: { search: 'late' } })).trades).toHaveLength(1)
      expect((await call(engine, 'journal.list', { filter: { tag: 'chased' } })).trades).toHaveLength(1)
      expect((await call(engine, 'journal.list', { filter: { tag: 'other' } })).trades).toHaveLength(0)

      expect(await call(engine, 'journal.rebuild', { method: 'lifo' })).toEqual({
        trades: 1,
        fills: 2,
        method: 'lifo',
      })
      await engine.close()
      engine = createEngine({ dataDir: dir, host: 'headless', log: silentLogger })
      expect(await call(engine, 'journal.settings', {})).toEqual({ method: 'lifo' })
      const detail = await call(engine, 'journal.get', { key: t.key })
      expect(detail.trade).toMatchObject({
        key: t.key,
        notes: '**Late** entry',
        tags: [{ kind: 'mistake', name: 'chased' }],
      })
      expect(detail.fills.map((f) => f.role)).toEqual(['entry', 'exit'])
      expect(detail.chart!.candles.length).toBeGreaterThan(0)
      const stats = await call(engine, 'journal.analytics', { timeZone: 'Europe/Paris' })
      expect(stats).toMatchObject({ closedTrades: 1, netPnl: t.netPnl })
      const badZone = await engine.registry.invoke('journal.analytics', { timeZone: 'Mars/Olympus' }, ctx)
      expect(badZone).toMatchObject({ ok: false, error: { kind: 'validation', path: 'params.timeZone' } })
    } finally {
      await engine.close()
    }
  })
  it('copies the fills recorded while it was not listening after start-up, not during it', async () => {
    const dir = tempDir()
    // Written through the order path with no journal listening, as before an upgrade.
    await seedPaperHistory(dir, { open: 0, fills: 30 })
    const engine = createEngine({ dataDir: dir, host: 'headless', log: silentLogger })
    try {
      // The engine is up and answering before the journal has copied anything...
      expect((await call(engine, 'journal.list', {})).trades).toHaveLength(0)
      // ...and the trades are there a moment later.
      await expect
        .poll(async () => (await call(engine, 'journal.list', {})).trades.length, { timeout: 10_000 })
        .toBeGreaterThan(0)
    } finally {
      await engine.close()
    }
  })
})
