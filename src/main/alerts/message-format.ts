/**
 * How numbers and times read in an alert's message text (`{{close}}`, `{{value}}`, `{{time}}`).
 * Only the text: the stored firing and a webhook's JSON keep the exact numbers and epoch ms.
 */

const formats = new Map<number, Intl.NumberFormat>()

/** Digits shown when the market's precision is not known (a price of 43,250.5 or 0.00001234). */
function guessDigits(value: number): number {
  const a = Math.abs(value)
  if (a === 0 || a >= 1) return 2
  // Four significant digits below 1 (0.5234, 0.00001234), at most 12 places.
  return Math.min(12, Math.max(2, 3 - Math.floor(Math.log10(a))))
}

/**
 * A price with the market's decimals and thousands separators (`43,250.00`); without a known
 * precision, two decimals (four significant digits below 1). Empty for no number.
 */
export function formatMessagePrice(value: number | null | undefined, precision: number | null): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return ''
  const digits = Math.max(0, Math.min(12, precision ?? guessDigits(value)))
  let f = formats.get(digits)
  if (!f) {
    f = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      useGrouping: true,
    })
    formats.set(digits, f)
  }
  return f.format(value)
}

const pad = (n: number): string => String(n).padStart(2, '0')

/**
 * A time for people, in UTC and saying so (the engine does not know the reader's zone, and a
 * webhook's reader may be elsewhere): `2026-12-07 20:41 UTC`, with seconds when not on the minute.
 */
export function readableTime(ms: number): string {
  const d = new Date(ms)
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
  const s = d.getUTCSeconds()
  const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${s !== 0 ? `:${pad(s)}` : ''}`
  return `${day} ${clock} UTC`
}
