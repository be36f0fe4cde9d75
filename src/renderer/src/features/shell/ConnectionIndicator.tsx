import { useLayoutEffect, useState } from 'react'
import type { ConnectionStatus } from '../../client'
import { reconnect } from './actions'
import { useShellStore } from './store'
import './shell.css'

/** The state of the link to the engine, always visible in the top bar. */
export function ConnectionIndicator() {
  const link = useShellStore((s) => s.link)
  const now = useNow(link.state === 'reconnecting' && link.retryAt !== null)
  const waiting = link.state === 'reconnecting' && link.retryAt !== null
  return (
    <div
      className="conn"
      data-testid="connection"
      data-state={link.state}
      role="status"
      aria-live="polite"
      title={link.reason ?? undefined}
    >
      <span className="conn-dot" aria-hidden="true" />
      <span data-testid="connection-label">{label(link, now)}</span>
      {waiting && (
        <button type="button" className="conn-retry" data-testid="reconnect-now" onClick={reconnect}>
          Reconnect now
        </button>
      )}
    </div>
  )
}

function label(link: ConnectionStatus, now: number): string {
  switch (link.state) {
    case 'connecting':
      return 'Connecting…'
    case 'open':
      return 'Connected'
    case 'reconnecting':
      return link.retryAt === null
        ? 'Reconnecting…'
        : `Reconnecting in ${Math.max(1, Math.ceil((link.retryAt - now) / 1000))} s…`
    case 'closed':
      // The full reason (what to open) is in the tooltip and the notice; the label stays short.
      if (link.reason?.includes('no access token')) return 'Not connected: open the URL the host printed'
      return /access token/.test(link.reason ?? '') ? 'Disconnected: new access token' : 'Disconnected'
  }
}

/**
 * The current time, re-read a few times a second while `ticking` (for the countdown). Read again
 * in a layout effect as soon as it starts, so the stale time of the last countdown (or of the
 * page's start) is never on screen: it showed a first wait seconds longer than the real one.
 */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useLayoutEffect(() => {
    if (!ticking) return
    const tick = (): void => setNow(Date.now())
    tick()
    const timer = setInterval(tick, 250)
    return () => clearInterval(timer)
  }, [ticking])
  return now
}
