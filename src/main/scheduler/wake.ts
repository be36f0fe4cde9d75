/**
 * Notices that the machine slept: a timer's wall-clock time jumps ahead of its monotonic time,
 * because Node's timers (libuv) count on a monotonic clock that stops while the machine is
 * suspended (Linux, macOS) while the wall clock does not. Timers set before the sleep then fire
 * late by the length of the sleep, so the scheduler re-arms everything when told.
 *
 * The desktop also calls `resume()` on Electron's powerMonitor 'resume', which is sooner; this
 * watch is what the headless host has, and it catches a wall-clock change (NTP, a time zone
 * trip) too.
 */
export interface WakeWatchOptions {
  now: () => number
  monotonic: () => number
  /** How often it looks (default 30 s). */
  everyMs?: number
  /** How far the wall clock must run ahead of the monotonic one (default 60 s). */
  jumpMs?: number
  onWake: (sleptMs: number) => void
}

export function watchForWake(o: WakeWatchOptions): () => void {
  let wall = o.now()
  let mono = o.monotonic()
  const jump = o.jumpMs ?? 60_000
  const timer = setInterval(() => {
    const w = o.now()
    const m = o.monotonic()
    const ahead = w - wall - (m - mono)
    wall = w
    mono = m
    if (ahead > jump) o.onWake(ahead)
  }, o.everyMs ?? 30_000)
  timer.unref?.()
  return () => clearInterval(timer)
}
