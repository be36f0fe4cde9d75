/**
 * Time constants of the demo market. The model is anchored at a fixed epoch so that the same
 * seed gives the same history on every machine and at every wall-clock time.
 */
export const MINUTE_MS = 60_000
export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000
export const MINUTES_PER_DAY = 1440

/** 2025-01-01T00:00Z as a day index (days since 1970-01-01): the day whose open is the start price. */
export const ANCHOR_DAY = Date.UTC(2025, 0, 1) / DAY_MS

/** The model answers for times in [EARLIEST_MS, LATEST_MS) only; outside that nothing is defined. */
export const EARLIEST_MS = Date.UTC(2000, 0, 1)
export const LATEST_MS = Date.UTC(2100, 0, 1)

/** Day index of a time (UTC). */
export function dayIndex(time: number): number {
  return Math.floor(time / DAY_MS)
}

/** 0 = Sunday … 6 = Saturday, for a day index (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7
}
