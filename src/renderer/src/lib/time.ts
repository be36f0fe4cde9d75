/**
 * The one place the renderer turns an instant into wall-clock text: in the trader's chosen time
 * zone (Settings; the machine's own by default, `UTC` or any IANA zone). The engine and every
 * export keep instants as UTC milliseconds; only what is shown moves. Charts, tables, toasts
 * and tooltips all read this module, so one setting moves them all.
 */

/** The zone of the machine showing the window (each browser's own on the headless host). */
export function machineZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  } catch {
    return 'UTC'
  }
}

/** A preference (`local` or an IANA zone) as the IANA zone it means here. */
export function resolveZone(pref: string): string {
  return pref === 'local' ? machineZone() : pref
}

let zone = machineZone()
const listeners = new Set<() => void>()

/** Sets the zone every later text uses (a preference: `local` or an IANA zone). */
export function setTimeZone(pref: string): void {
  const next = resolveZone(pref)
  if (next === zone) return
  zone = next
  for (const l of [...listeners]) l()
}

/** The IANA zone times are shown in now. */
export function timeZone(): string {
  return zone
}

export function onTimeZoneChange(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function partsFormat(z: string): Intl.DateTimeFormat {
  let f = formatters.get(z)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: z,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(z, f)
  }
  return f
}

/** The wall clock in `z` (the chosen zone by default) at instant `ms`. */
export function wallClock(ms: number, z: string = zone): WallClock {
  if (z === 'UTC' || z === 'Etc/UTC') {
    const d = new Date(ms)
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    }
  }
  const out: WallClock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
  for (const p of partsFormat(z).formatToParts(ms)) {
    if (p.type in out) out[p.type as keyof WallClock] = Number(p.value)
  }
  return out
}

const pad = (n: number): string => String(n).padStart(2, '0')
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `2025-03-04` */
export function formatDate(ms: number, z: string = zone): string {
  const w = wallClock(ms, z)
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`
}

/** `14:05:09` (or `14:05` without seconds). */
export function formatClockTime(ms: number, seconds = true, z: string = zone): string {
  const w = wallClock(ms, z)
  return `${pad(w.hour)}:${pad(w.minute)}${seconds ? `:${pad(w.second)}` : ''}`
}

/** `2025-03-04 14:05` (with `:09` when `seconds`). */
export function formatDateTime(ms: number, seconds = false, z: string = zone): string {
  const w = wallClock(ms, z)
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}${seconds ? `:${pad(w.second)}` : ''}`
}

/** `Mar 4, 14:05:09`: short, for toasts and histories. */
export function formatShortStamp(ms: number, z: string = zone): string {
  const w = wallClock(ms, z)
  return `${MONTHS[w.month - 1]} ${w.day}, ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`
}

/** How the zone is named beside times: `UTC`, `Europe/Paris`. */
export function zoneLabel(z: string = zone): string {
  return z === 'Etc/UTC' ? 'UTC' : z
}

/** Tick kinds as lightweight-charts numbers them (TickMarkType): year, month, day, time, time with seconds. */
const TICK = { year: 0, month: 1, day: 2, time: 3, seconds: 4 } as const

/**
 * A chart axis label for a bar's time (UTC seconds). Daily and longer bars are calendar days of
 * the exchange (UTC) and keep their date whatever the zone; intraday ticks show the chosen
 * zone's wall clock. lightweight-charts places its day, month and year ticks on UTC
 * boundaries, so a "day" tick that is not midnight where the trader is shows its local time
 * with the day, never a date that would be wrong there.
 */
export function tickLabel(seconds: number, type: number, intraday: boolean, z: string = zone): string {
  const w = wallClock(seconds * 1000, intraday ? z : 'UTC')
  if (type === TICK.year) return String(w.year)
  if (type === TICK.month)
    return intraday && (w.day !== 1 || w.hour + w.minute > 0) ? dayTime(w) : MONTHS[w.month - 1]!
  if (type === TICK.day) return intraday && w.hour + w.minute > 0 ? dayTime(w) : String(w.day)
  if (type === TICK.seconds) return `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`
  return `${pad(w.hour)}:${pad(w.minute)}`
}

const dayTime = (w: WallClock): string => `${w.day} ${pad(w.hour)}:${pad(w.minute)}`

/** The crosshair's time label: `Tue 4 Mar '25 14:05` in the zone (daily bars: the UTC date). */
export function crosshairLabel(seconds: number, intraday: boolean, z: string = zone): string {
  const w = wallClock(seconds * 1000, intraday ? z : 'UTC')
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][
    new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()
  ]
  const date = `${weekday} ${w.day} ${MONTHS[w.month - 1]} '${String(w.year).slice(2)}`
  return intraday ? `${date} ${pad(w.hour)}:${pad(w.minute)}` : date
}
