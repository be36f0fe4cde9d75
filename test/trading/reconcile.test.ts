import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../support/temp-dir'
import {
  closeDatabase,
  fakeExchange,
  FaultyVenue,
  ManualClock,
  d,
  openTradingDb,
  Prices,
  service,
} from './support'

const tempDir = useTempDirs()
const L = 'live'

async function world(
  dir = tempDir(),
  shared?: { clock: ManualClock; prices: Prices; exchange: ReturnType<typeof fakeExchange> },
) {
  const clock = shared?.clock ?? new ManualClock()
  const prices = shared?.prices ?? new Prices().set('BTC/USDT', { bid: 99, ask: 100, last: 99.5 })
  const exchange = shared?.exchange ?? fakeExchange(join(dir, 'exchange'), clock, prices)
  const venue = new FaultyVenue(exchange.venue)
  const db = openTradingDb(join(dir, 'app'))
  const svc = service(db, clock, prices, { liveVenue: () => venue })
  if (!shared)
    await svc.saveAccount({
      id: L,
      name: 'Binance',
      mode: 'live',
      liveEnabled: true,
      apiKey: 'key-123456789',
      secret: 'secret',
      checkKeys: true,
    })
  return { dir, clock, prices, exchange, venue, db, svc }
}

describe('reconciliation', () => {
  it('records an order the exchange has that we do not, and lists it as external', async () => {
    const w = await world()
    await w.exchange.venue.createOrder({
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: d('0.5'),
      price: d('90'),
      clientOrderId: 'web-1',
    })
    const summary = await w.svc.reconcile(L)
    expect(summary.events.map((e) => e.kind)).toEqual(['unknown_order'])
    expect(summary.events[0]!.detail).toMatch(
      /buy limit order for 0.5 BTC\/USDT \(open\) that Candlework had no record of/,
    )
    const [o] = w.svc.orders(L, { limit: 10 })
    expect(o).toMatchObject({
      clientOrderId: 'web-1',
      origin: 'external',
      status: 'open',
      amount: '0.5',
      price: '90',
    })
    // a second run finds nothing new
    expect((await w.svc.reconcile(L)).events).toEqual([])
  })

  it('after a restart, records fills missed while away and the state change they caused, once', async () => {
    const first = await world()
    const order = await first.svc.placeOrder({
      accountId: L,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '0.3',
      price: '95',
      confirm: true,
    })
    expect(order.status).toBe('open')
    first.svc.close()
    closeDatabase(first.db)

    // while Candlework is closed, the price trades through and the exchange fills the order
    first.prices.set('BTC/USDT', { bid: 94, ask: 94.5, last: 94.2 })
    first.clock.advance(60_000)
    first.exchange.venue.tickSync(first.clock.now())

    const second = await world(first.dir, first)
    const summary = await second.svc.reconcile(L)
    expect(summary.events.map((e) => e.kind).sort()).toEqual(['missed_fill', 'state_mismatch'])
    const mismatch = summary.events.find((e) => e.kind === 'state_mismatch')!
    expect(mismatch.detail).toMatch(/was open here and is filled on the exchange/)
    const [now] = second.svc.orders(L, { limit: 10 })
    expect(now).toMatchObject({ status: 'filled', filled: '0.3', average: '95' })
    expect(second.svc.fills(L, { limit: 10 })).toHaveLength(1)
    const [pos] = await second.svc.positions(L)
    expect(pos).toMatchObject({ amount: '0.3', averageEntry: '95' })
    // events are stored for the UI, newest first; reconciling again adds none and no duplicate fill
    expect(second.svc.events(L, { limit: 10 })).toHaveLength(2)
    expect((await second.svc.reconcile(L)).events).toEqual([])
    expect(second.svc.fills(L, { limit: 10 })).toHaveLength(1)
  })

  it('deduplicates fills by trade id however often they are fetched', async () => {
    const w = await world()
    await w.svc.placeOrder({
      accountId: L,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '0.1',
      confirm: true,
    })
    await w.svc.placeOrder({
      accountId: L,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '0.2',
      confirm: true,
    })
    const account = w.svc.account(L)
    const venue = await w.svc.venue(account)
    for (let i = 0; i < 3; i++) expect(await w.svc.path.syncFills(venue, L, 'BTC/USDT', 0, true)).toEqual([])
    expect(w.svc.fills(L, { limit: 10 }).map((f) => f.amount)).toEqual(['0.2', '0.1'])
    expect(w.svc.events(L, { limit: 10 })).toEqual([])
  })

  it('polling picks up a resting order’s fill without calling it a difference', async () => {
    const w = await world()
    await w.svc
      .placeOrder({
        accountId: L,
        symbol: 'BTC/USDT',
        side: 'sell',
        type: 'limit',
        amount: '0.1',
        price: '120',
        confirm: true,
      })
      .catch(() => undefined)
    // the exchange account starts with only USDT in this setup: buy first, then rest a sell
    await w.svc.placeOrder({
      accountId: L,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '0.5',
      confirm: true,
    })
    const rest = await w.svc.placeOrder({
      accountId: L,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'limit',
      amount: '0.2',
      price: '105',
      confirm: true,
    })
    expect(rest.status).toBe('open')
    w.prices.set('BTC/USDT', { bid: 105, ask: 106, last: 105.5 })
    w.exchange.venue.tickSync(w.clock.now())
    await w.svc.syncLive(L)
    const o = w.svc.orders(L, { limit: 10 }).find((x) => x.clientOrderId === rest.clientOrderId)
    expect(o).toMatchObject({ status: 'filled', filled: '0.2', average: '105' })
    expect(w.svc.fills(L, { limit: 10 })).toHaveLength(2)
    expect(w.svc.events(L, { limit: 10 })).toEqual([])
  })
})
