import { afterEach, describe, expect, it } from 'vitest'
import {
  crosshairLabel,
  formatDateTime,
  formatShortStamp,
  onTimeZoneChange,
  setTimeZone,
  tickLabel,
  timeZone,
  wallClock,
} from './time'

// 2025-03-04 14:05:09 UTC (a Tuesday); New York is on EST (UTC-5) then, Tokyo UTC+9.
const T = Date.UTC(2025, 2, 4, 14, 5, 9)

describe('time in the chosen zone', () => {
  afterEach(() => setTimeZone('UTC'))

  it('turns one instant into the wall clock of each zone', () => {
    expect(wallClock(T, 'UTC')).toEqual({ year: 2025, month: 3, day: 4, hour: 14, minute: 5, second: 9 })
    expect(formatDateTime(T, true, 'America/New_York')).toBe('2025-03-04 09:05:09')
    expect(formatDateTime(T, false, 'Asia/Tokyo')).toBe('2025-03-04 23:05')
    // Midnight in UTC is the evening before in New York.
    expect(formatDateTime(Date.UTC(2025, 2, 4), false, 'America/New_York')).toBe('2025-03-03 19:00')
  })

  it('follows daylight saving time (New York moves to UTC-4 on 2025-03-09)', () => {
    expect(formatDateTime(Date.UTC(2025, 2, 10, 14, 0), false, 'America/New_York')).toBe('2025-03-10 10:00')
  })

  it('moves every later text when the zone changes, and tells listeners', () => {
    let told = 0
    const off = onTimeZoneChange(() => told++)
    setTimeZone('UTC')
    setTimeZone('Asia/Tokyo')
    expect(timeZone()).toBe('Asia/Tokyo')
    expect(formatShortStamp(T)).toBe('Mar 4, 23:05:09')
    setTimeZone('Asia/Tokyo')
    off()
    expect(told).toBe(1)
  })

  it('labels chart ticks in the zone for intraday bars and by the UTC date for daily bars', () => {
    const s = T / 1000
    expect(tickLabel(s, 3, true, 'Asia/Tokyo')).toBe('23:05')
    expect(tickLabel(s, 3, true, 'UTC')).toBe('14:05')
    // A UTC day boundary is 19:00 the day before in New York: shown as such, not as a date.
    expect(tickLabel(Date.UTC(2025, 2, 4) / 1000, 2, true, 'America/New_York')).toBe('3 19:00')
    expect(tickLabel(Date.UTC(2025, 2, 4) / 1000, 2, true, 'UTC')).toBe('4')
    // Daily bars keep their calendar date in any zone.
    expect(tickLabel(Date.UTC(2025, 2, 4) / 1000, 2, false, 'America/New_York')).toBe('4')
    expect(tickLabel(Date.UTC(2025, 2, 1) / 1000, 1, false, 'America/New_York')).toBe('Mar')
    expect(crosshairLabel(s, true, 'America/New_York')).toBe("Tue 4 Mar '25 09:05")
    expect(crosshairLabel(Date.UTC(2025, 2, 4) / 1000, false, 'America/New_York')).toBe("Tue 4 Mar '25")
  })
})
