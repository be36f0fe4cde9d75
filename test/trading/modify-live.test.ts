/**
 * `trading.modifyOrder` on a live account: real ccxt against the Binance simulator on loopback,
 * both ways: ccxt's editOrder (Binance's cancel-replace) and cancel-then-place.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import { systemClock } from '../../src/main/clock'
import { CcxtVenue } from '../../src/main/trading/ccxt-venue'
import { memorySecretStore } from '../../src/main/secrets/store'
import type { TradingService } from '../../src/main/trading/service'
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/server'
import { useTempDirs } from '../support/temp-dir'
import { exchangeHub, openTradingDb, Prices, service } from './support'

const tempDir = useTempDirs()
const sims: Simulator[] = []
const services: TradingService[] = []
afterEach(async () => {
  for (const s of services.splice(0)) s.close()
  await Promise.all(sims.splice(0).map((s) => s.close()))
})

const L = 'binance-sim'
const TIMEOUT = 300

async function sim(opts: SimulatorOptions = {}): Promise<Simulator> {
  const s = await startSimulator({ seed: 7, autoMatch: false, ...opts })
  sims.push(s)
  s.market.setPrice('BTCUSDT', 60_000, { freeze: true })
  return s
}

/**
 * A service with a live account on the simulator. `edit: false` makes the account's venue
 * modify by cancel-then-place although Binance could edit.
 */
async function app(s: Simulator, opts: { edit?: boolean } = {}) {
  const db = openTradingDb(tempDir())
  const hub = exchangeHub(db, systemClock, {
    secrets: memorySecretStore(),
    connectionOptions: { timeoutMs: TIMEOUT, rateLimitMs: 1 },
  })
  const svc = service(db, systemClock, new Prices(), {
    exchanges: hub,
    outcomeMarginMs: 200,
    backoffBaseMs: 50,
    backoffMaxMs: 400,
    ...(opts.edit === false
      ? { liveVenue: (a) => new CcxtVenue(hub, a.exchangeId, { editOrders: false }) }
      : {}),
  })
  services.push(svc)
  // The connection and its checked keys first, so that the switch's own check (through the
  // stand-in venue when there is one) signs with them at the simulator.
  await hub.configure('binance', { recvWindowMs: 1_000, apiUrl: s.url })
  await hub.setKeys('binance', { apiKey: s.apiKey, secret: s.secret }, true)
  await svc.saveAccount({
    id: L,
    name: 'Simulated Binance',
    mode: 'live',
    exchangeId: 'binance',
    liveEnabled: true,
  })
  return svc
}

const limitBuy = (svc: TradingService, amount: number, price: number) =>
  svc.placeOrder({
    accountId: L,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    amount: String(amount),
    price: String(price),
    confirm: true,
  })

/** What the exchange has open, by client order id. */
const openOnExchange = (s: Simulator) =>
  s.state
    .orders()
    .filter((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED')
    .map((o) => ({ clientOrderId: o.clientOrderId, price: o.price, qty: o.origQty }))

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a rejection')
}

async function until(check: () => boolean, step: () => Promise<unknown>, tries = 60): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (check()) return
    await step()
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('condition not reached')
}

describe('modifying live orders through ccxt against the simulator', () => {
  it('edits with one cancel-replace: a linked replacement, the old one canceled, one order on the book', async () => {
    const s = await sim()
    const svc = await app(s)
    const order = await limitBuy(svc, 0.02, 50_000)
    const m = await svc.modifyOrder({
      accountId: L,
      clientOrderId: order.clientOrderId,
      price: '51000.004',
      confirm: true,
    })
    expect(m.method).toBe('edited')
    expect(m.order).toMatchObject({
      clientOrderId: `${order.clientOrderId}-r1`,
      status: 'open',
      price: '51000', // rounded down to the tick, as a new buy's price is
      amount: '0.02',
    })
    expect(m.previous).toMatchObject({ clientOrderId: order.clientOrderId, status: 'canceled' })
    expect(openOnExchange(s)).toEqual([
      { clientOrderId: `${order.clientOrderId}-r1`, price: 51000, qty: 0.02 },
    ])
    expect(s.state.requests({ kind: 'cancelReplace' })).toHaveLength(1)
    expect(s.state.requests({ kind: 'cancelOrder' })).toHaveLength(0)

    // A second move replaces the replacement: same root, next number.
    const again = await svc.modifyOrder({
      accountId: L,
      clientOrderId: m.order.clientOrderId,
      price: '52000',
      confirm: true,
    })
    expect(again.order.clientOrderId).toBe(`${order.clientOrderId}-r2`)
    expect(openOnExchange(s)).toEqual([
      { clientOrderId: `${order.clientOrderId}-r2`, price: 52000, qty: 0.02 },
    ])
  })

  it('edits a partly filled order into one for what is left, having asked the exchange first', async () => {
    const s = await sim({ limitFills: { mode: 'partial', fraction: 0.25 } })
    const svc = await app(s)
    const order = await limitBuy(svc, 0.04, 59_000)
    // A quarter fills on the exchange; Candlework has not heard of it yet.
    s.market.setPrice('BTCUSDT', 58_900, { freeze: true })
    s.market.tick()
    s.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    const m = await svc.modifyOrder({
      accountId: L,
      clientOrderId: order.clientOrderId,
      price: '58000',
      confirm: true,
    })
    expect(m.method).toBe('edited')
    expect(m.order).toMatchObject({ status: 'open', amount: '0.03', price: '58000' })
    expect(m.previous).toMatchObject({ status: 'canceled', filled: '0.01' })
    expect(openOnExchange(s)).toEqual([
      { clientOrderId: `${order.clientOrderId}-r1`, price: 58000, qty: 0.03 },
    ])
    expect(svc.fills(L, { limit: 10 })).toEqual([expect.objectContaining({ amount: '0.01', price: '59000' })])
  })

  it('cancels, then places, where the exchange cannot edit; the replacement carries what is left', async () => {
    const s = await sim({ limitFills: { mode: 'partial', fraction: 0.25 } })
    const svc = await app(s, { edit: false })
    const order = await limitBuy(svc, 0.04, 59_000)
    // A quarter fills on the exchange; Candlework has not heard of it yet.
    s.market.setPrice('BTCUSDT', 58_900, { freeze: true })
    s.market.tick()
    s.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    const m = await svc.modifyOrder({
      accountId: L,
      clientOrderId: order.clientOrderId,
      price: '58000',
      confirm: true,
    })
    expect(m.method).toBe('replaced')
    expect(m.previous).toMatchObject({
      clientOrderId: order.clientOrderId,
      status: 'canceled',
      filled: '0.01',
    })
    expect(m.order).toMatchObject({
      clientOrderId: `${order.clientOrderId}-r1`,
      status: 'open',
      amount: '0.03',
      price: '58000',
    })
    expect(openOnExchange(s)).toEqual([
      { clientOrderId: `${order.clientOrderId}-r1`, price: 58000, qty: 0.03 },
    ])
    const kinds = s.state
      .requests()
      .map((r) => r.kind)
      .filter((k) => k === 'cancelOrder' || k === 'createOrder' || k === 'cancelReplace')
    // the first order, then the cancel strictly before the replacement
    expect(kinds).toEqual(['createOrder', 'cancelOrder', 'createOrder'])
    expect(svc.fills(L, { limit: 10 })).toEqual([expect.objectContaining({ amount: '0.01', price: '59000' })])
  })

  it('places nothing when the cancel’s outcome is unknown', async () => {
    const s = await sim()
    const svc = await app(s, { edit: false })
    const order = await limitBuy(svc, 0.02, 50_000)
    // The exchange cancels, the answer is lost.
    s.faults.next('cancelOrder', 'drop-after-accept')
    const e = await rejection(
      svc.modifyOrder({ accountId: L, clientOrderId: order.clientOrderId, price: '51000', confirm: true }),
    )
    // A reset connection: the exchange may or may not have canceled it.
    expect(['unavailable', 'outcome_unknown']).toContain(e.kind)
    expect(e.message).toMatch(/no replacement was placed/)
    await s.settled()
    expect(s.state.requests({ kind: 'createOrder' })).toHaveLength(1)
    expect(openOnExchange(s)).toEqual([])
    expect(svc.orders(L, { limit: 10 }).map((o) => o.clientOrderId)).toEqual([order.clientOrderId])
    // The live sync then learns that it is canceled.
    await svc.syncLive(L)
    expect(svc.orders(L, { limit: 10 })[0]).toMatchObject({ status: 'canceled' })
  })

  it('looks the replacement up when the edit’s answer is lost, never editing twice', async () => {
    const s = await sim()
    const svc = await app(s)
    const order = await limitBuy(svc, 0.02, 50_000)
    s.faults.next('cancelReplace', 'drop-after-accept')
    const m = await svc.modifyOrder({
      accountId: L,
      clientOrderId: order.clientOrderId,
      price: '50500',
      confirm: true,
    })
    const id = `${order.clientOrderId}-r1`
    await until(
      () => svc.orders(L, { limit: 10 }).find((o) => o.clientOrderId === id)?.status === 'open',
      () => svc.checkUnknown(),
    )
    expect(m.order.clientOrderId).toBe(id)
    expect(s.state.requests({ kind: 'cancelReplace' })).toHaveLength(1)
    expect(openOnExchange(s)).toEqual([{ clientOrderId: id, price: 50500, qty: 0.02 }])
    expect(svc.orders(L, { limit: 10 }).find((o) => o.clientOrderId === order.clientOrderId)).toMatchObject({
      status: 'canceled',
    })
  })

  it('checks like a new order before sending anything: the live switch, confirm, a wrong-side stop, funds', async () => {
    const s = await sim({ balances: { USDT: 10_000, BTC: 0.5 } })
    const svc = await app(s)
    const stop = await svc.placeOrder({
      accountId: L,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop',
      amount: '0.1',
      stopPrice: '55000',
      confirm: true,
    })
    expect(stop.status).toBe('open')
    const unconfirmed = await rejection(
      svc.modifyOrder({ accountId: L, clientOrderId: stop.clientOrderId, stopPrice: '56000' }),
    )
    expect(unconfirmed).toMatchObject({ kind: 'invalid_order', path: 'params.confirm' })
    const wrongSide = await rejection(
      svc.modifyOrder({ accountId: L, clientOrderId: stop.clientOrderId, stopPrice: '60500', confirm: true }),
    )
    expect(wrongSide).toMatchObject({ kind: 'invalid_order', path: 'params.stopPrice' })
    const tooMuch = await rejection(
      svc.modifyOrder({ accountId: L, clientOrderId: stop.clientOrderId, amount: '0.6', confirm: true }),
    )
    expect(tooMuch).toMatchObject({ kind: 'insufficient_funds', path: 'params.amount' })
    expect(s.state.requests({ kind: 'cancelReplace' })).toHaveLength(0)
    expect(s.state.requests({ kind: 'cancelOrder' })).toHaveLength(0)
    // Within what it holds plus what is free: 0.5 BTC in all.
    const moved = await svc.modifyOrder({
      accountId: L,
      clientOrderId: stop.clientOrderId,
      stopPrice: '56000',
      amount: '0.5',
      confirm: true,
    })
    expect(moved.order).toMatchObject({ type: 'stop', stopPrice: '56000', amount: '0.5', status: 'open' })
    expect(openOnExchange(s)).toHaveLength(1)
  })
})
