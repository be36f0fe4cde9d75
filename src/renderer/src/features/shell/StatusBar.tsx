import { useShellStore } from './store'

export function StatusBar() {
  const info = useShellStore((s) => s.info)
  const connection = useShellStore((s) => s.connection)
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span className={`status-conn status-${connection}`}>
        Engine: {connection === 'open' ? 'online' : connection === 'connecting' ? 'connecting' : 'offline'}
      </span>
      <span className="status-sep" aria-hidden="true" />
      <span data-testid="host-info">
        {info ? `${info.host === 'desktop' ? 'Desktop' : 'Headless host'} · v${info.version}` : 'Host: —'}
      </span>
      <span className="status-spacer" />
      <span className="status-muted">Times in UTC</span>
    </footer>
  )
}
