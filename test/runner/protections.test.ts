/**
 * Protections wired to runs, with hand-made fills: the run's own closed trades (fills under its
 * intents' client order ids, exit reasons from those intents) are judged by risk/protections.ts
 * on each closed bar; a lock pauses the run with its reason and its entry is not sent. The risk
 * engine refusing a run's order is stored on the intent and shown on the run.
 */
import { describe, expect, it } from 'vitest'
import type { RunProtection } from '../../src/shared/contract/runner'
import type { Fill } from '../../src/shared/domain/trading'
import type { RunnerTrading } from '../../src/main/runner/service'
import { intentOrderId } from '../../src/main/runner/service'
import { recordDecision } from '../../src/main/runner/store'
import { useTempDirs } from '../support/temp-dir'
import { bars, MINUTE, runnerRig, type RunnerRig } from './support'

const tempDir = useTempDirs()

const warmup = bars([100, 100, 100, 100, 99, 98])
const [crossBar] = bars([102], 6)

/** Round trips: [entry price, exit price, exit reason], a minute apart, ending `endsAgo` before now. */
type Trip = [number, number, string]

function withFills(extra: Fill[]) {
  return (t: RunnerTrading): RunnerTrading => ({
    accounts: () => t.accounts(),
    positions: (a) => t.positions(a),
    lotStep: (a, s) => t.lotStep(a, s),
    placeOrder: (r) => t.placeOrder(r),
    fills: (a, o) => [...t.fills(a, o), ...extra],
  })
}

async function pausedBy(
  protections: RunProtection[],
  trips: Trip[],
): Promise<{ rig: RunnerRig; runId: string }> {
  const extra: Fill[] = []
  const rig = runnerRig(tempDir(), warmup, { trading: withFills(extra) })
  const run = await rig.runner.startRun({
    strategyId: 'sma-cross',
    params: { fast: 2, slow: 3 },
    accountId: 'demo-paper',
    source: 'demo',
    symbol: 'BTC/USDT',
    timeframe: '1m',
    allocation: '1000',
    protections,
  })
  // The trips happened in the last minutes before the cross bar closes.
  const end = crossBar!.time + MINUTE
  trips.forEach(([entry, exit, reason], k) => {
    const at = end - (trips.length - k) * 2 * MINUTE
    const intents = [0, 1].map((seq) => ({
      runId: run.id,
      barTime: at - 2 * MINUTE, // a bar before the live ones: the run decides nothing there again
      seq: seq + 2 * k,
      clientOrderId: intentOrderId(run.id, at - 2 * MINUTE, seq + 2 * k),
      kind: seq === 0 ? 'market' : 'close',
      reason: seq === 0 ? null : reason,
      request: null,
      status: 'skipped' as const,
      message: 'hand-made',
    }))
    recordDecision(rig.setup.db, run.id, warmup[warmup.length - 1]!.time, intents, at)
    const fill = (side: 'buy' | 'sell', price: number, time: number, id: string): Fill => ({
      accountId: 'demo-paper',
      tradeId: `${id}-t`,
      exchangeOrderId: id,
      clientOrderId: id,
      symbol: 'BTC/USDT',
      side,
      amount: '1',
      price: String(price),
      cost: String(price),
      fee: null,
      takerOrMaker: 'taker',
      time,
    })
    extra.push(fill('buy', entry, at - MINUTE, intents[0]!.clientOrderId))
    extra.push(fill('sell', exit, at, intents[1]!.clientOrderId))
  })
  await rig.closeBar(crossBar!)
  return { rig, runId: run.id }
}

const ownOrders = (rig: RunnerRig, runId: string) =>
  rig.setup.trading
    .orders('demo-paper', { limit: 100 })
    .filter((o) => o.clientOrderId.startsWith(`sr-${runId}-`))

describe('strategy runner: protections pause the run with their reason', () => {
  const cases: [string, RunProtection[], Trip[], string][] = [
    [
      'cooldown after a stop-loss',
      [{ type: 'cooldown', minutes: 30 }],
      [[100, 95, 'stop_loss']],
      'Cooldown after a stop-loss on BTC/USDT: 30 min',
    ],
    [
      'stop-loss guard',
      [{ type: 'stop_loss_guard', lookbackMinutes: 60, tradeLimit: 2, lockMinutes: 30 }],
      [
        [100, 99, 'stop_loss'],
        [100, 99, 'stop_loss'],
      ],
      'Stop-loss guard: 2 stop-losses on BTC/USDT within 60 min (limit 2)',
    ],
    [
      'drawdown pause',
      [{ type: 'drawdown_pause', lookbackMinutes: 60, tradeLimit: 2, lockMinutes: 30, maxDrawdown: '0.1' }],
      [
        [100, 40, 'signal'],
        [100, 40, 'signal'],
      ],
      'Drawdown pause: 12.00 % drawdown over 60 min (limit 10 %)',
    ],
    [
      'low-profit pause',
      [
        {
          type: 'low_profit_pause',
          lookbackMinutes: 60,
          tradeLimit: 2,
          lockMinutes: 30,
          requiredProfit: '0',
        },
      ],
      [
        [100, 101, 'signal'],
        [100, 98, 'signal'],
      ],
      'Low-profit pause on BTC/USDT: -1.00 % over 2 trades (needs 0 %)',
    ],
  ]
  for (const [name, protections, trips, reason] of cases) {
    it(`${name}: paused with "${reason}", the entry not sent`, async () => {
      const { rig, runId } = await pausedBy(protections, trips)
      const view = rig.runner.view(runId)
      expect(view.state).toBe('paused')
      expect(view.reason).toBe(reason)
      expect(view.lockedUntil).toBeGreaterThan(rig.setup.clock.t)
      expect(ownOrders(rig, runId)).toHaveLength(0)
      await rig.runner.close()
    })
  }

  it('a trip without a stop-loss does not start a cooldown: the entry is sent', async () => {
    const { rig, runId } = await pausedBy([{ type: 'cooldown', minutes: 30 }], [[100, 95, 'signal']])
    expect(rig.runner.view(runId).state).toBe('running')
    expect(ownOrders(rig, runId)).toHaveLength(1)
    await rig.runner.close()
  })

  it('the cooldown ends by itself: the next entry signal after it is sent', async () => {
    const { rig, runId } = await pausedBy([{ type: 'cooldown', minutes: 30 }], [[100, 95, 'stop_loss']])
    const until = rig.runner.view(runId).lockedUntil!
    // Down (a cross below: nothing to close), then up again after the lock's end.
    const later = bars([97, 96, 95, 94, 99, 104], 7 + Math.ceil((until - crossBar!.time) / MINUTE))
    for (const b of later) await rig.closeBar(b)
    const view = rig.runner.view(runId)
    expect(view.state).toBe('running')
    expect(view.reason).toBeNull()
    expect(ownOrders(rig, runId)).toHaveLength(1)
    await rig.runner.close()
  })

  it('an order the risk engine refuses is stored on the intent and shown on the run', async () => {
    const rig = runnerRig(tempDir(), warmup)
    rig.setup.risk.setLimits('global', { maxOrderNotional: '100' })
    const run = await rig.runner.startRun({
      strategyId: 'sma-cross',
      params: { fast: 2, slow: 3 },
      accountId: 'demo-paper',
      source: 'demo',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      allocation: '1000',
      protections: [],
    })
    await rig.closeBar(crossBar!)
    const view = rig.runner.view(run.id)
    expect(view).toMatchObject({ intents: 1, rejected: 1, position: '0' })
    expect(view.lastError).toMatch(/notional/i)
    await rig.runner.close()
  })
})
