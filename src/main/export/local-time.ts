/**
 * Local wall-clock time with its offset, for the optional `<column>_local` columns:
 * `2024-03-31T03:30:00.000+02:00`. Intl is slow per call (about 2 µs), so the zone's offset is
 * looked up once per quarter hour of UTC time (every zone's offset changes on a quarter hour at
 * most) and the text is assembled by hand.
 */

const QUARTER_HOUR = 15 * 60_000

export class TimeZoneError extends Error {
  override readonly name = 'TimeZoneError'
}

/** The IANA zone named, or the machine's own for `local`; throws TimeZoneError for an unknown name. */
export function resolveTimeZone(name: string): string {
  if (name === 'local') return Intl.DateTimeFormat().resolvedOptions().timeZone
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
  } catch {
    throw new TimeZoneError(`"${name}" is not a time zone (use an IANA name such as Europe/Berlin, or local)`)
  }
}

/** A formatter of ms since the epoch as local ISO 8601 text with the zone's offset. */
export function localTimeFormatter(timeZone: string): (ms: number) => string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })
  const offsets = new Map<number, number>()
  const offsetAt = (ms: number): number => {
    const key = Math.floor(ms / QUARTER_HOUR)
    let off = offsets.get(key)
    if (off === undefined) {
      const at = key * QUARTER_HOUR
      const p: Record<string, number> = {}
      for (const { type, value } of parts.formatToParts(at)) p[type] = Number(value)
      const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
      off = Math.round((wall - at) / 60_000)
      if (offsets.size > 100_000) offsets.clear()
      offsets.set(key, off)
    }
    return off
  }
  return (ms) => {
    const off = offsetAt(ms)
    const wall = new Date(ms + off * 60_000).toISOString().slice(0, 23)
    const sign = off < 0 ? '-' : '+'
    const a = Math.abs(off)
    return `${wall}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`
  }
}

const pad = (n: number): string => (n < 10 ? '0' + n : String(n))
