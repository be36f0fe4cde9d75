import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDemoMarket } from '../src/main/demo'
import { computeAnalytics } from '../src/main/journal/analytics'
import { createJournalDomain } from '../src/main/journal/domain'
import { computeSummary } from '../src/main/journal/summary'
import { accountsOf, candlesOf, ordersOf, signalsOf } from '../src/main/journal/sources'
import { silentLogger } from '../src/main/log'
import { closeDatabase, openDatabase } from '../src/main/storage/database'
import { ensureDefaultAccount } from '../src/main/trading/service'
import { insertFill } from '../src/main/trading/store'
import { bestOf, report } from './harness'

/**
 * The journal (issue 14's goals): build from 100,000 fills (< 1 s), analytics over 100,000
 * trades (< 200 ms), one edit from the call to the trade as the list sends it (< 50 ms).
 *
 * Fills are a demo-paper account's on four demo symbols, each trade two to four fills (a
 * partial exit, a scale-in, quote fees), so 100,000 fills make about 33,000 trades; the build is
 * `journal.rebuild`, MAE/MFE from the demo market's 1m bars included. Analytics run on 100,000
 * trades made by repeating the built ones.
 */
/**
 * Wall and CPU time of one run: on a shared machine the wall time mostly measures the others'
 * load, the CPU time (this process, GC threads included) what the code costs.
 */
function cpuOf(fn: () => void): { wallMs: number; cpuMs: number } {
  const c = process.cpuUsage()
  const t = performance.now()
  fn()
  const wallMs = performance.now() - t
  const d = process.cpuUsage(c)
  return { wallMs, cpuMs: Math.round((d.user + d.system) / 100) / 10 }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-journal-'))
  try {
    const db = openDatabase(join(dir, 'bench.db'))
    const t0 = Date.UTC(2025, 0, 6)
    const clock = { now: () => t0 + 400 * 86_400_000 }
    const demo = createDemoMarket({ seed: 1 })
    ensureDefaultAccount(db, t0)
    const symbols = demo.symbols.slice(0, 4).map((s) => s.symbol)
    const n = 100_000
    db.transaction(() => {
      let t = t0
      for (let i = 0; i < n;) {
        const symbol = symbols[i % symbols.length]!
        const legs: ['buy' | 'sell', string][] =
          i % 3 === 0
            ? [
                ['buy', '1'],
                ['sell', '1'],
              ]
            : [
                ['buy', '0.5'],
                ['buy', '0.5'],
                ['sell', '1'],
              ]
        for (const [side, amount] of legs) {
          t += 60_000
          const price = String(100 + (i % 17))
          insertFill(
            db,
            {
              accountId: 'demo-paper',
              tradeId: `b${i}`,
              exchangeOrderId: `o${i}`,
              clientOrderId: null,
              symbol,
              side,
              amount,
              price,
              cost: price,
              fee: { cost: '0.1', currency: symbol.split('/')[1]! },
              takerOrMaker: 'taker',
              time: t,
            },
            t,
          )
          i++
        }
      }
    })()
    const domain = createJournalDomain({
      db,
      clock,
      log: silentLogger,
      fills: { onFill: () => () => {} },
      accounts: accountsOf(db),
      orders: ordersOf(db),
      candles: candlesOf(db, demo, clock),
      signals: signalsOf(db),
    })
    const journal = domain.journal
    let built = { trades: 0, fills: 0 }
    const buildCpu = cpuOf(() => void (built = journal.rebuild()))
    report({
      name: 'journal.build',
      value: buildCpu.wallMs,
      unit: 'ms',
      cpuMs: buildCpu.cpuMs,
      fills: built.fills,
      trades: built.trades,
      goal: 1000,
    })

    // The first catch-up after start on the same book, sliced (Journal.catchUpInSlices): what
    // counts is the longest stretch without a turn of the event loop, not the total.
    db.exec('DELETE FROM journal_fills; DELETE FROM journal_trades')
    const fresh = createJournalDomain({
      db,
      clock,
      log: silentLogger,
      fills: { onFill: () => () => {} },
      accounts: accountsOf(db),
      orders: ordersOf(db),
      candles: candlesOf(db, demo, clock),
      signals: signalsOf(db),
    }).journal
    let longest = 0
    let slices = 0
    let since = performance.now()
    const catchUpStart = performance.now()
    const catchUpCpu = process.cpuUsage()
    await fresh.catchUpInSlices(async () => {
      const now = performance.now()
      longest = Math.max(longest, now - since)
      slices++
      await new Promise<void>((resolve) => setImmediate(resolve))
      since = performance.now()
    })
    const cu = process.cpuUsage(catchUpCpu)
    report({
      name: 'journal.catchUp',
      value: Math.round(longest * 10) / 10,
      unit: 'ms',
      note: 'longest slice without a turn of the event loop',
      slices,
      totalWallMs: Math.round(performance.now() - catchUpStart),
      cpuMs: Math.round((cu.user + cu.system) / 100) / 10,
      trades: [...fresh.all()].length,
    })

    const base = [...journal.all()]
    const trades = Array.from({ length: 100_000 }, (_, i) => base[i % base.length]!)
    // The first run in a process also pays for compiling the code and learning the zone's
    // offsets (kept for the process afterwards); it is reported apart as coldCpuMs.
    const cold = cpuOf(() => void computeAnalytics(trades, { timeZone: 'Europe/Paris' }))
    let analyticsCpu = Infinity
    const analyticsMs = bestOf(
      () => {
        const c = cpuOf(() => void computeAnalytics(trades, { timeZone: 'Europe/Paris' }))
        analyticsCpu = Math.min(analyticsCpu, c.cpuMs)
      },
      { warmup: 1, minRuns: 5, minMs: 0 },
    )
    report({
      name: 'journal.analytics',
      value: analyticsMs,
      unit: 'ms',
      cpuMs: analyticsCpu,
      coldCpuMs: cold.cpuMs,
      trades: trades.length,
      goal: 200,
    })
    // The Dashboard's figures: the same analytics over all trades, today's and this week's.
    let summaryCpu = Infinity
    const summaryMs = bestOf(
      () => {
        const c = cpuOf(
          () => void computeSummary(trades, { timeZone: 'Europe/Paris', now: clock.now(), points: 400 }),
        )
        summaryCpu = Math.min(summaryCpu, c.cpuMs)
      },
      { warmup: 1, minRuns: 3, minMs: 0 },
    )
    report({
      name: 'journal.summary',
      value: summaryMs,
      unit: 'ms',
      cpuMs: summaryCpu,
      trades: trades.length,
    })

    const key = base[Math.floor(base.length / 2)]!.key
    let i = 0
    const editMs = bestOf(
      () => {
        void domain.handlers['journal.update'](
          { key, notes: `note ${i++}`, tags: [{ kind: 'setup', name: 'breakout' }] },
          { transport: 'memory', peer: 'bench' },
        )
        domain.handlers['journal.list'](
          { filter: { search: `note ${i - 1}` }, offset: 0, limit: 50 },
          { transport: 'memory', peer: 'bench' },
        )
      },
      { warmup: 2, minRuns: 5, minMs: 0 },
    )
    report({
      name: 'journal.edit',
      value: editMs,
      unit: 'ms',
      note: 'update + list of 33k trades filtered by the note',
      goal: 50,
    })
    closeDatabase(db)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
