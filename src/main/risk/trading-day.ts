/**
 * The trading day: it starts at a configured hour in an IANA time zone (the daily loss limit
 * resets then). Conventions, pinned by test/risk/trading-day.test.ts:
 *
 * - the day that contains `now` started at the latest instant <= now whose wall clock in the
 *   zone read `hour:00`;
 * - an hour that a clock change skips (02:00 on a spring-forward night) starts the day at the
 *   first instant after the gap (03:00 local, the same instant as the old 02:00 would be);
 * - an hour that happens twice (01:00 on a fall-back night) starts it at the first of the two.
 *
 * Wall clocks are read with Intl (the ICU time zone data Node ships), nothing hand-made.
 */

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/** The wall clock of `t` in the zone, as if it were UTC (ms, whole seconds). */
function wallOf(t: number, timeZone: string): number {
  const parts: Record<string, number> = {}
  for (const p of formatter(timeZone).formatToParts(new Date(t))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value)
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!)
}

/** Offset of the zone at `t` (wall - utc), ms. */
function offsetAt(t: number, timeZone: string): number {
  return wallOf(t - (t % 1000), timeZone) - (t - (t % 1000))
}

/** The first instant whose wall clock reads `wall` (ms as UTC), or just after the gap that skips it. */
function instantOfWall(wall: number, timeZone: string): number {
  const before = offsetAt(wall - 14 * 3_600_000, timeZone)
  const after = offsetAt(wall + 14 * 3_600_000, timeZone)
  const found = [wall - before, wall - after].filter((t) => wallOf(t, timeZone) === wall)
  if (found.length > 0) return Math.min(...found)
  // Skipped by a clock change: the instant the old offset names is the first one after the gap.
  return wall - before
}

/** Start of the trading day containing `now`. */
export function tradingDayStart(now: number, hour: number, timeZone: string): number {
  const wall = wallOf(now, timeZone)
  const day = new Date(wall)
  const today = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour)
  const start = instantOfWall(today, timeZone)
  return start <= now ? start : instantOfWall(today - 86_400_000, timeZone)
}

/** Start of the next trading day after the one containing `now`. */
export function nextTradingDayStart(now: number, hour: number, timeZone: string): number {
  const start = tradingDayStart(now, hour, timeZone)
  const wall = wallOf(start, timeZone)
  // The local date after the start's, at the hour (a 23- or 25-hour day is still one date on).
  const startDay = new Date(wall)
  const next = Date.UTC(startDay.getUTCFullYear(), startDay.getUTCMonth(), startDay.getUTCDate() + 1, hour)
  return instantOfWall(next, timeZone)
}
