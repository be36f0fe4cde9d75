import { describe, expect, it } from 'vitest'
import { CLIENT_ORDER_ID_PATTERN, clientOrderIdGenerator } from '../../src/main/trading/client-order-id'
import { ceilTo, decimalsOf, floorTo, plain, roundTo } from '../../src/main/trading/decimal'

describe('rounding to increments', () => {
  it('counts the decimals of an increment', () => {
    expect([0.00001, 0.01, 0.5, 1, 10, 1e-8, 0.0001].map(decimalsOf)).toEqual([5, 2, 1, 0, 0, 8, 4])
  })

  it('floors amounts to the step without float drift', () => {
    expect(floorTo(0.3, 0.1)).toBe(0.3) // 0.3 / 0.1 is 2.9999999999999996 in doubles
    expect(floorTo(0.123456, 0.00001)).toBe(0.12345)
    expect(floorTo(0.0000099, 0.00001)).toBe(0)
    expect(floorTo(1.23, 0.001)).toBe(1.23)
    expect(floorTo(64123.456, 0.01)).toBe(64123.45)
  })

  it('ceils and rounds prices to the tick', () => {
    expect(ceilTo(100.001, 0.01)).toBe(100.01)
    expect(ceilTo(100.01, 0.01)).toBe(100.01)
    expect(roundTo(100.005, 0.01)).toBe(100.01)
    expect(roundTo(100.004, 0.01)).toBe(100)
    expect(roundTo(0.7, 0.5)).toBe(0.5)
  })

  it('prints numbers plainly', () => {
    expect(plain(0.1 + 0.2)).toBe('0.3')
    expect(plain(0.00001)).toBe('0.00001')
    expect(plain(5)).toBe('5')
  })
})

describe('client order ids', () => {
  it('match Binance newClientOrderId rules and are 29 characters with the default prefix', () => {
    const next = clientOrderIdGenerator(() => Date.UTC(2025, 0, 1))
    const id = next()
    expect(id).toMatch(CLIENT_ORDER_ID_PATTERN)
    expect(id).toHaveLength(29)
    expect(id.startsWith('cw-')).toBe(true)
  })

  it('never repeat and keep increasing when the clock stands still or steps back', () => {
    let t = 1_700_000_000_000
    const next = clientOrderIdGenerator(() => t)
    const ids: string[] = []
    for (let i = 0; i < 20_000; i++) {
      if (i === 10_000) t -= 5_000 // clock steps back
      ids.push(next())
    }
    expect(new Set(ids).size).toBe(ids.length)
    const sorted = [...ids].sort()
    expect(sorted).toEqual(ids)
  })

  it('encode time first so ids sort by creation', () => {
    const a = clientOrderIdGenerator(() => 1000)()
    const b = clientOrderIdGenerator(() => 2000)()
    expect(a < b).toBe(true)
  })

  it('refuse prefixes that would break the 36 character limit or charset', () => {
    expect(() => clientOrderIdGenerator(() => 0, 'way-too-long-prefix')).toThrow(/prefix/)
    expect(() => clientOrderIdGenerator(() => 0, 'bad prefix')).toThrow(/prefix/)
  })
})
