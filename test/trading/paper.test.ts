import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import type { TradingUpdate } from '../../src/shared/domain/trading'
import { DEFAULT_ACCOUNT_ID } from '../../src/main/trading/service'
import { useTempDirs } from '../support/temp-dir'
import { closeDatabase, d, ManualClock, openTradingDb, Prices, service, text, venueRequest } from './support'

const tempDir = useTempDirs()
const A = DEFAULT_ACCOUNT_ID
// Taker 10 bps, maker 5 bps, slippage 10 bps; fees in the received currency (Binance's way).
const settings = {
  takerFeeBps: 10,
  makerFeeBps: 5,
  slippageBps: 10,
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

async function balances(svc: ReturnType<typeof setup>['svc']) {
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

describe('paper trading through the order path', () => {
  it('starts a Demo paper account with 10,000 USDT', async () => {
    const { svc } = setup()
    expect(svc.accounts()).toEqual([
      expect.objectContaining({
        id: A,
        name: 'Demo paper',
        mode: 'paper',
        liveEnabled: false,
        hasKeys: false,
      }),
    ])
    expect(await balances(svc)).toEqual({ USDT: { free: '10000', used: '0' } })
  })

  it('fills a market buy at the ask plus slippage (up to the tick), paying the taker fee in base', async () => {
    const { svc } = setup()
    const order = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '1',
    })
    // 100 * 1.001 = 100.1; fee 1 * 0.001 = 0.001 BTC
    expect(order).toMatchObject({
      status: 'filled',
      filled: '1',
      average: '100.1',
      fees: [{ currency: 'BTC', cost: '0.001' }],
    })
    expect(order.clientOrderId).toMatch(/^cw-[0-9A-Z]{26}$/)
    const fills = svc.fills(A, { limit: 10 })
    expect(fills).toHaveLength(1)
    expect(fills[0]).toMatchObject({
      side: 'buy',
      amount: '1',
      price: '100.1',
      cost: '100.1',
      takerOrMaker: 'taker',
    })
    expect(await balances(svc)).toEqual({
      USDT: { free: '9899.9', used: '0' },
      BTC: { free: '0.999', used: '0' },
    })
    const [pos] = await svc.positions(A)
    // 0.999 BTC at 100.1; fee 0.001 BTC * 100.1 = 0.1001 realized; at last 99.5: 0.999 * -0.6 = -0.5994
    expect(pos).toMatchObject({
      symbol: 'BTC/USDT',
      side: 'long',
      amount: '0.999',
      averageEntry: '100.1',
      mark: '99.5',
    })
    expect(pos!.realizedPnl).toBe('-0.1001')
    expect(pos!.unrealizedPnl).toBe('-0.5994')
  })

  it('rounds a slipped price to the tick against the trader', async () => {
    const { svc, prices } = setup()
    prices.set('BTC/USDT', { bid: 99.996, ask: 100.004, last: 100 })
    // buy: 100.004 * 1.001 = 100.104004 -> 100.11; sell: 99.996 * 0.999 = 99.895996 -> 99.89
    const buy = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '1',
    })
    const sell = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'market',
      amount: '0.5',
    })
    expect([buy.average, sell.average]).toEqual(['100.11', '99.89'])
  })

  it('fills a market sell at the bid minus slippage, paying the taker fee in quote', async () => {
    const { svc } = setup()
    await svc.placeOrder({ accountId: A, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '1' })
    const sell = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'market',
      amount: '0.5',
    })
    // 99 * 0.999 = 98.901, down to the tick: 98.90; cost 49.45; fee 0.04945 USDT
    expect(sell.average).toBe('98.9')
    expect(sell.fees[0]!.currency).toBe('USDT')
    expect(sell.fees[0]!.cost).toBe('0.04945')
    const b = await balances(svc)
    // 9899.9 + 49.45 - 0.04945, to the last unit
    expect(b['USDT']!.free).toBe('9949.30055')
    expect(b['BTC']!.free).toBe('0.499')
  })

  it('rests a limit order with its funds reserved and fills it as maker only when the price trades through', async () => {
    const { svc, prices } = setup()
    const order = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '0.5',
      price: '95',
    })
    expect(order.status).toBe('open')
    expect(await balances(svc)).toEqual({ USDT: { free: '9952.5', used: '47.5' } })
    prices.set('BTC/USDT', { bid: 94.9, ask: 95.1, last: 95 }) // touches, does not trade through
    expect(svc.tickPaper()).toBe(0)
    prices.set('BTC/USDT', { bid: 94.9, ask: 95, last: 94.99 })
    expect(svc.tickPaper()).toBe(1)
    const [filled] = svc.orders(A, { limit: 10 })
    // at the limit price, maker fee 5 bps in base: 0.5 * 0.0005 = 0.00025 BTC
    expect(filled).toMatchObject({
      status: 'filled',
      average: '95',
      fees: [{ currency: 'BTC', cost: '0.00025' }],
    })
    expect(svc.fills(A, { limit: 10 })[0]).toMatchObject({ takerOrMaker: 'maker', price: '95' })
    expect(await balances(svc)).toEqual({
      USDT: { free: '9952.5', used: '0' },
      BTC: { free: '0.49975', used: '0' },
    })
  })

  it('fills a marketable limit at once as taker, never beyond its limit', async () => {
    const { svc } = setup()
    const buy = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '1',
      price: '100.05',
    })
    // the ask plus slippage (100.1) is beyond the limit, so it fills at the limit
    expect(buy).toMatchObject({ status: 'filled', average: '100.05' })
    const sell = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'limit',
      amount: '0.5',
      price: '98',
    })
    // the bid minus slippage (98.901, 98.90 at the tick) is better than the limit
    expect(sell.status).toBe('filled')
    expect(sell.average).toBe('98.9')
    expect(svc.fills(A, { limit: 10 }).map((f) => f.takerOrMaker)).toEqual(['taker', 'taker'])
  })

  it('triggers a stop on the last price and fills it as a market order', async () => {
    const { svc, prices } = setup()
    await svc.placeOrder({ accountId: A, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '1' })
    const refused = await rejection(
      svc.placeOrder({
        accountId: A,
        symbol: 'BTC/USDT',
        side: 'sell',
        type: 'stop',
        amount: '0.2',
        stopPrice: '99.6',
      }),
    )
    expect(refused.kind).toBe('invalid_order')
    // Refused before it reaches the paper book, naming the market price.
    expect(refused.message).toBe(
      'stop price 99.60 USDT must be below the market price 99.50 USDT for a sell stop; there it would trigger at once',
    )
    expect(refused.path).toBe('params.stopPrice')
    const stop = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'stop',
      amount: '0.2',
      stopPrice: '97',
    })
    expect(stop.status).toBe('open')
    prices.set('BTC/USDT', { bid: 97.4, ask: 97.6, last: 97.5 })
    expect(svc.tickPaper()).toBe(0)
    prices.set('BTC/USDT', { bid: 96.9, ask: 97.1, last: 97 })
    expect(svc.tickPaper()).toBe(1)
    const done = svc.orders(A, { limit: 10 }).find((o) => o.clientOrderId === stop.clientOrderId)!
    // 96.9 * 0.999 = 96.8031, down to the tick: 96.80, taker
    expect(done.status).toBe('filled')
    expect(done.average).toBe('96.8')
  })

  it('releases the reservation when an order is canceled', async () => {
    const { svc } = setup()
    const o = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '1',
      price: '90',
    })
    expect((await balances(svc))['USDT']).toEqual({ free: '9910', used: '90' })
    const canceled = await svc.cancelOrder(A, o.clientOrderId)
    expect(canceled.status).toBe('canceled')
    expect((await balances(svc))['USDT']).toEqual({ free: '10000', used: '0' })
    const again = await rejection(svc.cancelOrder(A, o.clientOrderId))
    expect(again.kind).toBe('conflict')
    expect(again.message).toMatch(/already canceled/)
  })

  it('refuses what the balance cannot pay, before writing an intent', async () => {
    const { svc } = setup()
    const e = await rejection(
      svc.placeOrder({
        accountId: A,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        amount: '101',
        price: '100',
      }),
    )
    expect(e.kind).toBe('insufficient_funds')
    expect(e.message).toBe('buying 101.00000 BTC needs 10100.00 USDT, 10000.00 USDT is free: short by 100.00')
    expect(svc.orders(A, { limit: 10 })).toEqual([])
  })

  it('records a venue rejection as a rejected order', async () => {
    const { svc } = setup()
    // Validation uses the ask (100) for the balance check; the paper fill price with slippage is 100.1.
    const e = await rejection(
      svc.placeOrder({ accountId: A, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '99.95' }),
    )
    expect(e.kind).toBe('insufficient_funds')
    const [o] = svc.orders(A, { limit: 10 })
    expect(o).toMatchObject({ status: 'rejected', error: { kind: 'insufficient_funds' } })
    expect(await balances(svc)).toEqual({ USDT: { free: '10000', used: '0' } })
  })

  it('resets to the starting balance and forgets orders, fills and positions', async () => {
    const { svc } = setup()
    await svc.placeOrder({ accountId: A, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '1' })
    await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '1',
      price: '50',
    })
    const b = svc.resetPaper(A, { startingBalance: '25000' })
    expect(b).toEqual([{ asset: 'USDT', free: '25000', used: '0', total: '25000', decimals: 2 }])
    expect(svc.orders(A, { limit: 10 })).toEqual([])
    expect(svc.fills(A, { limit: 10 })).toEqual([])
    expect(await svc.positions(A)).toEqual([])
  })

  it('keeps orders, fills, balances and positions across a restart', async () => {
    const first = setup()
    await first.svc.placeOrder({ accountId: A, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '1' })
    await first.svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'market',
      amount: '0.4',
    })
    await first.svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '0.1',
      price: '90',
    })
    const before = {
      orders: first.svc.orders(A, { limit: 10 }),
      fills: first.svc.fills(A, { limit: 10 }),
      positions: await first.svc.positions(A),
      balances: await balances(first.svc),
    }
    first.svc.close()
    closeDatabase(first.db)

    const second = setup(first.dir)
    await second.svc.start()
    expect(second.svc.orders(A, { limit: 10 })).toEqual(before.orders)
    expect(second.svc.fills(A, { limit: 10 })).toEqual(before.fills)
    expect(await second.svc.positions(A)).toEqual(before.positions)
    expect(await balances(second.svc)).toEqual(before.balances)
    expect(before.positions[0]!.amount).toBe('0.599')
    // the resting order still fills after the restart
    second.prices.set('BTC/USDT', { bid: 89, ask: 89.5, last: 89.9 })
    expect(second.svc.tickPaper()).toBe(1)
    second.svc.close()
  })

  it('streams orders and fills at once, positions and balances coalesced', async () => {
    const { svc } = setup()
    const events: TradingUpdate[] = []
    const off = svc.subscribe(A, (u) => events.push(u))
    await svc.placeOrder({ accountId: A, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '1' })
    await svc.placeOrder({ accountId: A, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '1' })
    expect(events.map((e) => e.type)).toEqual(['fill', 'order', 'fill', 'order'])
    await new Promise((r) => setTimeout(r, 150))
    off()
    const kinds = events.map((e) => e.type)
    expect(kinds.filter((k) => k === 'positions')).toHaveLength(1)
    expect(kinds.filter((k) => k === 'balance')).toHaveLength(1)
    const pos = events.find((e) => e.type === 'positions')
    expect(pos?.type === 'positions' && pos.positions.map((p) => p.amount)).toEqual(['1.998'])
  })
})

describe('the paper venue’s book', () => {
  it('refuses a reused client order id as Binance does, before moving any balance, in a batch too', () => {
    const { svc, db } = setup()
    const venue = svc.paperVenue(A)
    const order = { symbol: 'BTC/USDT', side: 'buy' as const, amount: '0.1', clientOrderId: 'dup-1' }
    venue.createOrderSync(venueRequest({ ...order, type: 'market' }))
    const before = venue.balances()
    for (const again of [
      { ...order, type: 'market' as const },
      { ...order, type: 'limit' as const, price: '90' },
    ]) {
      expect(() => venue.createOrderSync(venueRequest(again))).toThrow(
        expect.objectContaining({ kind: 'invalid_order', message: 'Duplicate order sent.' }),
      )
    }
    expect(venue.balances()).toEqual(before)
    // In a batch the balances are held in memory: the refused order must not have touched them.
    db.transaction(() =>
      venue.runBatch(() => {
        expect(() => venue.createOrderSync(venueRequest({ ...order, type: 'limit', price: '90' }))).toThrow(
          /Duplicate/,
        )
        venue.createOrderSync(venueRequest({ ...order, clientOrderId: 'dup-2', type: 'limit', price: '90' }))
      }),
    )()
    const after = venue.balances()
    expect(text(after.get('USDT'))).toEqual({
      free: before.get('USDT')!.free.minus(d(9)).toString(),
      used: '9',
      total: before.get('USDT')!.total.toString(),
    })
  })

  it('fills the limits a price move reaches with the numbers it answers with, and funds stops in placement order', async () => {
    const { svc, prices } = setup()
    prices.set('ETH/USDT', { bid: 99, ask: 100, last: 99.5 })
    const place = (p: Record<string, unknown>) =>
      svc.placeOrder({ accountId: A, symbol: 'BTC/USDT', side: 'buy', ...p } as Parameters<
        typeof svc.placeOrder
      >[0])
    await place({ type: 'market', amount: '10' })
    await place({ symbol: 'ETH/USDT', type: 'market', amount: '10' })
    const reached = [
      await place({ type: 'limit', amount: '0.3', price: '95.55' }),
      await place({ side: 'sell', type: 'limit', amount: '0.7', price: '99.9' }), // not reached
      await place({ symbol: 'ETH/USDT', type: 'limit', amount: '1.3', price: '97.31' }),
      await place({ type: 'limit', amount: '0.0613', price: '96.07' }),
    ]
    // Two stop buys, ETH's placed first; after the jump there are funds for one of them only.
    const ethStop = await place({ symbol: 'ETH/USDT', type: 'stop', amount: '20', stopPrice: '100' })
    const btcStop = await place({ type: 'stop', amount: '20', stopPrice: '100' })
    const events: TradingUpdate[] = []
    const off = svc.subscribe(A, (u) => events.push(u))

    prices.set('BTC/USDT', { bid: 94, ask: 94.5, last: 94.2 })
    prices.set('ETH/USDT', { bid: 94, ask: 94.5, last: 94.2 })
    expect(svc.tickPaper()).toBe(3)
    off()
    const byId = new Map(svc.orders(A, { limit: 50 }).map((o) => [o.clientOrderId, o]))
    expect(reached.map((o) => byId.get(o.clientOrderId)!.status)).toEqual([
      'filled',
      'open',
      'filled',
      'filled',
    ])
    expect(events.filter((e) => e.type === 'fill')).toHaveLength(3)
    expect(events.filter((e) => e.type === 'order').map((e) => e.type === 'order' && e.order.status)).toEqual(
      ['filled', 'filled', 'filled'],
    )
    // What the venue wrote in SQL is what it answered with: its own book agrees to the bit.
    const venue = svc.paperVenue(A)
    for (const o of reached.filter((x) => byId.get(x.clientOrderId)!.status === 'filled')) {
      const mine = byId.get(o.clientOrderId)!
      const theirs = venue.fetchOrderSync({ symbol: o.symbol, clientOrderId: o.clientOrderId })
      expect(text(theirs)).toMatchObject({ status: 'closed', filled: mine.filled, average: mine.average })
      const [fill] = svc.fills(A, { limit: 100 }).filter((f) => f.clientOrderId === o.clientOrderId)
      const [trade] = await venue
        .fetchMyTrades(o.symbol, 0, 1000)
        .then((ts) => ts.filter((t) => t.orderId === theirs.id))
      expect(text([trade!.id, trade!.amount, trade!.price, trade!.cost, trade!.fee])).toEqual([
        fill!.tradeId,
        fill!.amount,
        fill!.price,
        fill!.cost,
        fill!.fee,
      ])
      // Exact: amount × price, to the last unit.
      expect(trade!.cost.toString()).toBe(d(fill!.amount).times(d(fill!.price)).toString())
    }

    prices.set('BTC/USDT', { bid: 199.9, ask: 200, last: 200 })
    prices.set('ETH/USDT', { bid: 199.9, ask: 200, last: 200 })
    expect(svc.tickPaper()).toBe(3) // the two stops, and the sell limit now traded through
    const now = new Map(svc.orders(A, { limit: 50 }).map((o) => [o.clientOrderId, o.status]))
    expect([now.get(ethStop.clientOrderId), now.get(btcStop.clientOrderId)]).toEqual(['filled', 'canceled'])
  })

  it('keeps only what rests in its own book; orders filled at once are the order path’s record', async () => {
    const { svc, db } = setup()
    const market = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '1',
    })
    const resting = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '1',
      price: '90',
    })
    const paperRows = db.prepare('SELECT client_order_id FROM paper_orders').pluck().all()
    expect(paperRows).toEqual([resting.clientOrderId])
    // Still the venue answers for the filled one, by client id or by its id, with its trade.
    const venue = svc.paperVenue(A)
    const byClientId = venue.fetchOrderSync({ symbol: 'BTC/USDT', clientOrderId: market.clientOrderId })
    const byId = venue.fetchOrderSync({ symbol: 'BTC/USDT', id: market.exchangeOrderId! })
    expect(text(byId)).toEqual(text(byClientId))
    expect(text(byClientId)).toMatchObject({
      status: 'closed',
      filled: '1',
      average: market.average,
      amount: '1',
    })
    expect(text(byClientId.trades)).toEqual([
      expect.objectContaining({ id: market.exchangeOrderId, amount: '1', takerOrMaker: 'taker' }),
    ])
    expect(() => venue.cancelOrderSync({ symbol: 'BTC/USDT', id: market.exchangeOrderId! })).toThrow(
      /is not open on paper \(it is closed\)/,
    )
    expect(() => venue.fetchOrderSync({ symbol: 'BTC/USDT', id: '999999' })).toThrow(
      /does not exist on paper/,
    )
    // Ids keep rising across both kinds, and reconciliation finds nothing to say.
    expect(Number(resting.exchangeOrderId)).toBeGreaterThan(Number(market.exchangeOrderId))
    const summary = await svc.reconcile(A)
    expect(summary).toMatchObject({ resolved: 0, stillUnknown: 0, events: [] })
    expect(svc.events(A, { limit: 10 })).toEqual([])
  })

  it('records a filled order it never placed (made on the venue directly) as external', () => {
    const { svc, prices } = setup()
    svc.paperVenue(A).createOrderSync(
      venueRequest({
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        amount: '0.2',
        price: '95',
        clientOrderId: 'web-1',
      }),
    )
    prices.set('BTC/USDT', { bid: 93, ask: 94, last: 93.5 })
    expect(svc.tickPaper()).toBe(1)
    expect(svc.orders(A, { limit: 10 })).toEqual([
      expect.objectContaining({
        clientOrderId: 'web-1',
        origin: 'external',
        status: 'filled',
        average: '95',
      }),
    ])
    expect(svc.events(A, { limit: 10 }).map((e) => e.kind)).toEqual(['unknown_order'])
    expect(svc.fills(A, { limit: 10 })).toHaveLength(1)
  })
})
