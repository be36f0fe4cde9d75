import { describe, expect, it } from 'vitest'
import { CLIENT_ORDER_ID_PATTERN, clientOrderIdGenerator } from '../../src/main/trading/client-order-id'
import {
  amountForNotional,
  averagePrice,
  ceilTo,
  dec,
  Decimal,
  floorTo,
  roundTo,
} from '../../src/main/trading/decimal'

const text = (d: Decimal | null) => d?.toString() ?? null

describe('rounding to increments', () => {
  it('floors amounts to the step exactly', () => {
    expect(text(floorTo(dec('0.3'), dec('0.1')))).toBe('0.3') // 0.3 / 0.1 is 2.9999999999999996 in doubles
    expect(text(floorTo(dec('0.123456'), dec('0.00001')))).toBe('0.12345')
    expect(text(floorTo(dec('0.0000099'), dec('0.00001')))).toBe('0')
    expect(text(floorTo(dec('1.23'), dec('0.001')))).toBe('1.23')
    expect(text(floorTo(dec('64123.456'), dec('0.01')))).toBe('64123.45')
    expect(text(floorTo(dec('9001'), dec('0.00001')))).toBe('9001') // 900099999.9999999 steps in doubles
  })

  it('ceils and rounds prices to the tick, which need not be a power of ten', () => {
    expect(text(ceilTo(dec('100.001'), dec('0.01')))).toBe('100.01')
    expect(text(ceilTo(dec('100.01'), dec('0.01')))).toBe('100.01')
    expect(text(roundTo(dec('100.005'), dec('0.01')))).toBe('100.01')
    expect(text(roundTo(dec('100.004'), dec('0.01')))).toBe('100')
    expect(text(roundTo(dec('0.7'), dec('0.5')))).toBe('0.5')
    expect(text(ceilTo(dec('10.01'), dec('0.25')))).toBe('10.25')
  })

  it('leaves a value as it is when the market has no increment', () => {
    expect(text(floorTo(dec('0.123456789'), Decimal.ZERO))).toBe('0.123456789')
    expect(text(ceilTo(dec('0.123456789'), Decimal.ZERO))).toBe('0.123456789')
  })

  it('turns a notional into the largest amount on the step it pays for, in one rounding', () => {
    // 100 / 65000 = 0.0015384615..., down to the step: 0.00153 (costs 99.45, not more than 100)
    expect(text(amountForNotional(dec('100'), dec('65000'), dec('0.00001')))).toBe('0.00153')
    // exactly on the step: nothing lost
    expect(text(amountForNotional(dec('99.45'), dec('65000'), dec('0.00001')))).toBe('0.00153')
    // a step that is not a power of ten
    expect(text(amountForNotional(dec('10'), dec('3'), dec('0.5')))).toBe('3')
  })

  it('gives averages half-to-even at 12 places, and none for nothing filled', () => {
    expect(text(averagePrice(dec('300.03'), dec('3')))).toBe('100.01')
    expect(text(averagePrice(dec('1'), dec('3')))).toBe('0.333333333333')
    expect(text(averagePrice(dec('2'), dec('3')))).toBe('0.666666666667')
    expect(text(averagePrice(dec('0.0000000000005'), dec('1')))).toBe('0')
    expect(text(averagePrice(dec('0.0000000000015'), dec('1')))).toBe('0.000000000002')
    expect(averagePrice(dec('1'), Decimal.ZERO)).toBeNull()
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
