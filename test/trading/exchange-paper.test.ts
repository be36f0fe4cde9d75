/**
 * Paper accounts on an exchange's public prices: real ccxt through the hub's binance connection,
 * pointed at the loopback simulator. Prices come from its ticker; no order ever reaches it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import { ExchangePrices } from '../../src/main/trading/exchange-prices'
import type { OrderRequest } from '../../src/shared/domain/trading'
import { DEFAULT_MARKETS } from '../simulator/markets'
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/server'
import { useTempDirs } from '../support/temp-dir'
import { closeDatabase, exchangeHub, openTradingDb, Prices, service } from './support'

const tempDir = useTempDirs()
const cleanup: Array<() => unknown> = []
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close()
})

const P = 'binance-paper'
const BTC = 'BTC/USDT'
// Settings fees of 25 bps: the fills below pay 10 bps, so the rate is provably the exchange's
// (ccxt's binance markets: 0.1% maker and taker), not the paper settings'.
const settings = { takerFeeBps: 25, makerFeeBps: 25, slippageBps: 10, startingAmount: '10000' }

/** The wall clock plus an offset: ccxt's timestamps follow it, and a test can age prices with it. */
function offsetClock() {
  const c = { offsetMs: 0, now: () => Date.now() + c.offsetMs }
  return c
}

async function setup(opts: { sim?: SimulatorOptions; maxAgeMs?: number } = {}) {
  const sim = await startSimulator({ seed: 7, ...opts.sim })
  cleanup.push(() => sim.close())
  const db = openTradingDb(tempDir())
  cleanup.push(() => closeDatabase(db))
  const clock = offsetClock()
  const hub = exchangeHub(db, clock, { connectionOptions: { rateLimitMs: 1 } })
  cleanup.push(() => hub.close())
  // The connection reaches the simulator; no keys are stored anywhere.
  await hub.configure('binance', { apiUrl: sim.url })
  const made: ExchangePrices[] = []
  const svc = service(db, clock, new Prices(), {
    exchanges: hub,
    paperSettings: settings,
    exchangePaper: (exchangeId) => {
      const data = new ExchangePrices({
        exchanges: hub,
        exchangeId,
        clock,
        maxAgeMs: opts.maxAgeMs ?? 60_000,
        feed: { pollIntervalMs: 20, backoffBaseMs: 20, backoffMaxMs: 100 },
      })
      made.push(data)
      return data
    },
  })
  cleanup.push(() => svc.close())
  const account = await svc.saveAccount({
    id: P,
    name: 'Binance paper',
    mode: 'paper',
    exchangeId: 'binance',
  })
  const prices = () => {
    const data = made[0]
    if (!data) throw new Error('no exchange prices made yet')
    return data
  }
  return { sim, db, clock, hub, svc, account, prices }
}

const order = (p: Partial<OrderRequest>): OrderRequest =>
  ({ accountId: P, symbol: BTC, side: 'buy', type: 'market', ...p }) as OrderRequest

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a rejection')
}

/** Waits on the event loop until `check` holds (the feed polls the simulator in the background). */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1_500; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`never saw ${what}`)
}

function balancesOf(b: { balances: Array<{ asset: string; free: string; used: string }> }) {
  return Object.fromEntries(b.balances.map((x) => [x.asset, { free: x.free, used: x.used }]))
}

function orderRequests(sim: Simulator) {
  return sim.state.requests().filter((r) => r.method !== 'GET' || /order/i.test(r.kind))
}

describe('paper trading on an exchange’s public prices', () => {
  it('saves a paper account naming an exchange, with no keys and no URL of its own', async () => {
    const { svc, account } = await setup()
    expect(account).toMatchObject({
      id: P,
      mode: 'paper',
      exchangeId: 'binance',
      apiUrl: null,
      hasKeys: false,
      liveEnabled: false,
    })
    // Renaming without an exchange id keeps its prices; the demo account stays on the demo market.
    expect(await svc.saveAccount({ id: P, name: 'Renamed', mode: 'paper' })).toMatchObject({
      name: 'Renamed',
      exchangeId: 'binance',
    })
    const demo = await rejection(
      svc.saveAccount({ id: 'demo-paper', name: 'Demo paper', mode: 'paper', exchangeId: 'binance' }),
    )
    expect(demo.kind).toBe('validation')
    const unknown = await rejection(
      svc.saveAccount({ name: 'Nowhere paper', mode: 'paper', exchangeId: 'no-such-exchange' }),
    )
    expect(unknown.kind).toBe('not_found')
  })

  it('fills a market buy at the exchange’s ask plus slippage, paying its taker fee, and sends it nothing', async () => {
    const { sim, svc } = await setup()
    // Frozen at 50,000: the simulator's book has its bid at the price and its ask one tick above.
    sim.market.setPrice('BTCUSDT', 50_000, { freeze: true })
    const placed = await svc.placeOrder(order({ amount: '0.01' }))
    // 50,000.01 * 1.001 = 50,050.01001, up to the 0.01 tick: 50,050.02. Fee 0.01 * 0.001 BTC.
    expect(placed).toMatchObject({
      status: 'filled',
      filled: '0.01',
      average: '50050.02',
      fees: [{ currency: 'BTC', cost: '0.00001' }],
    })
    expect(svc.fills(P, { limit: 10 })).toEqual([
      expect.objectContaining({ price: '50050.02', amount: '0.01', cost: '500.5002', takerOrMaker: 'taker' }),
    ])
    // 10,000 - 0.01 * 50,050.02 = 9,499.4998 USDT; 0.01 - 0.00001 = 0.00999 BTC.
    expect(balancesOf(await svc.balances(P))).toEqual({
      BTC: { free: '0.00999', used: '0' },
      USDT: { free: '9499.4998', used: '0' },
    })
    // The price came from the exchange's ticker; no order request ever reached it.
    expect(sim.state.requests().some((r) => r.kind === 'ticker24hr')).toBe(true)
    expect(orderRequests(sim)).toEqual([])
  })

  it('fills a resting limit when the exchange’s price moves through it, at the limit, as maker', async () => {
    const { sim, svc, prices } = await setup()
    sim.market.setPrice('BTCUSDT', 50_000, { freeze: true })
    const resting = await svc.placeOrder(order({ type: 'limit', price: '49000', amount: '0.01' }))
    expect(resting.status).toBe('open')
    // 0.01 * 49,000 = 490 USDT held for it.
    expect(balancesOf(await svc.balances(P))['USDT']).toEqual({ free: '9510', used: '490' })
    expect(svc.tickPaper()).toBe(0)

    sim.market.setPrice('BTCUSDT', 48_500, { freeze: true })
    await until(() => prices().quote(BTC)?.last.toString() === '48500', 'the feed bringing the new price')
    expect(svc.tickPaper()).toBe(1)
    const [filled] = svc.orders(P, { limit: 10 })
    expect(filled).toMatchObject({ clientOrderId: resting.clientOrderId, status: 'filled', average: '49000' })
    expect(svc.fills(P, { limit: 10 })).toEqual([
      expect.objectContaining({
        price: '49000',
        cost: '490',
        takerOrMaker: 'maker',
        fee: { cost: '0.00001', currency: 'BTC' },
      }),
    ])
    expect(balancesOf(await svc.balances(P))).toEqual({
      BTC: { free: '0.00999', used: '0' },
      USDT: { free: '9510', used: '0' },
    })
    expect(orderRequests(sim)).toEqual([])
  })

  it('refuses market orders on stale prices and keeps resting orders waiting until prices return', async () => {
    const { sim, svc, clock, prices } = await setup({ maxAgeMs: 5_000 })
    sim.market.setPrice('BTCUSDT', 50_000, { freeze: true })
    const resting = await svc.placeOrder(order({ type: 'limit', price: '49000', amount: '0.01' }))
    expect(resting.status).toBe('open')

    // The exchange stops answering (ticker requests fail, its websocket is cut and refused), the
    // price moves through the limit unseen, and time passes beyond the 5 s a price stays usable.
    sim.faults.next('ticker24hr', '503', 1_000_000)
    sim.ws.refuseUpgrades(true)
    sim.ws.dropAll()
    sim.market.setPrice('BTCUSDT', 48_000, { freeze: true })
    clock.offsetMs += 6_000
    expect(prices().quote(BTC)).toBeUndefined()

    const refused = await rejection(svc.placeOrder(order({ amount: '0.01' })))
    expect(refused.kind).toBe('unavailable')
    expect(refused.message).toMatch(/binance/)
    expect(refused.message).toMatch(/old|not answering/)
    const check = await svc.validateOrder(order({ amount: '0.01' }))
    expect(check).toMatchObject({ valid: false, error: { kind: 'unavailable' } })
    // The resting order is not filled at the old price, nor at a price nobody could see.
    expect(svc.tickPaper()).toBe(0)
    expect(svc.fills(P, { limit: 10 })).toEqual([])
    expect(balancesOf(await svc.balances(P))['USDT']).toEqual({ free: '9510', used: '490' })

    // The exchange answers again (past any breaker cool-down): the feed brings 48,000 and the limit fills.
    sim.faults.clear()
    sim.ws.refuseUpgrades(false)
    clock.offsetMs += 120_000
    await until(() => prices().quote(BTC)?.last.toString() === '48000', 'prices coming back')
    expect(svc.tickPaper()).toBe(1)
    expect(svc.fills(P, { limit: 10 })).toEqual([expect.objectContaining({ price: '49000', amount: '0.01' })])
    expect(orderRequests(sim)).toEqual([])
  })

  it('checks orders against the exchange’s own filters', async () => {
    // A simulator whose BTC/USDT minimum notional is 10 USDT (Binance's is 5; the demo market's is 5).
    const markets = DEFAULT_MARKETS.map((m) => (m.symbol === 'BTCUSDT' ? { ...m, minNotional: '10' } : m))
    const { sim, svc } = await setup({ sim: { markets } })
    sim.market.setPrice('BTCUSDT', 50_000, { freeze: true })
    // 0.00015 BTC at the ask 50,000.01 is 7.5000015 USDT: 2.50 short of 10.
    const check = await svc.validateOrder(order({ amount: '0.00015' }))
    expect(check.valid).toBe(false)
    expect(check.error?.kind).toBe('invalid_order')
    expect(check.error?.message).toContain('below the minimum 10 USDT by 2.50')
    const refused = await rejection(svc.placeOrder(order({ amount: '0.00015' })))
    expect(refused.kind).toBe('invalid_order')
    expect(refused.message).toContain('minimum 10 USDT')
    // The exchange's amount step (0.00001) applies: 0.000259 is placed as 0.00025 (0.00025 * 50,000 = 12.5 USDT).
    const placed = await svc.placeOrder(order({ type: 'limit', price: '50000', amount: '0.000259' }))
    expect(placed.amount).toBe('0.00025')
    expect(orderRequests(sim)).toEqual([])
  })
})
