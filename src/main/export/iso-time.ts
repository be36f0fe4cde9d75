/**
 * ISO 8601 UTC text with milliseconds (`2024-03-01T12:00:00.123Z`) from ms since the epoch,
 * without a Date per cell: an export writes a million of them, and rows come in time order, so
 * the date part (`2024-03-01T`) is cached and only the time of day is assembled by hand. Times
 * outside years 0000-9999 go through Date, which writes them as toISOString does.
 */

const DAY = 86_400_000
/** 0000-01-01 and 10000-01-01 in ms: the range where a day's text is `YYYY-MM-DDT`. */
const MIN = -62_167_219_200_000
const MAX = 253_402_300_800_000

/** A formatter with its own cache of the last day's text (one per column, so columns do not thrash it). */
export function isoTimeFormatter(): (ms: number) => string {
  let cachedDay = NaN
  let prefix = ''
  return (ms) => {
    if (!(ms >= MIN && ms < MAX) || !Number.isInteger(ms)) return new Date(ms).toISOString()
    const day = Math.floor(ms / DAY)
    if (day !== cachedDay) {
      cachedDay = day
      prefix = new Date(day * DAY).toISOString().slice(0, 11)
    }
    let rest = ms - day * DAY
    const milli = rest % 1000
    rest = (rest - milli) / 1000
    const sec = rest % 60
    rest = (rest - sec) / 60
    const min = rest % 60
    const hour = (rest - min) / 60
    return (
      prefix +
      (hour < 10 ? '0' : '') +
      hour +
      (min < 10 ? ':0' : ':') +
      min +
      (sec < 10 ? ':0' : ':') +
      sec +
      (milli < 10 ? '.00' : milli < 100 ? '.0' : '.') +
      milli +
      'Z'
    )
  }
}
