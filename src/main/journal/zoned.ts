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

/**
 * The local wall-clock time of a UTC time in the zone, as ms since 1970-01-01 00:00 local (no
 * allocation per call: analytics ask it twice per trade). The calendar fields follow from it by
 * arithmetic (`dayOf`, `weekdayOf`, `hourOf`).
 */
/**
 * What a zone's offsets cost to learn is kept for the process (an offset at a given UTC time
 * never changes): each analytics call over a journal spanning a year otherwise asked Intl
 * ~17,000 times (about 16 µs each) for the same answers. Per zone: the offset at the start of
 * each UTC hour asked so far. Bounded: past MAX_CACHED hours a zone's table starts again.
 */
const zones = new Map<string, { offsetAt: (t: number) => number; starts: Map<number, number> }>()
const MAX_CACHED = 1_000_000

function zoneOf(timeZone: string) {
  let z = zones.get(timeZone)
  if (!z) zones.set(timeZone, (z = { offsetAt: offsetFinder(timeZone), starts: new Map() }))
  if (z.starts.size > MAX_CACHED) z.starts.clear()
  return z
}

/**
 * The local wall-clock time of a UTC time in the zone, as ms since 1970-01-01 00:00 local (no
 * allocation per call: analytics ask it twice per trade). The calendar fields follow from it by
 * arithmetic (`dayOf`, `weekdayOf`, `hourOf`). An hour whose start and the next hour's start
 * have the same offset has that offset throughout (no zone changes twice within an hour); an
 * hour with a transition inside asks Intl for each time.
 */
export function zonedTime(timeZone: string): (time: number) => number {
  const { offsetAt, starts } = zoneOf(timeZone)
  const startOf = (h: number): number => {
    let o = starts.get(h)
    if (o === undefined) starts.set(h, (o = offsetAt(h * HOUR)))
    return o
  }
  // Times come mostly in order (trades by exit): the last hour's answer is kept at hand.
  let lastHour = NaN
  let lastOffset: number | null = null
  return (time) => {
    const h = Math.floor(time / HOUR)
    if (h !== lastHour) {
      const start = startOf(h)
      lastHour = h
      lastOffset = startOf(h + 1) === start ? start : null
    }
    return time + (lastOffset ?? offsetAt(time))
  }
}

/** Days since 1970-01-01 of a local time from `zonedTime`. */
export const dayOf = (local: number): number => Math.floor(local / DAY)
/** 0 = Monday .. 6 = Sunday (ISO order). Day 0 (1970-01-01) was a Thursday: 3 from Monday. */
export const weekdayOf = (local: number): number => (((dayOf(local) + 3) % 7) + 7) % 7
export const hourOf = (local: number): number => Math.floor((local - dayOf(local) * DAY) / HOUR)
/** YYYY-MM-DD of a day number. */
export const dayText = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10)

export function zonedFields(timeZone: string): (time: number) => LocalFields {
  const localOf = zonedTime(timeZone)
  // Formatting a date is most of the cost; a journal's trades fall on a few hundred days.
  const days = new Map<number, string>()
  return (time) => {
    const local = localOf(time)
    const dayNumber = dayOf(local)
    let day = days.get(dayNumber)
    if (day === undefined) days.set(dayNumber, (day = dayText(dayNumber)))
    return { day, weekday: weekdayOf(local), hour: hourOf(local) }
  }
}
