/**
 * The drift report: a run's bars replayed through the backtester beside what the run did. On the
 * paper account filling at the signal bar's close, which is the next bar's open in these bars,
 * every decision matches and every fill is 0 bps from the model; an order the risk engine
 * refused shows as a differing decision with the engine's message.
 */
import { describe, expect, it } from 'vitest'
import { intentsOf } from '../../src/main/runner/store'
import { useTempDirs } from '../support/temp-dir'
import { bars, runnerRig } from './support'

const tempDir = useTempDirs()

const closes = Array.from(
  { length: 160 },
  (_, i) => Math.round((100 + 8 * Math.sin(i / 9) + 3 * Math.sin(i / 2.3)) * 100) / 100,
)
const all = bars(closes)
const warm = 40
const start = {
  strategyId: 'sma-cross',
  params: { fast: 3, slow: 7 },
  accountId: 'demo-paper',
  source: 'demo',
  symbol: 'BTC/USDT',
  timeframe: '1m' as const,
  allocation: '1000',
  protections: [],
}

describe('strategy runner: drift report', () => {
  it('on paper with the model’s prices: no decision differs, every fill 0 bps, the same P&L', async () => {
    const rig = runnerRig(tempDir(), all.slice(0, warm), { later: all.slice(warm) })
    const run = await rig.runner.startRun(start)
    for (const bar of all.slice(warm)) await rig.closeBar(bar)
    const report = rig.runner.drift(run.id)
    expect(report.bars).toBe(all.length - warm)
    expect(report.decisions.length).toBeGreaterThan(4)
    expect(report.decisions.filter((d) => d.status !== 'same')).toEqual([])
    expect(report.differing).toBe(0)
    // Every order of the run filled, each against the model's next open (one decided on the
    // newest bar has no next open yet and waits).
    const newest = all[all.length - 1]!.time
    const sent = intentsOf(rig.setup.db, run.id).filter((i) => i.status === 'sent' && i.barTime < newest)
    expect(report.fills.map((f) => f.clientOrderId)).toEqual(sent.map((i) => i.clientOrderId))
    for (const f of report.fills) {
      expect(f.slippageBps).toBe(0)
      expect(f.livePrice).toBe(f.modelPrice)
    }
    // Entries sized to the 8th decimal live, unrounded in the backtest: cents apart at most.
    expect(Math.abs(report.pnlDifference)).toBeLessThan(0.01)
    expect(report.livePnl).not.toBe(0)
    await rig.runner.close()
  })

  it('an order refused by the risk engine: that decision differs, with the refusal', async () => {
    const rig = runnerRig(tempDir(), all.slice(0, warm), { later: all.slice(warm) })
    rig.setup.risk.setLimits('global', { maxOrderNotional: '100' })
    const run = await rig.runner.startRun(start)
    for (const bar of all.slice(warm)) await rig.closeBar(bar)
    const report = rig.runner.drift(run.id)
    const first = report.decisions[0]!
    expect(first).toMatchObject({ backtest: ['market'], live: ['market'], status: 'rejected' })
    expect(first.why).toMatch(/notional/i)
    expect(report.fills).toHaveLength(0)
    expect(report.livePnl).toBe(0)
    expect(report.pnlDifference).toBe(-report.backtestPnl)
    await rig.runner.close()
  })
})
