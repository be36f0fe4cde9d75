/** What the measure tool reads between two points: price change, percent, bars and time span. */
export interface Measurement {
  /** Second price minus the first. */
  change: number
  /** Of the first price; null when it is zero. */
  percent: number | null
  /** Whole bars from the first point to the second (negative when measured leftwards). */
  bars: number
  /** Milliseconds from the first point to the second. */
  spanMs: number
}

export function measure(
  a: { time: number; price: number; logical: number },
  b: { time: number; price: number; logical: number },
  precision: number,
): Measurement {
  const f = 10 ** precision
  const change = (Math.round(b.price * f) - Math.round(a.price * f)) / f
  return {
    change,
    percent: a.price === 0 ? null : (change / Math.abs(a.price)) * 100,
    bars: Math.round(b.logical - a.logical),
    spanMs: b.time - a.time,
  }
}

/** A span in its two largest units, the second left out when zero: `3d 4h`, `2h`, `45m`. */
export function formatSpan(ms: number): string {
  const sign = ms < 0 ? '−' : ''
  const total = Math.round(Math.abs(ms) / 60_000)
  const d = Math.floor(total / 1440)
  const h = Math.floor((total % 1440) / 60)
  const m = total % 60
  if (d > 0) return `${sign}${d}d${h > 0 ? ` ${h}h` : ''}`
  if (h > 0) return `${sign}${h}h${m > 0 ? ` ${m}m` : ''}`
  return `${sign}${m}m`
}
