/** The ticket's VaR preview (order-var.ts) on hand-made closes, worked out by hand. */
import { describe, expect, it } from 'vitest'
import { orderVar, type OrderVarInput } from '../../src/main/risk/portfolio/order-var'

const DAY = 86_400_000
// BTC's daily returns: +10 %, −10 %, 0, +10 %, −20 %. ETH's: exactly the opposite.
const btc = Float64Array.from([100, 110, 99, 99, 108.9, 87.12])
const eth = Float64Array.from([100, 90, 99, 99, 89.1, 106.92])
const times = Float64Array.from(btc, (_, i) => i * DAY)

function input(positions: OrderVarInput['positions']): OrderVarInput {
  return {
    currency: 'USDT',
    positions,
    times,
    history: [
      { asset: 'BTC', closes: btc },
      { asset: 'ETH', closes: eth },
    ],
  }
}
const btcLong = { account: 'a', strategy: null, symbol: 'BTC/USDT', asset: 'BTC', quantity: 1, price: 100 }

describe('orderVar (1-day 95 % historical VaR before and after an order)', () => {
  it('reads the 5th percentile of the book’s daily P&L by numpy’s linear rule', () => {
    // 1 BTC at 100: P&L 10, −10, 0, 10, −20; sorted −20, −10, 0, 10, 10; the 5th percentile sits at
    // 0.05 × (5 − 1) = 0.2 of the way from −20 to −10: −18, so VaR 18.
    const r = orderVar(input([btcLong]), { asset: 'BTC', quantity: 1, price: 100 })
    expect(r.before).toBeCloseTo(18, 9)
    // Buying 1 more BTC at 100 doubles the book: 36.
    expect(r.after).toBeCloseTo(36, 9)
    expect(r.returns).toBe(5)
    expect(r.from).toBe(0)
    expect(r.to).toBe(5 * DAY)
  })

  it('a sell of the whole position leaves no risk; a hedge in ETH cancels it', () => {
    expect(orderVar(input([btcLong]), { asset: 'BTC', quantity: -1, price: 100 }).after).toBe(0)
    // 100 of ETH moves exactly against 100 of BTC: the P&L is 0 every day.
    expect(orderVar(input([btcLong]), { asset: 'ETH', quantity: 1, price: 100 }).after).toBeCloseTo(0, 9)
  })

  it('a short at 50 adds the opposite P&L: −5, 5, 0, −5, 10 for half a BTC sold from flat', () => {
    // Sorted −5, −5, 0, 5, 10: 5th percentile −5, VaR 5.
    const r = orderVar(input([]), { asset: 'BTC', quantity: -0.5, price: 100 })
    expect(r.before).toBe(0)
    expect(r.after).toBeCloseTo(5, 9)
  })

  it('an asset without history is named and its after is unknown, never understated', () => {
    const r = orderVar(input([btcLong]), { asset: 'SOL', quantity: 1, price: 10 })
    expect(r.before).toBeCloseTo(18, 9)
    expect(r.after).toBeNull()
    expect(r.note).toContain('SOL')
  })

  it('too short a history answers no figure and says why', () => {
    const r = orderVar({ ...input([btcLong]), times: times.subarray(0, 2) }, null)
    expect(r.before).toBeNull()
    expect(r.note).toMatch(/history/)
  })
})
