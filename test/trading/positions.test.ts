import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dec, Decimal } from '../../src/main/trading/decimal'
import { ledgerBalances, positionFromFills, type PositionFill } from '../../src/main/trading/positions'
import { d } from './support'

const S = 'BTC/USDT'
let t = 0
type Num = number | string
const buy = (amount: Num, price: Num, fee?: [Num, string]): PositionFill => ({
  symbol: S,
  side: 'buy',
  amount: d(amount),
  price: d(price),
  fee: fee ? { cost: d(fee[0]), currency: fee[1] } : null,
  time: ++t,
})
const sell = (amount: Num, price: Num, fee?: [Num, string]): PositionFill => ({
  ...buy(amount, price, fee),
  side: 'sell',
})

describe('FIFO positions from fills', () => {
  it('closes the oldest lot first on a partial close', () => {
    // Buy 1 @ 100, buy 1 @ 110, sell 1.5 @ 120:
    // closes 1 @ 100 (+20) and 0.5 @ 110 (+5) -> realized 25; 0.5 @ 110 left; at 130 that is +10.
    const p = positionFromFills('a', S, [buy(1, 100), buy(1, 110), sell(1.5, 120)], d(130))
    expect(p.side).toBe('long')
    expect(p.amount).toBe('0.5')
    expect(p.averageEntry).toBe('110')
    expect(p.realizedPnl).toBe('25')
    expect(p.unrealizedPnl).toBe('10')
    expect(p.lots).toEqual([{ amount: '0.5', price: '110', time: expect.any(Number) }])
  })

  it('averages the entry over open lots', () => {
    // 1 @ 100 and 3 @ 120 -> (100 + 360) / 4 = 115; at 110: +10 + 3 * -10 = -20 (= 4 * (110 - 115))
    const p = positionFromFills('a', S, [buy(1, 100), buy(3, 120)], d(110))
    expect(p.averageEntry).toBe('115')
    expect(p.unrealizedPnl).toBe('-20')
    expect(p.realizedPnl).toBe('0')
  })

  it('rounds an average entry that is not a finite decimal half-to-even at 12 places, and only that', () => {
    // (100.01 + 100.02 + 100.02) / 3 = 100.016666...; P&L comes from the lots, exactly.
    const p = positionFromFills('a', S, [buy(1, '100.01'), buy(1, '100.02'), buy(1, '100.02')], d('100.03'))
    expect(p.averageEntry).toBe('100.016666666667')
    expect(p.unrealizedPnl).toBe('0.04')
  })

  it('flips from long to short and back to flat', () => {
    // long 1 @ 100; sell 3 @ 90: closes 1 (-10), opens short 2 @ 90.
    const flipped = positionFromFills('a', S, [buy(1, 100), sell(3, 90)], d(80))
    expect(flipped.side).toBe('short')
    expect(flipped.amount).toBe('-2')
    expect(flipped.averageEntry).toBe('90')
    expect(flipped.realizedPnl).toBe('-10')
    expect(flipped.unrealizedPnl).toBe('20') // short 2 from 90, mark 80
    // buy 2 @ 85 covers the short: +2 * 5 = +10 -> realized 0, flat.
    const flat = positionFromFills('a', S, [buy(1, 100), sell(3, 90), buy(2, 85)], d(80))
    expect(flat.side).toBe('flat')
    expect(flat.amount).toBe('0')
    expect(flat.averageEntry).toBeNull()
    expect(flat.realizedPnl).toBe('0')
    expect(flat.unrealizedPnl).toBe('0')
  })

  it('subtracts fees paid in quote from realized P&L, exactly', () => {
    // buy 1 @ 100 fee 0.10 USDT, sell 1 @ 110 fee 0.11 USDT: 10 - 0.21 = 9.79
    const p = positionFromFills('a', S, [buy(1, 100, ['0.1', 'USDT']), sell(1, 110, ['0.11', 'USDT'])])
    expect(p.realizedPnl).toBe('9.79')
    expect(p.feesPaid).toBe('0.21')
    expect(p.side).toBe('flat')
  })

  it('takes a fee in base out of the position and values it at the fill price', () => {
    // buy 1 BTC @ 100 with a 0.001 BTC fee: the lot is 0.999 BTC @ 100, realized -0.1.
    const open = positionFromFills('a', S, [buy(1, 100, ['0.001', 'BTC'])], d(100))
    expect(open.amount).toBe('0.999')
    expect(open.realizedPnl).toBe('-0.1')
    expect(open.unrealizedPnl).toBe('0')
    // sell 0.999 @ 110 paying 0.1099 USDT: +0.999 * 10 = 9.99, so -0.1 + 9.99 - 0.1099 = 9.7801
    const closed = positionFromFills('a', S, [
      buy(1, 100, ['0.001', 'BTC']),
      sell('0.999', 110, ['0.1099', 'USDT']),
    ])
    expect(closed.side).toBe('flat')
    expect(closed.amount).toBe('0')
    expect(closed.realizedPnl).toBe('9.7801')
    expect(closed.feesPaid).toBe('0.2099')
  })

  it('removes a sell’s base fee from the position as well (partial close)', () => {
    // long 2 @ 100; sell 1 @ 120 paying 0.01 BTC: 1.01 BTC leave the position at 120:
    // realized 1.01 * 20 - 0.01 * 120 = 20.2 - 1.2 = 19; 0.99 @ 100 left.
    const p = positionFromFills('a', S, [buy(2, 100), sell(1, 120, ['0.01', 'BTC'])], d(120))
    expect(p.amount).toBe('0.99')
    expect(p.realizedPnl).toBe('19')
    expect(p.unrealizedPnl).toBe('19.8')
  })

  it('lists fees in other currencies without putting them in P&L', () => {
    const p = positionFromFills('a', S, [buy(1, 100, ['0.0002', 'BNB']), sell(1, 101, ['0.0002', 'BNB'])])
    expect(p.realizedPnl).toBe('1')
    expect(p.otherFees).toEqual([{ currency: 'BNB', cost: '0.0004' }])
  })

  it('has no unrealized P&L without a mark', () => {
    expect(positionFromFills('a', S, [buy(1, 100)]).unrealizedPnl).toBeNull()
  })

  it('calls what is left below the lot step dust, not an open position', () => {
    // The case: 0.001 BTC bought paying 0.000001 BTC leaves 0.000999; selling 0.00099
    // (all the step allows) leaves 0.000009, below the 0.00001 step.
    const step = dec('0.00001')
    const fills = [buy('0.001', 84_000, ['0.000001', 'BTC']), sell('0.00099', 84_100)]
    const market = { amountStep: step, priceTick: dec('0.01') }
    const p = positionFromFills('a', S, fills, d(84_100), market)
    expect(p.side).toBe('dust')
    expect(p.amount).toBe('0.000009')
    expect(p.amountStep).toBe('0.00001')
    // One step or more is a position again, and without a known step nothing is called dust.
    expect(positionFromFills('a', S, [buy('0.00001', 100)], null, market).side).toBe('long')
    expect(positionFromFills('a', S, [sell('0.00001', 100)], null, market).side).toBe('short')
    expect(positionFromFills('a', S, [sell('0.000009', 100)], null, market).side).toBe('dust')
    expect(positionFromFills('a', S, fills).side).toBe('long')
  })

  it('realized + unrealized equals the change in account value (quote + base at the mark), exactly', () => {
    const fill = fc.record({
      side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      amount: fc.integer({ min: 1, max: 5000 }).map((n) => Decimal.fromUnits(BigInt(n), 3)),
      price: fc.integer({ min: 5000, max: 15000 }).map((n) => Decimal.fromUnits(BigInt(n), 2)),
      feeIn: fc.constantFrom('none', 'base', 'quote'),
      feeRate: fc.constantFrom('0', '0.001', '0.00075').map(dec),
    })
    fc.assert(
      fc.property(
        fc.array(fill, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 5000, max: 15000 }),
        (raw, m) => {
          const mark = Decimal.fromUnits(BigInt(m), 2)
          const fills: PositionFill[] = raw.map((f, i) => ({
            symbol: S,
            side: f.side,
            amount: f.amount,
            price: f.price,
            time: i,
            fee:
              f.feeIn === 'none' || f.feeRate.isZero()
                ? null
                : f.feeIn === 'base'
                  ? { cost: f.amount.times(f.feeRate), currency: 'BTC' }
                  : { cost: f.amount.times(f.price).times(f.feeRate), currency: 'USDT' },
          }))
          const p = positionFromFills('a', S, fills, mark)
          const ledger = ledgerBalances(new Map(), fills)
          const base = ledger.get('BTC') ?? Decimal.ZERO
          const value = (ledger.get('USDT') ?? Decimal.ZERO).plus(base.times(mark))
          expect(p.amount).toBe(base.toString())
          expect(
            dec(p.realizedPnl)
              .plus(dec(p.unrealizedPnl ?? '0'))
              .toString(),
          ).toBe(value.toString())
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('ledger balances', () => {
  it('moves base and quote and spends fees in their currency, exactly', () => {
    const b = ledgerBalances(new Map([['USDT', dec('1000')]]), [
      buy(2, 100, ['0.002', 'BTC']),
      sell(1, 110, ['0.11', 'USDT']),
    ])
    // USDT: 1000 - 200 + 110 - 0.11 = 909.89; BTC: 2 - 0.002 - 1 = 0.998
    expect(b.get('USDT')?.toString()).toBe('909.89')
    expect(b.get('BTC')?.toString()).toBe('0.998')
  })
})
