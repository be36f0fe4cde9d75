/**
 * Session boundaries in UTC for session-anchored indicators (VWAP). A session is the half-open
 * interval [start, end) in ms since the epoch containing a bar's open time.
 * - `day`: UTC calendar day; `week`: ISO week, Monday 00:00 UTC; `month`: UTC calendar month;
 * - `none`: one session for the whole series (cumulative from the first bar).
 */
export type SessionAnchor = 'day' | 'week' | 'month' | 'none'
export const SESSION_ANCHORS: readonly SessionAnchor[] = ['day', 'week', 'month', 'none']

const DAY = 86_400_000
const WEEK = 7 * DAY
/** 1970-01-01 was a Thursday; the first Monday 00:00 UTC on or before it is 3 days earlier. */
const MONDAY_EPOCH = -3 * DAY

export function sessionStart(anchor: SessionAnchor, time: number): number {
  switch (anchor) {
    case 'day':
      return Math.floor(time / DAY) * DAY
    case 'week':
      return Math.floor((time - MONDAY_EPOCH) / WEEK) * WEEK + MONDAY_EPOCH
    case 'month': {
      const d = new Date(time)
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
    }
    case 'none':
      return -Infinity
  }
}

export function sessionEnd(anchor: SessionAnchor, start: number): number {
  switch (anchor) {
    case 'day':
      return start + DAY
    case 'week':
      return start + WEEK
    case 'month': {
      const d = new Date(start)
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
    }
    case 'none':
      return Infinity
  }
}
