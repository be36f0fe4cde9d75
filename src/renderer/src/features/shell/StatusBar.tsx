import { resolveZone, zoneLabel } from '../../lib/time'
import { HealthBadge } from '../health/HealthBadge'
import { NoticesBell } from '../notices/Notices'
import { usePreferences } from '../settings/store'
import { useShellStore } from './store'

const ENGINE = {
  connecting: 'connecting',
  open: 'online',
  reconnecting: 'reconnecting',
  closed: 'offline',
} as const

export function StatusBar() {
  const info = useShellStore((s) => s.info)
  const connection = useShellStore((s) => s.connection)
  const zone = usePreferences((s) => s.prefs.timeZone)
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={`status-conn status-${connection}`}>Engine: {ENGINE[connection]}</span>
      <span className="status-sep" aria-hidden="true" />
      <span data-testid="host-info">
        {info ? `${info.host === 'desktop' ? 'Desktop' : 'Headless host'} · v${info.version}` : 'Host: —'}
      </span>
      <span className="status-spacer" />
      <HealthBadge />
      <span className="status-muted" data-testid="status-zone">
        Times in {zoneLabel(resolveZone(zone))}
      </span>
      <NoticesBell />
    </footer>
  )
}
