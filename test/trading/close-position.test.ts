import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import { useTempDirs } from '../support/temp-dir'
import { fakeExchange, FaultyVenue, ManualClock, openTradingDb, Prices, service, ZERO_FEES } from './support'

/*
 * Finding 4 (issue 12): closing a position while a protective stop holds its coins was refused
 * ("short by 0.00399"). trading.closePosition cancels the resting orders that hold the position
 * and closes exactly its size, in one confirmed action.
 */

const tempDir = useTempDirs()
const P = 'demo-paper'

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a rejection')
}

/** A paper long of 0.00399 BTC with a sell stop under it holding every coin. */
async function protectedLong(settings = ZERO_FEES, stopAmount = 0.00399) {
  const clock = new ManualClock()
  const prices = new Prices().set('BTC/USDT', { bid: 99_990, ask: 100_010, last: 100_000 })
  const db = openTradingDb(tempDir())
  const svc = service(db, clock, prices, { paperSettings: settings })
  const buy = await svc.placeOrder({
    accountId: P,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    amount: '0.00399',
  })
  clock.advance(1_000)
  const stop = await svc.placeOrder({
    accountId: P,
    symbol: 'BTC/USDT',
    side: 'sell',
    type: 'stop',
    amount: String(stopAmount),
    stopPrice: '90000',
  })
  clock.advance(1_000)
  return { clock, prices, db, svc, buy, stop }
}

const btc = async (svc: Awaited<ReturnType<typeof protectedLong>>['svc']) =>
  (await svc.balances(P)).balances.find((b) => b.asset === 'BTC') ?? { free: '0', used: '0', total: '0' }

describe('closing a position that a resting order holds (paper)', () => {
  it('without cancelResting the close is refused naming the stop that holds the coins; nothing changes', async () => {
    const { svc, stop } = await protectedLong()
    // What the trader saw before: the ticket's sell refused as short by the whole position.
    const plain = await rejection(
      svc.placeOrder({ accountId: P, symbol: 'BTC/USDT', side: 'sell', type: 'market', amount: '0.00399' }),
    )
    expect(plain.message).toMatch(/short by 0\.00399/)

    const err = await rejection(
      svc.closePosition({ accountId: P, symbol: 'BTC/USDT', cancelResting: false, dryRun: false }),
    )
    expect(err).toMatchObject({ kind: 'insufficient_funds', path: 'params.cancelResting' })
    expect(err.message).toMatch(/A resting sell stop of 0\.00399 at 90000 holds the BTC\/USDT position/)
    expect(svc.orders(P, { clientOrderId: stop.clientOrderId, limit: 1 })[0]!.status).toBe('open')
    expect(await btc(svc)).toMatchObject({ free: '0', used: '0.00399' })
  })

  it('a dry run lists the stop, says it must be canceled, and sends nothing', async () => {
    const { svc, stop } = await protectedLong()
    const plan = await svc.closePosition({
      accountId: P,
      symbol: 'BTC/USDT',
      cancelResting: true,
      dryRun: true,
    })
    expect(plan).toMatchObject({
      side: 'sell',
      amount: '0.00399',
      needsCancel: true,
      problem: null,
      canceled: [],
      order: null,
    })
    expect(plan.resting.map((o) => o.clientOrderId)).toEqual([stop.clientOrderId])
    expect(svc.orders(P, { limit: 10 })).toHaveLength(2)
  })

  it('with cancelResting it cancels the stop and sells exactly the position, in one action: flat, no BTC left', async () => {
    const { svc, stop } = await protectedLong()
    const done = await svc.closePosition({
      accountId: P,
      symbol: 'BTC/USDT',
      cancelResting: true,
      dryRun: false,
    })
    expect(done.canceled.map((o) => [o.clientOrderId, o.status])).toEqual([[stop.clientOrderId, 'canceled']])
    expect(done.order).toMatchObject({
      side: 'sell',
      type: 'market',
      amount: '0.00399',
      filled: '0.00399',
      status: 'filled',
    })
    expect(await svc.positions(P)).toEqual([])
    expect(await btc(svc)).toMatchObject({ free: '0', used: '0', total: '0' })
    expect(svc.orders(P, { clientOrderId: stop.clientOrderId, limit: 1 })[0]!.status).toBe('canceled')
  })

  it('with fees paid in the coin, it sells the position as held, rounded down to the lot step', async () => {
    const { svc } = await protectedLong({ makerFeeBps: 10, takerFeeBps: 10, slippageBps: 0 }, 0.00398)
    const [before] = await svc.positions(P)
    // 0.00399 bought, 0.1% of it paid as fee in BTC: 0.00398601 held.
    expect(before!.amount).toBe('0.00398601')
    const done = await svc.closePosition({
      accountId: P,
      symbol: 'BTC/USDT',
      cancelResting: true,
      dryRun: false,
    })
    expect(done.order).toMatchObject({ amount: '0.00398', status: 'filled' })
  })

  it('if the close is refused after the cancel, the cancel is undone: the stop still protects the position', async () => {
    const { svc, prices, stop } = await protectedLong()
    // No price: a market order cannot be placed.
    prices.set('BTC/USDT', { bid: 0, ask: 0, last: 0 })
    const err = await rejection(
      svc.closePosition({ accountId: P, symbol: 'BTC/USDT', cancelResting: true, dryRun: false }),
    )
    expect(err.message).toMatch(/The close was refused .*; nothing was canceled/)
    expect(svc.orders(P, { clientOrderId: stop.clientOrderId, limit: 1 })[0]!.status).toBe('open')
    expect(await btc(svc)).toMatchObject({ free: '0', used: '0.00399' })
    expect(svc.orders(P, { limit: 10 })).toHaveLength(2)
  })

  it('a symbol without a position is refused, naming the field', async () => {
    const { svc } = await protectedLong()
    const err = await rejection(
      svc.closePosition({ accountId: P, symbol: 'ETH/USDT', cancelResting: true, dryRun: false }),
    )
    expect(err).toMatchObject({ kind: 'not_found', path: 'params.symbol' })
  })
})

describe('closing a live position that a resting order holds', () => {
  async function liveLong() {
    const dir = tempDir()
    const clock = new ManualClock()
    const prices = new Prices().set('BTC/USDT', { bid: 99_990, ask: 100_010, last: 100_000 })
    const exchange = fakeExchange(join(dir, 'exchange'), clock, prices)
    const faulty = new FaultyVenue(exchange.venue, 5_000)
    const svc = service(openTradingDb(join(dir, 'app')), clock, prices, { liveVenue: () => faulty })
    await svc.saveAccount({
      id: 'live',
      name: 'Binance',
      mode: 'live',
      exchangeId: 'binance',
      liveEnabled: true,
      apiKey: 'k'.repeat(64),
      secret: 's'.repeat(64),
      checkKeys: true,
    })
    const common = { accountId: 'live', symbol: 'BTC/USDT', confirm: true }
    await svc.placeOrder({ ...common, side: 'buy', type: 'market', amount: '0.00399' })
    clock.advance(1_000)
    const stop = await svc.placeOrder({
      ...common,
      side: 'sell',
      type: 'stop',
      amount: '0.00399',
      stopPrice: '90000',
    })
    clock.advance(1_000)
    return { svc, faulty, exchange, stop }
  }

  it('needs the confirmation, like any live order', async () => {
    const { svc, faulty } = await liveLong()
    const sent = faulty.calls.length
    const err = await rejection(
      svc.closePosition({ accountId: 'live', symbol: 'BTC/USDT', cancelResting: true, dryRun: false }),
    )
    expect(err).toMatchObject({ kind: 'invalid_order', path: 'params.confirm' })
    expect(faulty.calls.slice(sent)).toEqual([])
  })

  it('cancels the stop on the exchange, then sells the position', async () => {
    const { svc, faulty, stop } = await liveLong()
    const done = await svc.closePosition({
      accountId: 'live',
      symbol: 'BTC/USDT',
      cancelResting: true,
      confirm: true,
      dryRun: false,
    })
    expect(done.canceled.map((o) => [o.clientOrderId, o.status])).toEqual([[stop.clientOrderId, 'canceled']])
    expect(done.order).toMatchObject({ side: 'sell', amount: '0.00399', status: 'filled' })
    expect(faulty.calls.filter((c) => c === 'cancelOrder')).toHaveLength(1)
    expect(await svc.positions('live')).toEqual([])
  })

  it('a cancel the exchange refuses stops it all: the error names the order and no close is sent', async () => {
    const { svc, faulty, stop } = await liveLong()
    faulty.cancelOrder = () => Promise.reject(new AppError('unavailable', 'faulty 503 Service Unavailable'))
    const creates = faulty.calls.filter((c) => c === 'createOrder').length
    const err = await rejection(
      svc.closePosition({
        accountId: 'live',
        symbol: 'BTC/USDT',
        cancelResting: true,
        confirm: true,
        dryRun: false,
      }),
    )
    expect(err).toMatchObject({ kind: 'unavailable', path: 'params.cancelResting' })
    expect(err.message).toContain(
      `Could not cancel the sell stop of 0.00399 at 90000 (${stop.clientOrderId})`,
    )
    expect(err.message).toMatch(/The position was not closed; nothing was canceled/)
    expect(faulty.calls.filter((c) => c === 'createOrder')).toHaveLength(creates)
    expect(svc.orders('live', { clientOrderId: stop.clientOrderId, limit: 1 })[0]!.status).toBe('open')
  })
})
