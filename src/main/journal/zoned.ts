/**
 * Local calendar fields of UTC times in an IANA time zone, fast enough for 100,000 trades:
 * the zone's offset is asked of Intl once per UTC hour and reused for every time in it, unless
 * the offset changes within that hour (a transition of a zone with a :30 or :45 offset), where
 * each time is asked on its own; the fields are arithmetic on the local time, the day's text made
 * once per day.
 */
export interface LocalFields {
  /** YYYY-MM-DD */
  day: string
  /** 0 = Monday .. 6 = Sunday (ISO order). */
  weekday: number
  hour: number
}

const HOUR = 3_600_000
const DAY = 86_400_000

function offsetFinder(timeZone: string): (t: number) => number {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  })
  const offsetAt = (t: number): number => {
    const p: Record<string, number> = {}
    for (const part of fmt.formatToParts(t)) if (part.type !== 'literal') p[part.type] = Number(part.value)
    const local = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
    return local - (t - (((t % 1000) + 1000) % 1000))
  }
  return offsetAt
}

/**
 * The UTC time of the local midnight that starts the day (or the ISO week, Monday) holding `now`
 * in the zone. The offset is asked at that midnight itself, so a DST change earlier in the
 * day or week does not shift it.
 */
export function localStart(timeZone: string, now: number, unit: 'day' | 'week'): number {
  const offsetAt = offsetFinder(timeZone)
  const local = now + offsetAt(now)
  const dayNumber = Math.floor(local / DAY)
  const weekday = (((dayNumber + 3) % 7) + 7) % 7
  const midnight = (unit === 'day' ? dayNumber : dayNumber - weekday) * DAY
  const guess = midnight - offsetAt(now)
  return midnight - offsetAt(guess)
}

export function zonedFields(timeZone: string): (time: number) => LocalFields {
  const offsetAt = offsetFinder(timeZone)
  const byHour = new Map<number, number | null>()
  // Formatting a date is most of the cost; a journal's trades fall on a few hundred days.
  const days = new Map<number, string>()
  return (time) => {
    const h = Math.floor(time / HOUR)
    let offset = byHour.get(h)
    if (offset === undefined) {
      const start = offsetAt(h * HOUR)
      offset = offsetAt(h * HOUR + HOUR - 1) === start ? start : null
      byHour.set(h, offset)
    }
    const local = time + (offset ?? offsetAt(time))
    const dayNumber = Math.floor(local / DAY)
    let day = days.get(dayNumber)
    if (day === undefined) days.set(dayNumber, (day = new Date(dayNumber * DAY).toISOString().slice(0, 10)))
    // Day 0 (1970-01-01) was a Thursday: 3 in ISO order from Monday.
    return {
      day,
      weekday: (((dayNumber + 3) % 7) + 7) % 7,
      hour: Math.floor((local - dayNumber * DAY) / HOUR),
    }
  }
}
