import { formatUtc } from '../../lib/format'
import { useShellStore } from '../shell/store'

/** What this installation is and where it keeps its data; real values from the engine. */
export function SettingsView() {
  const info = useShellStore((s) => s.info)
  const connection = useShellStore((s) => s.connection)
  return (
    <section className="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <p className="settings-note">
        Preferences are coming in a later release. This page shows the installation as the engine reports it.
      </p>
      <dl className="kv" data-testid="settings-info">
        <dt>Version</dt>
        <dd className="num" data-testid="settings-version">
          {info ? info.version : '—'}
        </dd>
        <dt>Host</dt>
        <dd>{info ? (info.host === 'desktop' ? 'Desktop app' : 'Headless host (browser)') : '—'}</dd>
        <dt>Data folder</dt>
        <dd className="mono" data-testid="settings-data-dir">
          {info ? info.dataDir : '—'}
        </dd>
        <dt>Engine started</dt>
        <dd className="num">{info ? formatUtc(info.startedAt) : '—'}</dd>
        <dt>Connection</dt>
        <dd>{connection}</dd>
        <dt>Chart times</dt>
        <dd>UTC</dd>
      </dl>
      <p className="settings-credit">
        Charts by{' '}
        <a href="https://www.tradingview.com/lightweight-charts/" target="_blank" rel="noreferrer">
          TradingView Lightweight Charts™
        </a>
        .
      </p>
    </section>
  )
}
