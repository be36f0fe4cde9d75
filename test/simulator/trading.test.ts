import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { binanceClientFor } from './ccxt-client'
import { failure, useSimulators } from './harness'

/** ccxt types order ids as possibly undefined; the simulator always sets them. */
function idOf(o: { id?: string | undefined }): string {
  if (!o.id) throw new Error('order without id')
  return o.id
}

/** Walks price levels for `qty` the way a taker would, for an independent expected fill. */
function walk(levels: number[][], qty: number, step: number): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let left = Math.round(qty / step)
  for (const [price, size] of levels) {
    if (left <= 0) break
    const take = Math.min(left, Math.round((size ?? 0) / step))
    out.push([price ?? 0, Number((take * step).toFixed(8))])
    left -= take
  }
  return out
}

describe('simulator trading through ccxt', () => {
  const open = useSimulators()

  it('market buy walks the book it showed, charges 0.1% in the bought asset', async () => {
    const { sim, ex } = await open()
    sim.market.setPrice('BTCUSDT', 60_000.004, { freeze: true })
    const book = await ex.fetchOrderBook('BTC/USDT', 50)
    const expected = walk(book.asks as number[][], 1.5, 0.00001)
    expect(expected.length).toBeGreaterThan(1)
    const order = await ex.createOrder('BTC/USDT', 'market', 'buy', 1.5)
    expect(order.status).toBe('closed')
    expect(order.filled).toBe(1.5)
    expect(order.trades.map((t) => [t.price, t.amount])).toEqual(expected)
    const cost = expected.reduce((a, [p, q]) => a + p * q, 0)
    expect(order.cost).toBeCloseTo(cost, 6)
    expect(order.average).toBeCloseTo(cost / 1.5, 2)
    expect(order.fee).toEqual({ currency: 'BTC', cost: 0.0015 })
    const balance = await ex.fetchBalance()
    expect(balance['BTC']?.total).toBeCloseTo(1 + 1.5 - 0.0015, 8)
    expect(balance['USDT']?.total).toBeCloseTo(100_000 - cost, 6)
    expect(sim.state.balances()['BTC']?.free).toBeCloseTo(2.4985, 8)
  })

  it('market sell pays the commission in the quote asset', async () => {
    const { sim, ex } = await open()
    sim.market.setPrice('ETHUSDT', 3_100, { freeze: true })
    const order = await ex.createOrder('ETH/USDT', 'market', 'sell', 0.5)
    expect(order.status).toBe('closed')
    expect(order.average).toBe(3_100)
    expect(order.fee).toEqual({ currency: 'USDT', cost: 1.55 })
    const trades = await ex.fetchMyTrades('ETH/USDT')
    expect(trades).toHaveLength(1)
    expect(trades[0]).toMatchObject({
      side: 'sell',
      takerOrMaker: 'taker',
      price: 3_100,
      amount: 0.5,
      cost: 1_550,
    })
    expect(trades[0]?.fee).toEqual({ cost: 1.55, currency: 'USDT' })
    expect(sim.state.balances()['USDT']?.free).toBeCloseTo(100_000 + 1_550 - 1.55, 8)
    expect(sim.state.balances()['ETH']?.free).toBeCloseTo(9.5, 8)
  })

  it('market buy by cost (quoteOrderQty) spends at most the cost', async () => {
    const { sim, ex } = await open()
    sim.market.setPrice('SOLUSDT', 150, { freeze: true })
    const order = await ex.createMarketBuyOrderWithCost('SOL/USDT', 100)
    expect(order.status).toBe('closed')
    expect(order.amount).toBe(order.filled)
    expect(order.cost).toBeLessThanOrEqual(100)
    expect(order.cost).toBeGreaterThan(100 - 0.151)
    expect(sim.state.requests({ kind: 'createOrder' })[0]?.params['quoteOrderQty']).toBe('100')
  })

  it('limit buy rests with quote locked, then fills as maker when the price comes down', async () => {
    const { sim, ex } = await open()
    sim.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.1, 59_000)
    expect(placed.status).toBe('open')
    expect(placed.filled).toBe(0)
    let balance = await ex.fetchBalance()
    expect(balance['USDT']?.used).toBe(5_900)
    expect(balance['USDT']?.free).toBe(100_000 - 5_900)
    sim.market.setPrice('BTCUSDT', 59_500, { freeze: true })
    sim.market.tick()
    expect((await ex.fetchOrder(idOf(placed), 'BTC/USDT')).status).toBe('open')
    sim.market.setPrice('BTCUSDT', 58_990, { freeze: true })
    sim.market.tick()
    const filled = await ex.fetchOrder(idOf(placed), 'BTC/USDT')
    expect(filled.status).toBe('closed')
    expect(filled.average).toBe(59_000)
    expect(filled.cost).toBe(5_900)
    const [trade] = await ex.fetchMyTrades('BTC/USDT')
    expect(trade).toMatchObject({ takerOrMaker: 'maker', price: 59_000, amount: 0.1, order: idOf(placed) })
    expect(trade?.fee).toEqual({ cost: 0.0001, currency: 'BTC' })
    balance = await ex.fetchBalance()
    expect(balance['USDT']).toEqual({ free: 94_100, used: 0, total: 94_100 })
    expect(balance['BTC']?.total).toBeCloseTo(1.0999, 8)
  })

  it('resting limit orders fill partially over time when configured', async () => {
    const { sim, ex } = await open({ limitFills: { mode: 'partial', fraction: 0.25 }, autoMatch: false })
    sim.market.setPrice('SOLUSDT', 150, { freeze: true })
    const placed = await ex.createOrder('SOL/USDT', 'limit', 'sell', 2, 155)
    sim.market.setPrice('SOLUSDT', 156, { freeze: true })
    const seen: Array<[string | undefined, number | undefined]> = []
    for (let i = 0; i < 4; i++) {
      sim.market.tick()
      const o = await ex.fetchOrder(idOf(placed), 'SOL/USDT')
      seen.push([o.status, o.filled])
    }
    expect(seen).toEqual([
      ['open', 0.5],
      ['open', 1],
      ['open', 1.5],
      ['closed', 2],
    ])
    expect((await ex.fetchOrder(idOf(placed), 'SOL/USDT')).info['status']).toBe('FILLED')
    expect(await ex.fetchMyTrades('SOL/USDT')).toHaveLength(4)
    expect(sim.state.balances()['SOL']).toEqual({ free: 98, locked: 0, total: 98 })
  })

  it('a crossing limit order takes what the book offers up to its price and rests the rest', async () => {
    const { sim, ex } = await open()
    sim.market.setPrice('LTCUSDT', 80, { freeze: true })
    const book = await ex.fetchOrderBook('LTC/USDT', 5)
    const [askPrice, askQty] = book.asks[0] as [number, number]
    const order = await ex.createOrder('LTC/USDT', 'limit', 'buy', Number((askQty + 5).toFixed(3)), askPrice)
    expect(order.status).toBe('open')
    expect(order.filled).toBe(askQty)
    expect(order.remaining).toBeCloseTo(5, 8)
    expect(order.info['status']).toBe('PARTIALLY_FILLED')
    expect(order.trades.map((t) => t.price)).toEqual([askPrice])
  })

  it('fetchOrder by id and by clientOrderId, fetchOpenOrders, cancelOrder', async () => {
    const { sim, ex } = await open()
    sim.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    const a = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50_000, { clientOrderId: 'my-order-1' })
    const b = await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.02, 70_000)
    expect(a.clientOrderId).toBe('my-order-1')
    const byId = await ex.fetchOrder(idOf(a), 'BTC/USDT')
    const byClient = await ex.fetchOrder('', 'BTC/USDT', { origClientOrderId: 'my-order-1' })
    expect(byClient.id).toBe(idOf(a))
    expect(byId).toMatchObject({ price: 50_000, amount: 0.01, side: 'buy', type: 'limit', status: 'open' })
    expect(sim.state.requests({ kind: 'getOrder' })[1]?.params['origClientOrderId']).toBe('my-order-1')
    const openOrders = await ex.fetchOpenOrders('BTC/USDT')
    expect(openOrders.map((o) => o.id)).toEqual([idOf(a), idOf(b)])
    const canceled = await ex.cancelOrder(idOf(a), 'BTC/USDT')
    expect(canceled.status).toBe('canceled')
    expect((await ex.fetchOpenOrders('BTC/USDT')).map((o) => o.id)).toEqual([idOf(b)])
    const balance = await ex.fetchBalance()
    expect(balance['USDT']?.used).toBe(0)
    expect(balance['BTC']?.used).toBe(0.02)
    await ex.cancelOrder('', 'BTC/USDT', { origClientOrderId: b.clientOrderId ?? '' })
    expect(sim.state.orders({ status: 'CANCELED' })).toHaveLength(2)
    const all = await ex.fetchOrders('BTC/USDT')
    expect(all.map((o) => o.status)).toEqual(['canceled', 'canceled'])
  })

  it('a client order id in use is refused with -2010 Duplicate order sent', async () => {
    const { sim, ex } = await open()
    sim.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50_000, { clientOrderId: 'dup-1' })
    const e = await failure(
      ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50_000, { clientOrderId: 'dup-1' }),
    )
    expect(e).toBeInstanceOf(ccxt.InvalidOrder)
    expect(e.message).toContain('Duplicate order sent.')
    expect(sim.state.orders()).toHaveLength(1)
  })

  it('post-only orders that would take are rejected', async () => {
    const { sim, ex } = await open()
    sim.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    const e = await failure(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60_000.01, { postOnly: true }))
    expect(e).toBeInstanceOf(ccxt.OrderImmediatelyFillable)
    const ok = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 59_999.99, { postOnly: true })
    expect(ok.postOnly).toBe(true)
    expect(ok.status).toBe('open')
  })

  it('a stop-loss limit sell waits, triggers when the price falls, then fills', async () => {
    const { sim, ex } = await open({ autoMatch: false })
    sim.market.setPrice('ETHUSDT', 3_000, { freeze: true })
    const stop = await ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 2_890, { stopLossPrice: 2_900 })
    expect(stop.info['type']).toBe('STOP_LOSS_LIMIT')
    expect(sim.state.balances()['ETH']?.locked).toBe(1)
    sim.market.setPrice('ETHUSDT', 2_950, { freeze: true })
    sim.market.tick()
    let o = await ex.fetchOrder(idOf(stop), 'ETH/USDT')
    expect([o.status, o.info['isWorking']]).toEqual(['open', false])
    sim.market.setPrice('ETHUSDT', 2_895, { freeze: true })
    sim.market.tick()
    o = await ex.fetchOrder(idOf(stop), 'ETH/USDT')
    expect(o.status).toBe('closed')
    expect(o.average).toBeGreaterThanOrEqual(2_890)
    expect(o.info['isWorking']).toBe(true)
    const e = await failure(ex.createOrder('ETH/USDT', 'limit', 'sell', 1, 2_990, { stopLossPrice: 3_000 }))
    expect(e.message).toContain('Stop price would trigger immediately.')
  })

  it('fetchMyTrades pages by since and limit; fetchBalance reports free, used and total', async () => {
    const { sim, ex } = await open({ balances: { USDT: 1_000, LTC: 0 } })
    sim.market.setPrice('LTCUSDT', 80, { freeze: true })
    for (let i = 0; i < 3; i++) await ex.createOrder('LTC/USDT', 'market', 'buy', 0.5)
    const trades = await ex.fetchMyTrades('LTC/USDT')
    expect(trades).toHaveLength(3)
    expect(await ex.fetchMyTrades('LTC/USDT', undefined, 2)).toHaveLength(2)
    expect(await ex.fetchMyTrades('LTC/USDT', (trades[2]?.timestamp ?? 0) + 1)).toHaveLength(0)
    const balance = await ex.fetchBalance()
    expect(balance['LTC']?.total).toBeCloseTo(1.5 - 0.0015, 8)
    // A buy takes the ask, one tick above the frozen price.
    expect(balance['USDT']?.total).toBeCloseTo(1_000 - 1.5 * 80.01, 6)
    expect(Object.keys(balance.total as unknown as Record<string, number>).sort()).toEqual(['LTC', 'USDT'])
  })

  it('accounts are isolated, and state.reset() restores the start', async () => {
    const { sim, ex } = await open({ faults: 'ping:429=1' })
    const other = sim.state.addAccount({ balances: { USDT: 50 } })
    const ex2 = binanceClientFor({ url: sim.url, ...other })
    sim.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    const mine = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 50_000)
    await expect(ex2.fetchOrder(idOf(mine), 'BTC/USDT')).rejects.toBeInstanceOf(ccxt.OrderNotFound)
    expect((await ex2.fetchBalance())['USDT']?.free).toBe(50)
    expect(sim.state.balances(other.apiKey)).toEqual({ USDT: { free: 50, locked: 0, total: 50 } })
    expect(sim.state.orders({ apiKey: other.apiKey })).toHaveLength(0)
    sim.faults.next('time', '503', 5)

    sim.state.reset()
    expect(sim.state.orders()).toHaveLength(0)
    expect(sim.state.trades()).toHaveLength(0)
    expect(sim.state.requests()).toHaveLength(0)
    expect(sim.state.balances()['USDT']).toEqual({ free: 100_000, locked: 0, total: 100_000 })
    expect(sim.faults.pending()).toBe(0)
    expect(sim.market.price('BTCUSDT')).not.toBe(60_000)
    // Configured faults come back with the reset; programmed ones do not.
    expect(await ex.fetchTime()).toBeGreaterThan(0)
    await expect(ex.publicGetPing()).rejects.toBeInstanceOf(ccxt.DDoSProtection)
  })
})
