import './settings.css'
import { useEffect, useState } from 'react'
import type { Preferences } from '../../../../shared/contract/settings'
import { TIMEFRAMES } from '../../../../shared/domain/timeframes'
import { client } from '../../connection'
import { formatPrice } from '../../lib/format'
import { formatDateTime, machineZone, zoneLabel } from '../../lib/time'
import { toggleFavourite } from '../chart/actions'
import { useNow } from '../chart/market-scope'
import { ShortcutList } from '../shell/ShortcutList'
import { useShellStore } from '../shell/store'
import { savePreferences } from './actions'
import { usePreferences } from './store'

/** Every IANA zone this browser knows, UTC first. */
function zones(): string[] {
  let all: string[] = []
  try {
    all = Intl.supportedValuesOf('timeZone')
  } catch {
    all = []
  }
  return ['UTC', ...all.filter((z) => z !== 'UTC')]
}

interface AccountOption {
  id: string
  name: string
}

/** The accounts the default may be, read when the view opens. */
function useAccounts(): AccountOption[] | null {
  const [accounts, setAccounts] = useState<AccountOption[] | null>(null)
  const online = useShellStore((s) => s.connection === 'open')
  useEffect(() => {
    if (!online) return
    let live = true
    void client()
      .invoke('trading.accounts', {})
      .then((res) => {
        if (live && res.ok) setAccounts(res.value.map((a) => ({ id: a.id, name: a.name })))
      })
    return () => {
      live = false
    }
  }, [online])
  return accounts
}

/** The trader's preferences (stored by the engine, shared by every window), and the installation. */
export function SettingsView() {
  const info = useShellStore((s) => s.info)
  const connection = useShellStore((s) => s.connection)
  const prefs = usePreferences((s) => s.prefs)
  const accounts = useAccounts()
  const set = (patch: Partial<Preferences>): void => void savePreferences(patch)
  // The clock in the chosen zone, ticking: the trader sees what the zone means.
  const now = useNow(true)
  return (
    <section className="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <p className="settings-note">
        Stored by the engine: every window of the desktop app and every browser on this host shows the same.
      </p>

      <div className="settings-grid">
        <section className="settings-card" aria-labelledby="settings-display">
          <h2 id="settings-display">Display</h2>
          <label className="settings-field">
            <span>Theme</span>
            <select
              data-testid="settings-theme"
              value={prefs.theme}
              onChange={(e) => set({ theme: e.target.value as Preferences['theme'] })}
            >
              <option value="system">Follow the system</option>
              <option value="dark">Dark</option>
              <option value="light">Light</option>
            </select>
          </label>
          <label className="settings-field">
            <span>Time zone</span>
            <select
              data-testid="settings-timezone"
              value={prefs.timeZone}
              onChange={(e) => set({ timeZone: e.target.value })}
            >
              <option value="local">Local ({machineZone()})</option>
              {zones().map((z) => (
                <option key={z} value={z}>
                  {zoneLabel(z)}
                </option>
              ))}
            </select>
            <small>
              Chart axes, tables and notices. Now: <span className="num">{formatDateTime(now, true)}</span>.
              Daily bars keep their UTC date; exports stay in UTC (ISO 8601).
            </small>
          </label>
          <label className="settings-field">
            <span>Numbers</span>
            <select
              data-testid="settings-number-format"
              value={prefs.numberFormat}
              onChange={(e) => set({ numberFormat: e.target.value as Preferences['numberFormat'] })}
            >
              <option value="point">1,234.56 (decimal point)</option>
              <option value="comma">1.234,56 (decimal comma)</option>
            </select>
            <small>
              Shown as <span className="num">{formatPrice(1234.56, 2)}</span>. Fields accept what you type
              either way.
            </small>
          </label>
          <div className="settings-field">
            <span id="settings-tf-label">Chart toolbar timeframes</span>
            <div className="settings-tfs" role="group" aria-labelledby="settings-tf-label">
              {TIMEFRAMES.map((tf) => {
                const on = prefs.favouriteTimeframes.includes(tf)
                return (
                  <button
                    key={tf}
                    type="button"
                    className="tf-btn"
                    aria-pressed={on}
                    data-testid={`settings-tf-${tf}`}
                    onClick={() => toggleFavourite(tf)}
                  >
                    {tf}
                  </button>
                )
              })}
            </div>
            <small>
              Shown as buttons on the chart (keys 1…9 in this order); the others are in its ⋯ menu.
            </small>
          </div>
        </section>

        <section className="settings-card" aria-labelledby="settings-trading">
          <h2 id="settings-trading">Trading</h2>
          <label className="settings-field">
            <span>Default account</span>
            <select
              data-testid="settings-default-account"
              value={prefs.defaultAccountId ?? ''}
              disabled={accounts === null}
              onChange={(e) => set({ defaultAccountId: e.target.value === '' ? null : e.target.value })}
            >
              <option value="">The one used last</option>
              {prefs.defaultAccountId !== null && !accounts?.some((a) => a.id === prefs.defaultAccountId) && (
                <option value={prefs.defaultAccountId}>{prefs.defaultAccountId} (not found)</option>
              )}
              {accounts?.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
            <small>The account the Trade view opens on.</small>
          </label>
          <div className="settings-field">
            <span>Notifications and sounds</span>
            <small data-testid="settings-notifications">
              Per alert, and whether alerts show as notifications, in the Alerts view (top bar, or Alt+4).
            </small>
          </div>
        </section>

        <section className="settings-card" aria-labelledby="settings-install">
          <h2 id="settings-install">Installation</h2>
          <dl className="kv" data-testid="settings-info">
            <dt>Version</dt>
            <dd className="num" data-testid="settings-version">
              {info ? info.version : '—'}
            </dd>
            <dt>Host</dt>
            <dd>{info ? (info.host === 'desktop' ? 'Desktop app' : 'Headless host (browser)') : '—'}</dd>
            <dt>Data folder</dt>
            <dd className="mono" data-testid="settings-data-dir">
              {info ? (info.dataDir ?? 'Not shown to a browser on another machine') : '—'}
            </dd>
            <dt>Engine started</dt>
            <dd className="num">{info ? `${formatDateTime(info.startedAt, true)} ${zoneLabel()}` : '—'}</dd>
            <dt>Connection</dt>
            <dd>{connection}</dd>
          </dl>
          <p className="settings-credit">
            Charts by{' '}
            <a href="https://www.tradingview.com/lightweight-charts/" target="_blank" rel="noreferrer">
              TradingView Lightweight Charts™
            </a>
            .
          </p>
        </section>

        <section className="settings-card settings-wide" aria-labelledby="settings-keys">
          <h2 id="settings-keys">Keyboard shortcuts</h2>
          <ShortcutList />
        </section>
      </div>
    </section>
  )
}
