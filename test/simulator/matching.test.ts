import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { floorTo, parseUnits, roundTo, unitsFromNumber, type Units } from './decimal'
import { BinanceError } from './errors'
import { MarketData } from './market-data'
import { DEFAULT_MARKETS } from './markets'
import { Engine } from './matching'
import { isOpen, type NewOrder } from './orders'

const T0 = Date.UTC(2025, 0, 1)
const u = (s: string): Units => parseUnits(s) as Units

type Op =
  | { op: 'limit'; side: 'BUY' | 'SELL'; qty: number; offsetBps: number }
  | { op: 'market'; side: 'BUY' | 'SELL'; qty: number }
  | { op: 'cost'; side: 'BUY' | 'SELL'; cost: number }
  | { op: 'cancel'; pick: number }
  | { op: 'move'; bps: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('limit' as const),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    qty: fc.integer({ min: 1, max: 4000 }),
    offsetBps: fc.integer({ min: -80, max: 80 }),
  }),
  fc.record({
    op: fc.constant('market' as const),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    qty: fc.integer({ min: 1, max: 4000 }),
  }),
  fc.record({
    op: fc.constant('cost' as const),
    side: fc.constantFrom('BUY' as const, 'SELL' as const),
    cost: fc.integer({ min: 6, max: 20_000 }),
  }),
  fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('move' as const), bps: fc.integer({ min: -150, max: 150 }) }),
)

describe('matching engine invariants (property-based)', () => {
  it('balances never go negative, locks match open orders, and every unit is accounted for by fills', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        fc.array(opArb, { minLength: 5, maxLength: 40 }),
        (seed, ops) => {
          const data = new MarketData(DEFAULT_MARKETS, seed, Date.UTC(2017, 7, 17))
          const engine = new Engine(
            data,
            {
              feeBps: 10,
              clientOrderIdReuse: 'never',
              limitFills: { mode: 'partial', fraction: 0.3 },
              matchEveryMs: 1_000,
            },
            seed,
            T0,
          )
          const initial = { USDT: '20000', ETH: '5' }
          const account = engine.addAccount('k', 's', initial, T0)
          const m = data.market('ETHUSDT')
          if (!m) throw new Error('no market')
          data.source('ETHUSDT').setPrice(T0, 3_000, true)
          let price = 3_000
          let t = T0
          for (const o of ops) {
            t += 700
            try {
              if (o.op === 'move') {
                price *= 1 + o.bps / 10_000
                data.source('ETHUSDT').setPrice(t, price, true)
                engine.tick(t)
              } else if (o.op === 'cancel') {
                const open = engine.openOrdersOf('k')
                const victim = open[o.pick % Math.max(1, open.length)]
                if (victim) engine.cancel(account, 'ETHUSDT', { orderId: victim.orderId }, t)
              } else {
                const req: NewOrder = {
                  symbol: 'ETHUSDT',
                  side: o.side,
                  type: 'MARKET',
                  selfTradePreventionMode: 'NONE',
                  respType: 'FULL',
                }
                if (o.op === 'limit') {
                  req.type = 'LIMIT'
                  req.timeInForce = 'GTC'
                  req.quantity = floorTo(u('0.001') * BigInt(o.qty), m.step)
                  req.price = roundTo(unitsFromNumber(price * (1 + o.offsetBps / 10_000)), m.tick)
                } else if (o.op === 'market') {
                  req.quantity = u('0.001') * BigInt(o.qty)
                } else {
                  req.quoteOrderQty = u(String(o.cost))
                }
                engine.place(account, req, t)
              }
            } catch (e) {
              if (!(e instanceof BinanceError)) throw e
            }

            // 1. Nothing negative.
            for (const [, b] of account.entries()) {
              expect(b.free >= 0n && b.locked >= 0n).toBe(true)
            }
            // 2. What is locked is exactly what open orders hold.
            const open = engine.ordersOf('k').filter(isOpen)
            const lockedQuote = open.filter((x) => x.side === 'BUY').reduce((a, x) => a + x.locked, 0n)
            const lockedBase = open.filter((x) => x.side === 'SELL').reduce((a, x) => a + x.locked, 0n)
            expect(account.get('USDT').locked).toBe(lockedQuote)
            expect(account.get('ETH').locked).toBe(lockedBase)
            // 3. Conservation: start + what fills brought in - what they took out = now.
            let usdt = u(initial.USDT)
            let eth = u(initial.ETH)
            for (const f of engine.fillsOf('k', 'ETHUSDT')) {
              if (f.isBuyer) {
                usdt -= f.quoteQty
                eth += f.qty - f.commission
              } else {
                eth -= f.qty
                usdt += f.quoteQty - f.commission
              }
            }
            expect(account.get('USDT').free + account.get('USDT').locked).toBe(usdt)
            expect(account.get('ETH').free + account.get('ETH').locked).toBe(eth)
            // 4. Orders agree with their fills.
            for (const x of engine.ordersOf('k')) {
              const fills = engine.fillsOf('k', 'ETHUSDT').filter((f) => f.orderId === x.orderId)
              expect(fills.reduce((a, f) => a + f.qty, 0n)).toBe(x.executedQty)
              expect(fills.reduce((a, f) => a + f.quoteQty, 0n)).toBe(x.cumQuote)
              expect(x.executedQty <= x.origQty).toBe(true)
              if (x.status === 'FILLED' && x.origQuoteOrderQty === 0n) expect(x.executedQty).toBe(x.origQty)
              if (x.origQuoteOrderQty > 0n) expect(x.cumQuote <= x.origQuoteOrderQty).toBe(true)
            }
          }
        },
      ),
      { numRuns: 60, seed: 20_240_601 },
    )
  })

  it('a resting buy fills at its limit price (maker) only once the best ask reaches it', () => {
    const data = new MarketData(DEFAULT_MARKETS, 1, Date.UTC(2017, 7, 17))
    const engine = new Engine(
      data,
      {
        feeBps: 10,
        clientOrderIdReuse: 'never',
        limitFills: { mode: 'full', fraction: 1 },
        matchEveryMs: 1_000,
      },
      1,
      T0,
    )
    const account = engine.addAccount('k', 's', { USDT: 1_000 }, T0)
    data.source('SOLUSDT').setPrice(T0, 100, true)
    const { order } = engine.place(
      account,
      {
        symbol: 'SOLUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: u('2'),
        price: u('99.5'),
        selfTradePreventionMode: 'NONE',
        respType: 'FULL',
      },
      T0,
    )
    // Best ask = 99.51 (bid 99.50 + one tick): not yet.
    data.source('SOLUSDT').setPrice(T0 + 1_000, 99.505, true)
    engine.tick(T0 + 1_000)
    expect(order.status).toBe('NEW')
    data.source('SOLUSDT').setPrice(T0 + 2_000, 99.49, true)
    engine.tick(T0 + 2_000)
    expect(order.status).toBe('FILLED')
    const [fill] = engine.fillsOf('k', 'SOLUSDT')
    expect([fill?.price, fill?.isMaker, fill?.commission, fill?.commissionAsset]).toEqual([
      u('99.5'),
      true,
      u('0.002'),
      'SOL',
    ])
    expect(account.get('USDT')).toEqual({ free: u('801'), locked: 0n })
  })
})
