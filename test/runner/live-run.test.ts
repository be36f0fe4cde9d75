/**
 * A strategy run on a live account through real ccxt against the Binance simulator, with the
 * risk engine in front: it starts only armed (the live switch on and the account's name typed),
 * its orders then carry the live confirmation and reach the exchange, the risk engine checks each
 * (its audit log has them), and when the live switch goes off the next order is refused and the
 * run pauses saying why.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/main/clock'
import { silentLogger } from '../../src/main/log'
import { RiskService } from '../../src/main/risk/service'
import { RunnerService } from '../../src/main/runner/service'
import { memorySecretStore } from '../../src/main/secrets/store'
import type { TradingService } from '../../src/main/trading/service'
import type { RunStart } from '../../src/shared/contract/runner'
import type { Candle } from '../../src/shared/domain/candles'
import { startSimulator, type Simulator } from '../simulator/server'
import { useTempDirs } from '../support/temp-dir'
import { closeDatabase, exchangeHub, ManualClock, openTradingDb, Prices, service } from '../trading/support'
import { ManualFeed, MINUTE, T0 } from './support'

const tempDir = useTempDirs()
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const L = 'binance-sim'
const NAME = 'Simulated Binance'

/** ETH bars a minute apart from T0 (open = previous close). */
function ethBars(closes: readonly number[], from = 0): Candle[] {
  return closes.map((c, k) => {
    const open = k === 0 ? c : closes[k - 1]!
    return {
      time: T0 + (from + k) * MINUTE,
      open,
      high: Math.max(open, c) + 1,
      low: Math.min(open, c) - 1,
      close: c,
      volume: 10,
    }
  })
}
// sma-cross 2/3: the warm-up ends with the fast line under the slow one; 3060 crosses above, then
// 2900 keeps it above and 2800 crosses back under (a close).
const warmup = ethBars([3000, 3000, 3000, 3000, 2970, 2940])
const [up, hold, down] = ethBars([3060, 2900, 2800], 6)

const start: RunStart = {
  strategyId: 'sma-cross',
  params: { fast: 2, slow: 3 },
  accountId: L,
  source: 'demo',
  symbol: 'ETH/USDT',
  timeframe: '1m',
  allocation: '600',
  protections: [],
}

async function rig() {
  const sim: Simulator = await startSimulator({
    seed: 23,
    autoMatch: false,
    balances: { USDT: 100_000, ETH: 0 },
  })
  cleanups.push(() => sim.close())
  sim.market.setPrice('ETHUSDT', 3_000, { freeze: true })
  const db = openTradingDb(tempDir())
  cleanups.push(() => closeDatabase(db))
  const hub = exchangeHub(db, systemClock, { secrets: memorySecretStore() })
  const trading: TradingService = service(db, systemClock, new Prices(), {
    exchanges: hub,
    outcomeMarginMs: 200,
  })
  cleanups.push(() => trading.close())
  const account = {
    id: L,
    name: NAME,
    mode: 'live' as const,
    exchangeId: 'binance',
    apiUrl: sim.url,
    apiKey: sim.apiKey,
    secret: sim.secret,
  }
  await trading.saveAccount({ ...account, liveEnabled: true, checkKeys: true })
  const risk = new RiskService({ db, clock: systemClock, log: silentLogger, trading, valuationMs: false })
  risk.start()
  cleanups.push(() => risk.close())
  const clock = new ManualClock(warmup.at(-1)!.time + MINUTE)
  const feed = new ManualFeed()
  const runner = new RunnerService({
    db,
    clock,
    log: silentLogger,
    trading,
    bars: {
      closedBars: (_s, _y, _t, limit, now) =>
        [...warmup, up!, hold!, down!].filter((c) => c.time + MINUTE <= now).slice(-limit),
    },
    feed,
  })
  cleanups.push(() => runner.close())
  const closeBar = async (c: Candle) => {
    sim.market.setPrice('ETHUSDT', c.close, { freeze: true })
    clock.t = Math.max(clock.t, c.time + MINUTE)
    feed.close(c)
    await runner.idle()
  }
  // The keys stay stored: only the switch changes.
  const { apiKey: _k, secret: _s, ...settings } = account
  const switchLive = (on: boolean) => trading.saveAccount({ ...settings, liveEnabled: on })
  return { sim, trading, risk, runner, closeBar, switchLive }
}

describe('strategy runs on a live account', () => {
  it('start only armed: the live switch on and the account’s name typed', async () => {
    const r = await rig()
    await expect(r.runner.startRun(start)).rejects.toMatchObject({
      kind: 'validation',
      path: 'params.liveConfirm',
      message: expect.stringContaining(`type the account's name to arm it`),
    })
    await expect(r.runner.startRun({ ...start, liveConfirm: 'simulated binance' })).rejects.toMatchObject({
      path: 'params.liveConfirm',
    })
    await r.switchLive(false)
    await expect(r.runner.startRun({ ...start, liveConfirm: NAME })).rejects.toMatchObject({
      kind: 'invalid_order',
      path: 'params.accountId',
      message: expect.stringContaining('Live trading is switched off'),
    })
    expect(r.runner.list()).toEqual([])
  })

  it('an armed run trades on the exchange through the risk engine; the live switch off pauses it', async () => {
    const r = await rig()
    const run = await r.runner.startRun({ ...start, liveConfirm: ` ${NAME} ` })
    expect(run.liveArmedAt).not.toBeNull()

    await r.closeBar(up!)
    const ours = () =>
      r.trading.orders(L, { limit: 100 }).filter((o) => o.clientOrderId.startsWith(`sr-${run.id}-`))
    const [entry] = ours()
    expect(entry).toMatchObject({
      side: 'buy',
      type: 'market',
      status: 'filled',
      exchangeOrderId: expect.any(String),
    })
    // 600 USDT at 3060: 0.1960 ETH, whole lot steps (0.0001).
    expect(entry!.amount).toBe('0.196')
    // The simulator takes its 0.1 % fee in the coin bought: 0.196 − 0.000196.
    expect(r.runner.view(run.id)).toMatchObject({ state: 'running', position: '0.195804', rejected: 0 })
    // The risk engine checked it as any order.
    expect(
      r.risk
        .audit({ accountId: L, limit: 10 })
        .some((e) => e.decision === 'accepted' && e.message === 'Accepted: buy 0.196 ETH/USDT'),
    ).toBe(true)

    await r.closeBar(hold!)
    // The trader switches live trading off: the run's close is refused by the order path, and the
    // run pauses saying why rather than failing bar after bar.
    await r.switchLive(false)
    await r.closeBar(down!)
    expect(ours()).toHaveLength(1)
    expect(r.runner.view(run.id)).toMatchObject({
      state: 'paused',
      reason: `live trading is switched off for "${NAME}": switch it on, then resume`,
      rejected: 1,
      lastError: expect.stringContaining('Live trading is switched off'),
    })
  })
})
