/**
 * The order path through real ccxt against the Binance simulator on loopback.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/main/clock'
import { Decimal } from '../../src/main/trading/decimal'
import { positionsFromFills } from '../../src/main/trading/positions'
import { memorySecretStore } from '../../src/main/secrets/store'
import type { TradingService } from '../../src/main/trading/service'
import { binanceClientFor } from '../simulator/ccxt-client'
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/server'
import { useTempDirs } from '../support/temp-dir'
import { closeDatabase, d, exchangeHub, openTradingDb, Prices, service } from './support'

/** A simulator number (its exact 8-place units, as a double) as decimal text. */
const text = (x: number) => Decimal.fromNumber(x).toString()

const tempDir = useTempDirs()
const sims: Simulator[] = []
const services: TradingService[] = []
afterEach(async () => {
  for (const s of services.splice(0)) s.close()
  await Promise.all(sims.splice(0).map((s) => s.close()))
})

const L = 'binance-sim'
const RECV = 1_000
const TIMEOUT = 300

async function sim(opts: SimulatorOptions = {}): Promise<Simulator> {
  const s = await startSimulator({ seed: 11, ...opts })
  sims.push(s)
  return s
}

/** A service with a live account on the simulator; `fast` uses short timeouts for fault tests. */
/** Secrets outlive a restart (the desktop keeps them in safeStorage). */
const secrets = memorySecretStore()

async function app(s: Simulator, dir = tempDir(), fast = false, fresh = true) {
  const db = openTradingDb(dir)
  // The engine's way: the account trades through the hub's binance connection.
  const hub = exchangeHub(db, systemClock, {
    secrets,
    connectionOptions: fast ? { timeoutMs: TIMEOUT, rateLimitMs: 1 } : {},
  })
  const svc = service(db, systemClock, new Prices(), {
    exchanges: hub,
    outcomeMarginMs: 200,
    backoffBaseMs: 50,
    backoffMaxMs: 400,
  })
  services.push(svc)
  if (fast) await hub.configure('binance', { recvWindowMs: RECV })
  if (fresh) {
    await svc.saveAccount({
      id: L,
      name: 'Simulated Binance',
      mode: 'live',
      exchangeId: 'binance',
      apiUrl: s.url,
      liveEnabled: true,
      apiKey: s.apiKey,
      secret: s.secret,
      checkKeys: true,
    })
  }
  return { db, svc, dir }
}

const order = (p: Record<string, unknown>) =>
  ({ accountId: L, symbol: 'BTC/USDT', side: 'buy', type: 'market', confirm: true, ...p }) as Parameters<
    TradingService['placeOrder']
  >[0]

async function until(
  check: () => boolean | Promise<boolean>,
  step: () => Promise<unknown>,
  tries = 60,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return
    await step()
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('condition not reached')
}

describe('live trading through ccxt against the simulator', () => {
  it('runs an order’s life: market fill with fees, resting limit, cancel; balances and fills match the exchange', async () => {
    const s = await sim()
    s.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    const { svc } = await app(s)
    const filled = await svc.placeOrder(order({ amount: '0.01' }))
    expect(filled.status).toBe('filled')
    expect(filled.filled).toBe('0.01')
    expect(filled.fees).toEqual([{ currency: 'BTC', cost: '0.00001' }]) // 0.1% of 0.01 BTC
    const [x] = s.state.orders({ clientOrderId: filled.clientOrderId })
    expect(x).toMatchObject({ status: 'FILLED', orderId: Number(filled.exchangeOrderId) })
    const simTrades = s.state.trades()
    expect(svc.fills(L, { limit: 10 }).map((f) => [f.tradeId, f.amount, f.price, f.fee?.cost])).toEqual(
      simTrades.map((t) => [String(t.id), text(t.qty), text(t.price), text(t.commission)]),
    )

    const rest = await svc.placeOrder(order({ type: 'limit', amount: '0.02', price: '50000' }))
    expect(rest.status).toBe('open')
    const canceled = await svc.cancelOrder(L, rest.clientOrderId)
    expect(canceled.status).toBe('canceled')
    expect(s.state.orders({ clientOrderId: rest.clientOrderId })[0]?.status).toBe('CANCELED')

    const { balances } = await svc.balances(L)
    const theirs = s.state.balances()
    for (const b of balances) expect(b.total, b.asset).toBe(text(theirs[b.asset]!.total))
    // the position from our fills equals the one from the exchange's trades
    const [mine] = await svc.positions(L)
    const [ref] = positionsFromFills(
      L,
      simTrades.map((t) => ({
        symbol: 'BTC/USDT',
        side: t.isBuyer ? 'buy' : 'sell',
        amount: d(t.qty),
        price: d(t.price),
        fee: { cost: d(t.commission), currency: t.commissionAsset },
        time: t.time,
      })),
    )
    expect(mine!.amount).toBe(ref!.amount)
    expect(mine!.realizedPnl).toBe(ref!.realizedPnl)
  })

  it('follows a resting order through partial fills', async () => {
    const s = await sim({
      limitFills: { mode: 'partial', fraction: 0.25 },
      autoMatch: false,
      matchEveryMs: 3_600_000,
    })
    s.market.setPrice('SOLUSDT', 150, { freeze: true })
    const { svc } = await app(s)
    const o = await svc.placeOrder(
      order({ symbol: 'SOL/USDT', side: 'sell', type: 'limit', amount: '2', price: '155' }),
    )
    expect(o.status).toBe('open')
    s.market.setPrice('SOLUSDT', 156, { freeze: true })
    const seen: Array<[string, string, number]> = []
    for (let i = 0; i < 4; i++) {
      s.market.tick()
      await svc.syncLive(L)
      const now = svc.orders(L, { limit: 1 })[0]!
      seen.push([now.status, now.filled, svc.fills(L, { limit: 10 }).length])
    }
    expect(seen).toEqual([
      ['partially_filled', '0.5', 1],
      ['partially_filled', '1', 2],
      ['partially_filled', '1.5', 3],
      ['filled', '2', 4],
    ])
    expect(svc.events(L, { limit: 10 })).toEqual([])
  })

  it('after a restart, reconciles fills missed while away and orders placed elsewhere', async () => {
    const s = await sim({ autoMatch: false })
    s.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    const first = await app(s)
    const rest = await first.svc.placeOrder(order({ type: 'limit', amount: '0.1', price: '59000' }))
    first.svc.close()
    closeDatabase(first.db)

    // while Candlework is closed: the order fills, and someone trades on the website
    s.market.setPrice('BTCUSDT', 58_990, { freeze: true })
    s.market.tick()
    const web = binanceClientFor(s)
    await web.loadMarkets()
    await web.createOrder('BTC/USDT', 'limit', 'sell', 0.05, 70_000, { clientOrderId: 'web-order-1' })

    const second = await app(s, first.dir, false, false)
    await second.svc.start()
    const kinds = second.svc
      .events(L, { limit: 10 })
      .map((e) => e.kind)
      .sort()
    expect(kinds).toEqual(['missed_fill', 'state_mismatch', 'unknown_order'])
    const orders = second.svc.orders(L, { limit: 10 })
    expect(orders.find((o) => o.clientOrderId === rest.clientOrderId)).toMatchObject({
      status: 'filled',
      average: '59000',
    })
    expect(orders.find((o) => o.clientOrderId === 'web-order-1')).toMatchObject({
      origin: 'external',
      status: 'open',
    })
    expect(second.svc.fills(L, { limit: 10 })).toHaveLength(1)
    await second.svc.reconcile(L)
    expect(second.svc.events(L, { limit: 10 })).toHaveLength(3)
  })

  it('resolves unknown outcomes from real faults without ever sending an order twice', async () => {
    const s = await sim()
    s.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    const { svc } = await app(s, tempDir(), true)
    const venue = await svc.venue(svc.account(L))
    await venue.loadMarkets()
    await svc.balances(L)

    // accepted, then the connection drops before the answer
    s.faults.next('createOrder', 'drop-after-accept')
    const dropped = await svc.placeOrder(order({ amount: '0.001' }))
    expect(dropped.status).toBe('filled')

    // delivered twice: the copy is refused as a duplicate; one order
    s.faults.next('createOrder', 'duplicate')
    const dup = await svc.placeOrder(order({ amount: '0.001' }))
    expect(dup.status).toBe('filled')

    // processed late, after our timeout
    s.faults.next('createOrder', 'timeout-exec', 1, { holdMs: TIMEOUT + 200 })
    const late = await svc.placeOrder(order({ amount: '0.001' }))
    await until(
      () =>
        svc.orders(L, { limit: 20 }).find((o) => o.clientOrderId === late.clientOrderId)!.status === 'filled',
      () => svc.checkUnknown(),
    )

    // never processed: unknown until the receive window has passed, then not placed
    s.faults.next('createOrder', 'timeout', 1, { holdMs: TIMEOUT + 200 })
    const lost = await svc.placeOrder(order({ amount: '0.001' }))
    expect(lost.status).toBe('unknown')
    await until(
      () =>
        svc.orders(L, { limit: 20 }).find((o) => o.clientOrderId === lost.clientOrderId)!.status ===
        'not_placed',
      () => svc.checkUnknown(),
    )

    // refused with 429: not placed at once
    s.faults.next('createOrder', '429')
    await expect(svc.placeOrder(order({ amount: '0.001' }))).rejects.toMatchObject({
      kind: 'rate_limited',
      retryAfter: 1,
    })

    await s.settled()
    const ids = [dropped, dup, late, lost].map((o) => o.clientOrderId)
    expect(ids.map((id) => s.state.orders({ clientOrderId: id }).length)).toEqual([1, 1, 1, 0])
    const sends = s.state.requests({ kind: 'createOrder' }).map((r) => r.params['newClientOrderId'])
    expect(new Set(sends).size).toBe(sends.length) // no client order id sent twice by us
    expect(svc.fills(L, { limit: 10 })).toHaveLength(3)
  })
})
