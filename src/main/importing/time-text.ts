/**
 * Reading bar times. Accepted, all read as UTC unless they carry an offset:
 * - dates `2004-08-19` (also `/` or `.` as separator, as MetaTrader writes them) and `20040819`;
 * - date-times `2017-04-19 09:00[:00[.000]]`, with `T` or a space, optionally followed by `Z`,
 *   `UTC`, `GMT` or an offset `+02:00` / `+0200` / `+02`. A time without an offset ("naive") is
 *   taken as UTC: exchanges and most data vendors publish UTC, and guessing the importer's
 *   local zone would make the same file import differently on two machines;
 * - epoch numbers, told apart by magnitude: below 1e11 seconds (1e11 s is the year 5138),
 *   below 1e14 milliseconds, below 1e17 microseconds, else nanoseconds. Numbers below 1e8
 *   (early 1973 in seconds) are refused as times: such small values are row numbers or
 *   indexes far more often than real timestamps.
 * Day-first or month-first dates (`19/08/2004`, `08/19/2004`) are refused: they are ambiguous.
 */

const DATE_TIME =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i
const EPOCH = /^\d+(?:\.\d+)?$/

/** ms since the epoch (UTC), or undefined if `text` is not a time this importer reads. */
export function parseTimeText(text: string): number | undefined {
  const fast = fixedIso(text)
  if (fast !== undefined) return fast
  const s = text.trim()
  if (EPOCH.test(s)) {
    if (s.length === 8 && !s.includes('.')) {
      const ymd = compactDate(s)
      if (ymd !== undefined) return ymd
    }
    return epochToMs(Number(s))
  }
  const m = DATE_TIME.exec(s)
  if (!m) return undefined
  const [, y, mo, d, hh, mi, ss, frac, zone] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = hh === undefined ? 0 : Number(hh)
  const minute = mi === undefined ? 0 : Number(mi)
  const second = ss === undefined ? 0 : Number(ss)
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'))
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined
  const offset = zone === undefined ? 0 : offsetMinutes(zone)
  if (offset === undefined) return undefined
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000
}

/** Epoch seconds, ms, µs or ns to ms, by magnitude (see the module comment). */
export function epochToMs(n: number): number | undefined {
  if (!Number.isFinite(n) || n < 1e8) return undefined
  if (n < 1e11) return Math.round(n * 1000)
  if (n < 1e14) return Math.round(n)
  if (n < 1e17) return Math.round(n / 1e3)
  return Math.round(n / 1e6)
}

function compactDate(s: string): number | undefined {
  const year = Number(s.slice(0, 4))
  const month = Number(s.slice(4, 6))
  const day = Number(s.slice(6, 8))
  if (year < 1800 || !validDate(year, month, day)) return undefined
  return Date.UTC(year, month - 1, day)
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= (month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!)
}

/**
 * The common shapes `2004-08-19`, `2017-04-19 09:00` and `2017-04-19 09:00:00` (space or T),
 * read by character position: a 100k-row file spends most of its parse time on dates.
 * Anything else, valid or not, is left to the general pattern.
 */
function fixedIso(s: string): number | undefined {
  const n = s.length
  if ((n !== 10 && n !== 16 && n !== 19) || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined
  const year = digits(s, 0, 4)
  const month = digits(s, 5, 2)
  const day = digits(s, 8, 2)
  if (year < 0 || month < 0 || day < 0 || !validDate(year, month, day)) return undefined
  if (n === 10) return Date.UTC(year, month - 1, day)
  const sep = s.charCodeAt(10)
  if ((sep !== 32 && sep !== 84) || s.charCodeAt(13) !== 58) return undefined
  const hour = digits(s, 11, 2)
  const minute = digits(s, 14, 2)
  const second = n === 19 && s.charCodeAt(16) === 58 ? digits(s, 17, 2) : n === 16 ? 0 : -1
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined
  return Date.UTC(year, month - 1, day, hour, minute, second)
}

/** The number written by `len` ASCII digits at `from`, or -1. */
function digits(s: string, from: number, len: number): number {
  let v = 0
  for (let i = from; i < from + len; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
  }
  return v
}

function offsetMinutes(zone: string): number | undefined {
  const z = zone.toUpperCase()
  if (z === 'Z' || z === 'UTC' || z === 'GMT') return 0
  const sign = z.startsWith('-') ? -1 : 1
  const digits = z.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0
  if (hours > 23 || minutes > 59) return undefined
  return sign * (hours * 60 + minutes)
}

/** `2004-08-19T00:00:00.000Z`: how times appear in messages and summaries. */
export const iso = (ms: number): string => new Date(ms).toISOString()
