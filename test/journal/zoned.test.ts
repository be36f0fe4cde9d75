import { describe, expect, it } from 'vitest'
import { zonedFields } from '../../src/main/journal/zoned'

/** What Intl says of a time, field by field: the reference the fast path must agree with. */
function reference(timeZone: string, time: number) {
  const p: Record<string, string> = {}
  for (const part of new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    weekday: 'short',
  }).formatToParts(time))
    p[part.type] = part.value
  return {
    day: `${p.year}-${p.month}-${p.day}`,
    weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday!),
    hour: Number(p.hour),
  }
}

describe('zonedFields', () => {
  // Whole-hour DST zones, a :30 zone with a 30-minute DST (Lord Howe), a :45 one, UTC; times
  // before 1970 (negative) and around transitions.
  const zones = [
    'Europe/Paris',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Pacific/Chatham',
    'UTC',
  ]
  const times: number[] = []
  for (let t = Date.UTC(1969, 11, 25); t < Date.UTC(1970, 0, 5); t += 37 * 60_000) times.push(t)
  for (const start of [
    Date.UTC(2025, 2, 29),
    Date.UTC(2025, 9, 25),
    Date.UTC(2025, 3, 5),
    Date.UTC(2025, 8, 27),
  ])
    for (let t = start; t < start + 3 * 86_400_000; t += 7 * 60_000 + 13_000) times.push(t)

  for (const zone of zones)
    it(`agrees with Intl in ${zone}`, () => {
      const local = zonedFields(zone)
      for (const t of times)
        expect(local(t), `${zone} ${new Date(t).toISOString()}`).toEqual(reference(zone, t))
    })
})
