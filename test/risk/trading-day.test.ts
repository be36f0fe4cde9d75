import { describe, expect, it } from 'vitest'
import { nextTradingDayStart, tradingDayStart } from '../../src/main/risk/trading-day'

const Z = (iso: string) => Date.parse(iso)

describe('the trading day (daily loss reset)', () => {
  it('starts at the hour in UTC', () => {
    expect(tradingDayStart(Z('2025-01-06T12:00:00Z'), 0, 'UTC')).toBe(Z('2025-01-06T00:00:00Z'))
    // Exactly at the hour the new day has begun.
    expect(tradingDayStart(Z('2025-01-06T00:00:00Z'), 0, 'UTC')).toBe(Z('2025-01-06T00:00:00Z'))
    expect(tradingDayStart(Z('2025-01-05T23:59:59.999Z'), 0, 'UTC')).toBe(Z('2025-01-05T00:00:00Z'))
    expect(nextTradingDayStart(Z('2025-01-06T12:00:00Z'), 0, 'UTC')).toBe(Z('2025-01-07T00:00:00Z'))
  })

  it('starts at the local hour in a zone east of UTC, before and after midnight UTC', () => {
    expect(tradingDayStart(Z('2025-01-06T00:30:00Z'), 9, 'Asia/Tokyo')).toBe(Z('2025-01-06T00:00:00Z'))
    expect(tradingDayStart(Z('2025-01-05T23:30:00Z'), 9, 'Asia/Tokyo')).toBe(Z('2025-01-05T00:00:00Z'))
  })

  it('keeps 17:00 New York across the spring-forward weekend (a 23-hour day)', () => {
    // 2025-03-09 02:00 EST the clocks went to 03:00 EDT.
    const sat = Z('2025-03-08T22:00:00Z') // 17:00 EST
    expect(tradingDayStart(Z('2025-03-09T12:00:00Z'), 17, 'America/New_York')).toBe(sat)
    expect(nextTradingDayStart(Z('2025-03-09T12:00:00Z'), 17, 'America/New_York')).toBe(
      Z('2025-03-09T21:00:00Z'),
    )
    expect(Z('2025-03-09T21:00:00Z') - sat).toBe(23 * 3_600_000)
    expect(tradingDayStart(Z('2025-03-10T12:00:00Z'), 17, 'America/New_York')).toBe(Z('2025-03-09T21:00:00Z'))
  })

  it('starts a day whose hour the clocks skip at the first instant after the gap', () => {
    // Berlin 2025-03-30: 02:00 CET became 03:00 CEST (01:00 UTC); there was no 02:00.
    expect(tradingDayStart(Z('2025-03-30T10:00:00Z'), 2, 'Europe/Berlin')).toBe(Z('2025-03-30T01:00:00Z'))
    expect(tradingDayStart(Z('2025-03-30T00:59:00Z'), 2, 'Europe/Berlin')).toBe(Z('2025-03-29T01:00:00Z'))
  })

  it('starts a day whose hour happens twice at the first of the two', () => {
    // Berlin 2025-10-26: 03:00 CEST went back to 02:00 CET, so 02:00 was at 00:00 and 01:00 UTC.
    expect(tradingDayStart(Z('2025-10-26T12:00:00Z'), 2, 'Europe/Berlin')).toBe(Z('2025-10-26T00:00:00Z'))
    expect(nextTradingDayStart(Z('2025-10-26T12:00:00Z'), 2, 'Europe/Berlin')).toBe(Z('2025-10-27T01:00:00Z'))
  })
})
