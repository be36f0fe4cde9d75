/**
 * A run on an account that charges buys their fee in the coin bought (Binance's default): the
 * run holds the amount less the fee, which is no longer a multiple of the market's lot step.
 * Closing sells what the step allows; the rest is dust no order can carry. The run is flat
 * then (its trade closed, counted once), and the dust stays on the account as dust, as the
 * positions view shows it. CI caught a stopped run still holding 0.00000678 BTC.
 */
import { describe, expect, it } from 'vitest'
import type { RunStart } from '../../src/shared/contract/runner'
import * as store from '../../src/main/runner/store'
import { closeDatabase } from '../../src/main/storage/database'
import { toDecimal } from '../../src/main/trading/decimal'
import { useTempDirs } from '../support/temp-dir'
import { A, riskSetup } from '../risk/support'
import { bars, runnerRig } from './support'

const tempDir = useTempDirs()

// sma-cross 2/3: the warm-up ends with the fast line under the slow one; the next bar crosses above.
const warmup = bars([100, 100, 100, 100, 99, 98])
const [crossBar] = bars([102], 6)

const start = {
  strategyId: 'sma-cross',
  params: { fast: 2, slow: 3 },
  accountId: A,
  source: 'demo',
  symbol: 'BTC/USDT',
  timeframe: '1m',
  allocation: '333',
  protections: [],
} satisfies RunStart

describe('strategy runner: fees in the coin bought leave dust', () => {
  it('stopping with close sells every whole lot step; the run is flat, the dust stays on the account', async () => {
    const setup = riskSetup(tempDir(), { fees: true })
    const rig = runnerRig('', warmup, { setup })
    try {
      const run = await rig.runner.startRun(start)
      await rig.closeBar(crossBar!)
      const held = toDecimal(rig.runner.view(run.id).position)
      // 333 / 102 floored to the lot step, less 0.1 % of it paid in BTC.
      expect(held.isPositive()).toBe(true)
      const [entry] = setup.trading.fills(A, { symbol: 'BTC/USDT', limit: 10 })
      expect(held.toString()).toBe(toDecimal(entry!.amount).minus(toDecimal(entry!.fee!.cost)).toString())

      const lastBar = rig.runner.view(run.id).lastBarTime
      const stopped = await rig.runner.stop(run.id, true)
      expect(stopped).toMatchObject({ state: 'stopped', position: '0' })
      // The stop's close is its own intent (the bar's buy took that bar's first place), stored
      // and settled as sent under the trader's reason; the run's last bar stays the last bar.
      const intents = store.intentsOf(setup.db, run.id)
      expect(intents.map((i) => [i.kind, i.reason, i.status])).toEqual([
        ['market', null, 'sent'],
        ['close', 'manual', 'sent'],
      ])
      expect(stopped.lastBarTime).toBe(lastBar)
      // The account keeps the dust, shown as dust (below one lot step), not as a position.
      const [position] = await setup.trading.positions(A, true)
      expect(position!.side).toBe('dust')
      const step = toDecimal(position!.amountStep!)
      expect(toDecimal(position!.amount).isPositive() && toDecimal(position!.amount).lt(step)).toBe(true)
      // The run's P&L is its cash: what the sell brought, less its fee, less what the buy cost
      // (the buy's fee, paid in BTC, and the dust left behind are in it).
      const [sell, buy] = setup.trading.fills(A, { symbol: 'BTC/USDT', limit: 10 })
      const cash = toDecimal(sell!.cost).minus(toDecimal(sell!.fee!.cost)).minus(toDecimal(buy!.cost))
      expect(stopped.realizedPnl).toBe(cash.toString())
      // The close went out as a multiple of the step (no order the validator had to round).
      const sells = setup.trading.fills(A, { symbol: 'BTC/USDT', limit: 10 }).filter((f) => f.side === 'sell')
      expect(sells).toHaveLength(1)
      expect(
        toDecimal(sells[0]!.amount).div(step, 0, 'down').times(step).eq(toDecimal(sells[0]!.amount)),
      ).toBe(true)
    } finally {
      await rig.runner.close()
      setup.risk.close()
      setup.trading.close()
      closeDatabase(setup.db)
    }
  })
})
