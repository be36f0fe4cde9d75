import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ledgerBalances, positionFromFills, type PositionFill } from '../../src/main/trading/positions'

const S = 'BTC/USDT'
let t = 0
const buy = (amount: number, price: number, fee?: [number, string]): PositionFill => ({
  symbol: S,
  side: 'buy',
  amount,
  price,
  fee: fee ? { cost: fee[0], currency: fee[1] } : null,
  time: ++t,
})
const sell = (amount: number, price: number, fee?: [number, string]): PositionFill => ({
  ...buy(amount, price, fee),
  side: 'sell',
})

describe('FIFO positions from fills', () => {
  it('closes the oldest lot first on a partial close', () => {
    // Buy 1 @ 100, buy 1 @ 110, sell 1.5 @ 120:
    // closes 1 @ 100 (+20) and 0.5 @ 110 (+5) -> realized 25; 0.5 @ 110 left; at 130 that is +10.
    const p = positionFromFills('a', S, [buy(1, 100), buy(1, 110), sell(1.5, 120)], 130)
    expect(p.side).toBe('long')
    expect(p.amount).toBe(0.5)
    expect(p.averageEntry).toBe(110)
    expect(p.realizedPnl).toBe(25)
    expect(p.unrealizedPnl).toBe(10)
    expect(p.lots).toEqual([{ amount: 0.5, price: 110, time: expect.any(Number) }])
  })

  it('averages the entry over open lots', () => {
    // 1 @ 100 and 3 @ 120 -> (100 + 360) / 4 = 115; at 110: +10 + 3 * -10 = -20 (= 4 * (110 - 115))
    const p = positionFromFills('a', S, [buy(1, 100), buy(3, 120)], 110)
    expect(p.averageEntry).toBe(115)
    expect(p.unrealizedPnl).toBe(-20)
    expect(p.realizedPnl).toBe(0)
  })

  it('flips from long to short and back to flat', () => {
    // long 1 @ 100; sell 3 @ 90: closes 1 (-10), opens short 2 @ 90.
    const flipped = positionFromFills('a', S, [buy(1, 100), sell(3, 90)], 80)
    expect(flipped.side).toBe('short')
    expect(flipped.amount).toBe(-2)
    expect(flipped.averageEntry).toBe(90)
    expect(flipped.realizedPnl).toBe(-10)
    expect(flipped.unrealizedPnl).toBe(20) // short 2 from 90, mark 80
    // buy 2 @ 85 covers the short: +2 * 5 = +10 -> realized 0, flat.
    const flat = positionFromFills('a', S, [buy(1, 100), sell(3, 90), buy(2, 85)], 80)
    expect(flat.side).toBe('flat')
    expect(flat.amount).toBe(0)
    expect(flat.averageEntry).toBeNull()
    expect(flat.realizedPnl).toBe(0)
    expect(flat.unrealizedPnl).toBe(0)
  })

  it('subtracts fees paid in quote from realized P&L', () => {
    // buy 1 @ 100 fee 0.10 USDT, sell 1 @ 110 fee 0.11 USDT: 10 - 0.21 = 9.79
    const p = positionFromFills('a', S, [buy(1, 100, [0.1, 'USDT']), sell(1, 110, [0.11, 'USDT'])])
    expect(p.realizedPnl).toBeCloseTo(9.79, 12)
    expect(p.feesPaid).toBeCloseTo(0.21, 12)
    expect(p.side).toBe('flat')
  })

  it('takes a fee in base out of the position and values it at the fill price', () => {
    // buy 1 BTC @ 100 with a 0.001 BTC fee: the lot is 0.999 BTC @ 100, realized -0.1.
    const open = positionFromFills('a', S, [buy(1, 100, [0.001, 'BTC'])], 100)
    expect(open.amount).toBe(0.999)
    expect(open.realizedPnl).toBeCloseTo(-0.1, 12)
    expect(open.unrealizedPnl).toBe(0)
    // sell 0.999 @ 110 paying 0.1099 USDT: +0.999 * 10 = 9.99, so -0.1 + 9.99 - 0.1099 = 9.7801
    const closed = positionFromFills('a', S, [
      buy(1, 100, [0.001, 'BTC']),
      sell(0.999, 110, [0.1099, 'USDT']),
    ])
    expect(closed.side).toBe('flat')
    expect(closed.realizedPnl).toBeCloseTo(9.7801, 12)
    expect(closed.feesPaid).toBeCloseTo(0.2099, 12)
  })

  it('removes a sell’s base fee from the position as well (partial close)', () => {
    // long 2 @ 100; sell 1 @ 120 paying 0.01 BTC: 1.01 BTC leave the position at 120:
    // realized 1.01 * 20 - 0.01 * 120 = 20.2 - 1.2 = 19; 0.99 @ 100 left.
    const p = positionFromFills('a', S, [buy(2, 100), sell(1, 120, [0.01, 'BTC'])], 120)
    expect(p.amount).toBe(0.99)
    expect(p.realizedPnl).toBeCloseTo(19, 12)
    expect(p.unrealizedPnl).toBeCloseTo(19.8, 12)
  })

  it('lists fees in other currencies without putting them in P&L', () => {
    const p = positionFromFills('a', S, [buy(1, 100, [0.0002, 'BNB']), sell(1, 101, [0.0002, 'BNB'])])
    expect(p.realizedPnl).toBe(1)
    expect(p.otherFees).toEqual([{ currency: 'BNB', cost: 0.0004 }])
  })

  it('has no unrealized P&L without a mark', () => {
    expect(positionFromFills('a', S, [buy(1, 100)]).unrealizedPnl).toBeNull()
  })

  it('realized + unrealized always equals the change in account value (quote + base at the mark)', () => {
    const fill = fc.record({
      side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      amount: fc.integer({ min: 1, max: 5000 }).map((n) => n / 1000),
      price: fc.integer({ min: 5000, max: 15000 }).map((n) => n / 100),
      feeIn: fc.constantFrom('none', 'base', 'quote'),
      feeRate: fc.constantFrom(0, 0.001, 0.00075),
    })
    fc.assert(
      fc.property(
        fc.array(fill, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 5000, max: 15000 }),
        (raw, m) => {
          const mark = m / 100
          const fills: PositionFill[] = raw.map((f, i) => ({
            symbol: S,
            side: f.side,
            amount: f.amount,
            price: f.price,
            time: i,
            fee:
              f.feeIn === 'none' || f.feeRate === 0
                ? null
                : f.feeIn === 'base'
                  ? { cost: f.amount * f.feeRate, currency: 'BTC' }
                  : { cost: f.amount * f.price * f.feeRate, currency: 'USDT' },
          }))
          const p = positionFromFills('a', S, fills, mark)
          const ledger = ledgerBalances(new Map(), fills)
          const value = (ledger.get('USDT') ?? 0) + (ledger.get('BTC') ?? 0) * mark
          expect(p.amount).toBeCloseTo(ledger.get('BTC') ?? 0, 9)
          expect(p.realizedPnl + (p.unrealizedPnl ?? 0)).toBeCloseTo(value, 6)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('ledger balances', () => {
  it('moves base and quote and spends fees in their currency', () => {
    const b = ledgerBalances(new Map([['USDT', 1000]]), [
      buy(2, 100, [0.002, 'BTC']),
      sell(1, 110, [0.11, 'USDT']),
    ])
    // USDT: 1000 - 200 + 110 - 0.11 = 909.89; BTC: 2 - 0.002 - 1 = 0.998
    expect(b.get('USDT')).toBeCloseTo(909.89, 10)
    expect(b.get('BTC')).toBeCloseTo(0.998, 12)
  })
})
