/**
 * Order types on a live account through real ccxt against the Binance simulator: each type sent
 * as Binance's own, OCOs as order lists, brackets' legs as an OCO once the entry fills, and a
 * trailing stop by price distance (which Binance cannot hold) emulated by the engine: stored,
 * re-armed after a restart, sent as a market order under its own client order id when it fires.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/main/clock'
import { memorySecretStore } from '../../src/main/secrets/store'
import type { Order } from '../../src/shared/domain/trading'
import type { TradingService } from '../../src/main/trading/service'
import { startSimulator, type Simulator } from '../simulator/server'
import { useTempDirs } from '../support/temp-dir'
import { closeDatabase, exchangeHub, openTradingDb, Prices, service } from './support'

const tempDir = useTempDirs()
const sims: Simulator[] = []
const services: TradingService[] = []
afterEach(async () => {
  for (const s of services.splice(0)) s.close()
  await Promise.all(sims.splice(0).map((s) => s.close()))
})

const L = 'binance-sim'
const secrets = memorySecretStore()

async function sim(): Promise<Simulator> {
  const s = await startSimulator({ seed: 23, autoMatch: false, balances: { USDT: 100_000, ETH: 10 } })
  sims.push(s)
  s.market.setPrice('ETHUSDT', 3_000, { freeze: true })
  return s
}

async function app(s: Simulator, dir = tempDir(), fresh = true) {
  const db = openTradingDb(dir)
  const hub = exchangeHub(db, systemClock, { secrets })
  const svc = service(db, systemClock, new Prices(), { exchanges: hub, outcomeMarginMs: 200 })
  services.push(svc)
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

const base = { accountId: L, symbol: 'ETH/USDT', confirm: true } as const
const find = (svc: TradingService, id: string): Order =>
  svc.orders(L, { limit: 100 }).find((o) => o.clientOrderId === id)!

describe('order types on a live account (real ccxt, the Binance simulator)', () => {
  it('sends each type as Binance’s own and refuses a stop on the wrong side naming the market price', async () => {
    const s = await sim()
    const { svc } = await app(s)
    const wrong = await svc.validateOrder({
      ...base,
      side: 'sell',
      type: 'stop',
      amount: '1',
      stopPrice: '3100',
    })
    expect(wrong.error).toEqual({
      kind: 'invalid_order',
      path: 'params.stopPrice',
      message:
        'stop price 3,100.00 USDT must be below the market price 3,000.00 USDT for a sell stop; there it would trigger at once',
    })
    const placed = [
      await svc.placeOrder({
        ...base,
        side: 'sell',
        type: 'stop_limit',
        amount: '1',
        stopPrice: '2900',
        price: '2890',
      }),
      await svc.placeOrder({ ...base, side: 'sell', type: 'take_profit', amount: '1', stopPrice: '3200' }),
      await svc.placeOrder({
        ...base,
        side: 'buy',
        type: 'take_profit_limit',
        amount: '1',
        stopPrice: '2800',
        price: '2810',
      }),
      await svc.placeOrder({
        ...base,
        side: 'sell',
        type: 'trailing_stop',
        amount: '1',
        trailingPercent: '1.5',
      }),
      await svc.placeOrder({
        ...base,
        side: 'buy',
        type: 'limit',
        amount: '1',
        price: '2700',
        postOnly: true,
      }),
    ]
    for (const o of placed)
      expect([o.status, o.emulated, o.exchangeOrderId !== null]).toEqual(['open', false, true])
    const theirs = Object.fromEntries(s.state.orders().map((o) => [o.clientOrderId, o]))
    expect(placed.map((o) => theirs[o.clientOrderId]?.type)).toEqual([
      'STOP_LOSS_LIMIT',
      'TAKE_PROFIT',
      'TAKE_PROFIT_LIMIT',
      'STOP_LOSS',
      'LIMIT_MAKER',
    ])
    expect(theirs[placed[3]!.clientOrderId]?.trailingDelta).toBe(150)
    // Our record keeps our types when the exchange's answer comes back through ccxt.
    await svc.syncLive(L)
    expect(placed.map((o) => find(svc, o.clientOrderId).type)).toEqual([
      'stop_limit',
      'take_profit',
      'take_profit_limit',
      'trailing_stop',
      'limit',
    ])
    s.market.setPrice('ETHUSDT', 3_210, { freeze: true })
    s.market.tick()
    await svc.syncLive(L)
    expect(find(svc, placed[1]!.clientOrderId).status).toBe('filled')
  })

  it('places an OCO as one order list; canceling a leg cancels both', async () => {
    const s = await sim()
    const { svc } = await app(s)
    const [tp, sl] = await svc.placeOco({
      ...base,
      side: 'sell',
      amount: '2',
      takeProfit: { price: '3300' },
      stopLoss: { stopPrice: '2800', price: '2790' },
    })
    expect([tp!.status, sl!.status]).toEqual(['open', 'open'])
    const lists = s.state.orders().map((o) => [o.clientOrderId, o.type, o.orderListId])
    expect(lists).toEqual([
      [sl!.clientOrderId, 'STOP_LOSS_LIMIT', expect.any(Number)],
      [tp!.clientOrderId, 'LIMIT_MAKER', lists[0]![2]],
    ])
    expect(lists[0]![2]).not.toBe(-1)
    expect(s.state.requests({ kind: 'createOrderList' })[0]?.params['listClientOrderId']).toBe(tp!.ocoGroup)
    await svc.cancelOrder(L, tp!.clientOrderId)
    expect([find(svc, tp!.clientOrderId).status, find(svc, sl!.clientOrderId).status]).toEqual([
      'canceled',
      'canceled',
    ])
    expect(s.state.orders().map((o) => o.status)).toEqual(['CANCELED', 'CANCELED'])
  })

  it('a bracket’s legs go to Binance as an OCO list when the entry fills, for the amount bought net of the fee', async () => {
    const s = await sim()
    const { svc } = await app(s)
    const entry = await svc.placeOrder({
      ...base,
      side: 'buy',
      type: 'market',
      amount: '1',
      takeProfit: { price: '3300' },
      stopLoss: { stopPrice: '2800' },
    })
    expect(entry.status).toBe('filled')
    const legs = svc.orders(L, { limit: 10 }).filter((o) => o.parentClientOrderId === entry.clientOrderId)
    expect(legs.map((l) => [l.type, l.side, l.status, l.amount]).sort()).toEqual([
      ['limit', 'sell', 'open', '0.999'],
      ['stop', 'sell', 'open', '0.999'],
    ])
    const onExchange = s.state.orders().filter((o) => o.orderListId !== -1)
    expect(onExchange.map((o) => [o.type, o.origQty])).toEqual([
      ['STOP_LOSS', 0.999],
      ['LIMIT_MAKER', 0.999],
    ])
    s.market.setPrice('ETHUSDT', 2_790, { freeze: true })
    s.market.tick()
    await svc.syncLive(L)
    const after = legs.map((l) => find(svc, l.clientOrderId))
    expect(after.map((l) => [l.type, l.status]).sort()).toEqual([
      ['limit', 'canceled'],
      ['stop', 'filled'],
    ])
  })

  it('a trailing stop by price distance is held by the engine, survives a restart and fires as a market order', async () => {
    const s = await sim()
    const dir = tempDir()
    const first = await app(s, dir)
    const held = await first.svc.placeOrder({
      ...base,
      side: 'sell',
      type: 'trailing_stop',
      amount: '1',
      trailingAmount: '50',
    })
    expect(held).toMatchObject({
      status: 'open',
      emulated: true,
      exchangeOrderId: null,
      trailingAmount: '50',
    })
    expect(s.state.orders()).toEqual([])
    await first.svc.settleOrders()
    expect(find(first.svc, held.clientOrderId)).toMatchObject({ waterMark: '3000', stopPrice: '2950' })
    s.market.setPrice('ETHUSDT', 3_100, { freeze: true })
    await first.svc.settleOrders()
    expect(find(first.svc, held.clientOrderId)).toMatchObject({ waterMark: '3100', stopPrice: '3050' })
    first.svc.close()
    closeDatabase(first.db)

    s.market.setPrice('ETHUSDT', 3_060, { freeze: true })
    const again = await app(s, dir, false)
    await again.svc.start()
    expect(find(again.svc, held.clientOrderId)).toMatchObject({
      status: 'open',
      waterMark: '3100',
      stopPrice: '3050',
    })
    expect(s.state.orders()).toEqual([])
    s.market.setPrice('ETHUSDT', 3_049, { freeze: true })
    expect(await again.svc.settleOrders()).toBe(1)
    const sent = s.state.orders({ clientOrderId: held.clientOrderId })
    expect(sent.map((o) => [o.type, o.side, o.origQty, o.status])).toEqual([['MARKET', 'SELL', 1, 'FILLED']])
    expect(find(again.svc, held.clientOrderId)).toMatchObject({
      status: 'filled',
      type: 'trailing_stop',
      emulated: true,
      exchangeOrderId: String(sent[0]!.orderId),
    })
    // Fired once: another check sends nothing.
    await again.svc.settleOrders()
    expect(s.state.requests({ kind: 'createOrder' })).toHaveLength(1)
  })
})
