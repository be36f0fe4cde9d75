/**
 * `trading.modifyOrder` on paper: amended in place through the service, on a real SQLite file.
 */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import type { TradingUpdate } from '../../src/shared/domain/trading'
import { DEFAULT_ACCOUNT_ID } from '../../src/main/trading/service'
import { useTempDirs } from '../support/temp-dir'
import { closeDatabase, ManualClock, openTradingDb, Prices, service } from './support'

const tempDir = useTempDirs()
const A = DEFAULT_ACCOUNT_ID
const settings = {
  takerFeeBps: 10,
  makerFeeBps: 5,
  slippageBps: 0,
  startingAmount: '10000',
  startingAsset: 'USDT',
}

function setup(dir = tempDir()) {
  const db = openTradingDb(dir)
  const clock = new ManualClock()
  const prices = new Prices().set('BTC/USDT', { bid: 99, ask: 100, last: 99.5 })
  const svc = service(db, clock, prices, { paperSettings: settings })
  return { dir, db, clock, prices, svc }
}

type Svc = ReturnType<typeof setup>['svc']

async function balances(svc: Svc) {
  const b = await svc.balances(A)
  return Object.fromEntries(b.balances.map((x) => [x.asset, { free: x.free, used: x.used }]))
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a rejection')
}

const limit = (svc: Svc, side: 'buy' | 'sell', amount: number, price: number) =>
  svc.placeOrder({
    accountId: A,
    symbol: 'BTC/USDT',
    side,
    type: 'limit',
    amount: String(amount),
    price: String(price),
  })
const stop = (svc: Svc, side: 'buy' | 'sell', amount: number, stopPrice: number) =>
  svc.placeOrder({
    accountId: A,
    symbol: 'BTC/USDT',
    side,
    type: 'stop',
    amount: String(amount),
    stopPrice: String(stopPrice),
  })

describe('modifying paper orders', () => {
  it('moves a resting limit: same client id, new price, funds held at the new price, reported, and it fills there', async () => {
    const { svc, prices } = setup()
    const order = await limit(svc, 'buy', 0.5, 95)
    expect(await balances(svc)).toEqual({ USDT: { free: '9952.5', used: '47.5' } })
    const seen: TradingUpdate[] = []
    const off = svc.subscribe(A, (u) => seen.push(u))
    // 96.004 is rounded down to the tick for a buy, as a new order's price would be.
    const m = await svc.modifyOrder({ accountId: A, clientOrderId: order.clientOrderId, price: '96.004' })
    off()
    expect(m.method).toBe('amended')
    expect(m.previous).toBeNull()
    expect(m.order).toMatchObject({
      clientOrderId: order.clientOrderId,
      status: 'open',
      price: '96',
      amount: '0.5',
    })
    expect(seen.some((u) => u.type === 'order' && u.order.price === '96')).toBe(true)
    expect(await balances(svc)).toEqual({ USDT: { free: '9952', used: '48' } })
    expect(svc.orders(A, { limit: 10 })).toEqual([
      expect.objectContaining({ clientOrderId: order.clientOrderId, price: '96' }),
    ])

    // Trades through 96 but not 95: it fills at its new price, as maker.
    prices.set('BTC/USDT', { bid: 95.8, ask: 95.9, last: 95.5 })
    expect(svc.tickPaper()).toBe(1)
    const [filled] = svc.orders(A, { limit: 10 })
    expect(filled).toMatchObject({ status: 'filled', average: '96', filled: '0.5' })
    expect(svc.fills(A, { limit: 10 })[0]).toMatchObject({ price: '96', takerOrMaker: 'maker' })
    expect(await balances(svc)).toEqual({
      USDT: { free: '9952', used: '0' },
      BTC: { free: '0.49975', used: '0' },
    })
  })

  it('counts what the order already holds: a buy using nearly all the quote can still be moved up', async () => {
    const { svc } = setup()
    const order = await limit(svc, 'buy', 99, 95) // holds 9,405 of 10,000
    const m = await svc.modifyOrder({ accountId: A, clientOrderId: order.clientOrderId, price: '99' })
    expect(m.order.price).toBe('99')
    expect(await balances(svc)).toEqual({ USDT: { free: '199', used: '9801' } })
    // 101 * 99 = 9,999 fits in 10,000; 102 * 99 = 10,098 does not, and nothing changes.
    const short = await rejection(
      svc.modifyOrder({ accountId: A, clientOrderId: order.clientOrderId, amount: '102' }),
    )
    expect(short.kind).toBe('insufficient_funds')
    expect(short.path).toBe('params.amount')
    expect(svc.orders(A, { limit: 10 })[0]).toMatchObject({ amount: '99', price: '99', status: 'open' })
    expect(await balances(svc)).toEqual({ USDT: { free: '199', used: '9801' } })
  })

  it('refuses a stop moved to where the last price already triggers it, and a field the order does not have', async () => {
    const { svc } = setup()
    await svc.placeOrder({ accountId: A, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '1' })
    const s = await stop(svc, 'sell', 0.5, 90)
    const wrongSide = await rejection(
      svc.modifyOrder({ accountId: A, clientOrderId: s.clientOrderId, stopPrice: '99.6' }),
    )
    expect(wrongSide).toMatchObject({ kind: 'invalid_order', path: 'params.stopPrice' })
    expect(wrongSide.message).toMatch(/stop price 99.60 USDT must be below the market price 99.50 USDT/)
    const noLimit = await rejection(
      svc.modifyOrder({ accountId: A, clientOrderId: s.clientOrderId, price: '95' }),
    )
    expect(noLimit).toMatchObject({ kind: 'invalid_order', path: 'params.price' })
    const nothing = await rejection(svc.modifyOrder({ accountId: A, clientOrderId: s.clientOrderId }))
    expect(nothing.kind).toBe('validation')
    expect(svc.orders(A, { limit: 10 }).find((o) => o.clientOrderId === s.clientOrderId)).toMatchObject({
      stopPrice: '90',
      status: 'open',
    })
    const moved = await svc.modifyOrder({ accountId: A, clientOrderId: s.clientOrderId, stopPrice: '97.5' })
    expect(moved.order).toMatchObject({ stopPrice: '97.5', type: 'stop', status: 'open' })
  })

  it('fills a limit moved through the market at once, as taker, never beyond its new limit', async () => {
    const { svc } = setup()
    const order = await limit(svc, 'buy', 1, 95)
    const m = await svc.modifyOrder({ accountId: A, clientOrderId: order.clientOrderId, price: '100.5' })
    expect(m.order).toMatchObject({
      clientOrderId: order.clientOrderId,
      status: 'filled',
      average: '100',
      price: '100.5',
    })
    expect(svc.fills(A, { limit: 10 })).toEqual([
      expect.objectContaining({ price: '100', takerOrMaker: 'taker' }),
    ])
    expect(await balances(svc)).toEqual({
      USDT: { free: '9900', used: '0' },
      BTC: { free: '0.999', used: '0' },
    })
  })

  it('a new stop price loses the order its place: the stop behind it now gets the funds first', async () => {
    const { svc, prices } = setup()
    // Two buy stops that one move triggers; each holds its stop price, and the fill costs more,
    // so whichever is first in line fills and leaves too little for the other.
    svc.resetPaper(A, { startingBalance: '203' })
    const first = await stop(svc, 'buy', 1, 101)
    const second = await stop(svc, 'buy', 1, 101)
    const moved = await svc.modifyOrder({
      accountId: A,
      clientOrderId: first.clientOrderId,
      stopPrice: '100.9',
    })
    expect(Number(moved.order.exchangeOrderId)).toBeGreaterThan(Number(second.exchangeOrderId))
    prices.set('BTC/USDT', { bid: 101.9, ask: 102, last: 102 })
    svc.tickPaper()
    const byId = new Map(svc.orders(A, { limit: 10 }).map((o) => [o.clientOrderId, o]))
    expect(byId.get(second.clientOrderId)).toMatchObject({ status: 'filled', average: '102' })
    expect(byId.get(first.clientOrderId)).toMatchObject({ status: 'canceled', filled: '0' })
  })

  it('a smaller amount keeps the order its place; a larger one does not', async () => {
    const { svc } = setup()
    const order = await limit(svc, 'buy', 1, 90)
    const smaller = await svc.modifyOrder({ accountId: A, clientOrderId: order.clientOrderId, amount: '0.6' })
    expect(smaller.order).toMatchObject({ amount: '0.6', exchangeOrderId: order.exchangeOrderId })
    expect(await balances(svc)).toEqual({ USDT: { free: '9946', used: '54' } })
    const larger = await svc.modifyOrder({ accountId: A, clientOrderId: order.clientOrderId, amount: '0.8' })
    expect(larger.order.amount).toBe('0.8')
    expect(larger.order.exchangeOrderId).not.toBe(order.exchangeOrderId)
  })

  it('refuses an order that is no longer open, and answers a change that rounding undoes with the order as it is', async () => {
    const { svc } = setup()
    const order = await limit(svc, 'buy', 0.1, 90)
    const same = await svc.modifyOrder({ accountId: A, clientOrderId: order.clientOrderId, price: '90.004' })
    expect(same.order).toMatchObject({ price: '90', updatedAt: order.updatedAt })
    await svc.cancelOrder(A, order.clientOrderId)
    const gone = await rejection(
      svc.modifyOrder({ accountId: A, clientOrderId: order.clientOrderId, price: '91' }),
    )
    expect(gone).toMatchObject({ kind: 'conflict', path: 'params.clientOrderId' })
    expect(gone.message).toMatch(/already canceled/)
    const unknown = await rejection(svc.modifyOrder({ accountId: A, clientOrderId: 'cw-nope', price: '91' }))
    expect(unknown.kind).toBe('not_found')
  })

  it('keeps the amended order across a restart', async () => {
    const first = setup()
    const order = await limit(first.svc, 'buy', 0.2, 90)
    await first.svc.modifyOrder({
      accountId: A,
      clientOrderId: order.clientOrderId,
      price: '91',
      amount: '0.3',
    })
    first.svc.close()
    closeDatabase(first.db)
    const again = setup(first.dir)
    await again.svc.start()
    expect(again.svc.orders(A, { limit: 10 })).toEqual([
      expect.objectContaining({
        clientOrderId: order.clientOrderId,
        price: '91',
        amount: '0.3',
        status: 'open',
      }),
    ])
    expect(await balances(again.svc)).toEqual({ USDT: { free: '9972.7', used: '27.3' } })
    again.svc.close()
  })

  it("moves a take-profit and a stop-limit by their own side of the market, and refuses a trailing stop's stop", async () => {
    const { svc, prices } = setup()
    await limit(svc, 'buy', 1, 100)
    // A sell take-profit fires when the last price rises to its trigger: it may move up, or down
    // only while it stays above the market.
    const tp = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'take_profit',
      amount: '0.4',
      stopPrice: '110',
    })
    const moved = await svc.modifyOrder({ accountId: A, clientOrderId: tp.clientOrderId, stopPrice: '105' })
    expect(moved.order).toMatchObject({ type: 'take_profit', stopPrice: '105', status: 'open' })
    const wrong = await rejection(
      svc.modifyOrder({ accountId: A, clientOrderId: tp.clientOrderId, stopPrice: '98' }),
    )
    expect(wrong.path).toBe('params.stopPrice')
    // A stop-limit keeps both prices and changes each on its own.
    const sl = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop_limit',
      amount: '0.4',
      stopPrice: '90',
      price: '89',
    })
    const limitMoved = await svc.modifyOrder({ accountId: A, clientOrderId: sl.clientOrderId, price: '88' })
    expect(limitMoved.order).toMatchObject({ stopPrice: '90', price: '88', status: 'open' })
    const trail = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'trailing_stop',
      amount: '0.1',
      trailingPercent: '5',
    })
    const refused = await rejection(
      svc.modifyOrder({ accountId: A, clientOrderId: trail.clientOrderId, stopPrice: '90' }),
    )
    expect(refused.path).toBe('params.stopPrice')
    // The moved take-profit fires at its new trigger, not the old one.
    prices.set('BTC/USDT', { bid: 105, ask: 105.1, last: 105 })
    svc.tickPaper()
    expect(svc.orders(A, { limit: 20 }).find((o) => o.clientOrderId === tp.clientOrderId)?.status).toBe(
      'filled',
    )
  })
})
