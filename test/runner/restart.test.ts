/**
 * Restart safety (kill -9 style): the process dies after a bar's intent is stored and before
 * its order is confirmed, either before trading saw the order or after trading made it. After a
 * restart on the same SQLite file, the run resends the intent under the id derived from its
 * idempotency key: exactly one order for that bar, never two, even when the feed repeats the bar.
 */
import { describe, expect, it } from 'vitest'
import type { RunStart } from '../../src/shared/contract/runner'
import type { RunnerTrading } from '../../src/main/runner/service'
import { closeDatabase } from '../../src/main/storage/database'
import type { OrderRequest } from '../../src/shared/domain/trading'
import { useTempDirs } from '../support/temp-dir'
import { riskSetup } from '../risk/support'
import { bars, runnerRig } from './support'

const tempDir = useTempDirs()

// sma-cross 2/3: the warm-up ends with the fast line under the slow one; the next bar crosses above.
const warmup = bars([100, 100, 100, 100, 99, 98])
const [crossBar] = bars([102], 6)

class Crash extends Error {}

function crashing(when: 'before' | 'after') {
  return (t: RunnerTrading): RunnerTrading => ({
    accounts: () => t.accounts(),
    fills: (a, o) => t.fills(a, o),
    positions: (a) => t.positions(a),
    lotStep: (a, s) => t.lotStep(a, s),
    placeOrder: async (req: OrderRequest) => {
      if (when === 'after') await t.placeOrder(req)
      // The process dies here: no answer, nothing after this line runs.
      throw new Crash('killed')
    },
  })
}

const start = {
  strategyId: 'sma-cross',
  params: { fast: 2, slow: 3 },
  accountId: 'demo-paper',
  source: 'demo',
  symbol: 'BTC/USDT',
  timeframe: '1m',
  allocation: '500',
  protections: [],
} satisfies RunStart

describe('strategy runner: restart without sending an order twice', () => {
  for (const when of ['before', 'after'] as const) {
    it(`killed ${when} trading made the order: one order for the bar after the restart`, async () => {
      const dir = tempDir()
      const first = runnerRig(dir, warmup, { trading: crashing(when) })
      const run = await first.runner.startRun({ ...start, protections: [] })
      await first.closeBar(crossBar!)
      const ours = (s: ReturnType<typeof riskSetup>) =>
        s.trading
          .orders('demo-paper', { limit: 100 })
          .filter((o) => o.clientOrderId.startsWith(`sr-${run.id}-`))
      expect(ours(first.setup)).toHaveLength(when === 'after' ? 1 : 0)
      // The "kill": nothing closes gracefully; the file is just let go.
      first.feed.close = () => {}
      first.setup.risk.close()
      first.setup.trading.close()
      closeDatabase(first.setup.db)

      const setup = riskSetup(dir)
      setup.clock.t = first.setup.clock.t + 5_000
      const second = runnerRig(dir, [...warmup, crossBar!], { setup })
      await second.runner.start()
      await second.closeBar(crossBar!) // the feed repeats the bar it was on
      const orders = ours(setup)
      expect(orders).toHaveLength(1)
      expect(orders[0]).toMatchObject({ side: 'buy', status: 'filled' })
      const view = second.runner.view(run.id)
      expect(view).toMatchObject({ state: 'running', intents: 1, rejected: 0, lastBarTime: crossBar!.time })
      expect(Number(view.position)).toBeGreaterThan(0)
      await second.runner.close()
      setup.risk.close()
      setup.trading.close()
      closeDatabase(setup.db)
    })
  }

  it('reconciles with the account first: a run whose coins were sold by hand is paused, naming both amounts', async () => {
    const dir = tempDir()
    const first = runnerRig(dir, warmup)
    const run = await first.runner.startRun({ ...start, protections: [] })
    await first.closeBar(crossBar!)
    const held = first.runner.view(run.id).position
    await first.runner.close()
    // The trader sells the coins on the ticket while the app is down... (here: before the restart)
    await first.setup.sell(held)
    first.setup.risk.close()
    first.setup.trading.close()
    closeDatabase(first.setup.db)

    const setup = riskSetup(dir)
    const second = runnerRig(dir, [...warmup, crossBar!], { setup })
    await second.runner.start()
    const view = second.runner.view(run.id)
    expect(view.state).toBe('paused')
    expect(view.reason).toContain(`hold ${held} BTC/USDT but the account holds 0`)
    await second.runner.close()
    setup.risk.close()
    setup.trading.close()
    closeDatabase(setup.db)
  })
})
