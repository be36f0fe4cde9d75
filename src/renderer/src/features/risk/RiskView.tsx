import { useEffect, useState } from 'react'
import type { AccountRisk, RiskOverview, StateEntry, TradingState } from '../../../../shared/contract/risk'
import { downloadAudit, loadAudit, saveLimits, setTradingState } from './actions'
import { fallbackOf, LIMIT_FIELDS, readLimits, textsOf, type LimitTexts } from './limits-form'
import { PortfolioPanel } from './PortfolioPanel'
import { useRiskStore } from './store'
import './risk.css'

const time = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')

/** The Risk view: trading state per account, the limits (defaults shown), and the audit log. */
export function RiskView() {
  const overview = useRiskStore((s) => s.overview)
  // The log is read again whenever a state changes (a rule halted an account, the kill switch ran).
  const states = overview
    ? [overview.global, ...overview.accounts.map((a) => a.state)]
        .map((s) => `${s.scope}:${s.state}:${s.since}`)
        .join()
    : ''
  useEffect(() => void loadAudit(), [states])
  return (
    <section className="risk" data-testid="risk-view" aria-labelledby="risk-title">
      <header className="risk-head">
        <h1 id="risk-title">Risk</h1>
        <span className="risk-muted">Every order passes these limits after validation; times in UTC.</span>
      </header>
      {overview ? (
        <div className="risk-body">
          <StatesTable overview={overview} />
          <PortfolioPanel />
          <LimitsForm overview={overview} />
          <AuditTable />
        </div>
      ) : (
        <div className="risk-muted">Loading…</div>
      )}
    </section>
  )
}

function StateButtons({ scope, entry }: { scope: string; entry: StateEntry }) {
  return (
    <span className="risk-state-buttons">
      {(['ACTIVE', 'REDUCING', 'HALTED'] as TradingState[]).map((s) => (
        <button
          key={s}
          type="button"
          className="btn btn-small"
          aria-pressed={entry.state === s}
          data-testid={`risk-set-${scope}-${s}`}
          onClick={() => void setTradingState(scope, s)}
        >
          {s}
        </button>
      ))}
    </span>
  )
}

function StatesTable({ overview }: { overview: RiskOverview }) {
  return (
    <div className="risk-section">
      <h2>Trading state</h2>
      <div className="risk-states-scroll">
        <table className="risk-table" data-testid="risk-states">
          <thead>
            <tr>
              <th>Scope</th>
              <th>State</th>
              <th>Why</th>
              <th className="num">Today’s P&L</th>
              <th className="num">Equity</th>
              <th className="num">Peak</th>
              <th className="num">Exposure</th>
              <th className="num">Open orders</th>
              <th>Set</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td>All accounts</td>
              <td>
                <span className={`risk-pill risk-pill-${overview.global.state.toLowerCase()}`}>
                  {overview.global.state}
                </span>
              </td>
              <td>{overview.global.reason}</td>
              <td colSpan={5} />
              <td>
                <StateButtons scope="global" entry={overview.global} />
              </td>
            </tr>
            {overview.accounts.map((a) => (
              <AccountRow key={a.accountId} a={a} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}

function AccountRow({ a }: { a: AccountRisk }) {
  const money = (v: string | null) => (v === null ? '—' : `${Number(v).toFixed(2)} ${a.currency}`)
  return (
    <tr data-testid={`risk-account-${a.accountId}`}>
      <td>{a.accountName}</td>
      <td>
        <span className={`risk-pill risk-pill-${a.effective.state.toLowerCase()}`}>{a.effective.state}</span>
      </td>
      <td>
        {a.effective.reason}
        {a.effective.until !== null && <span className="risk-muted"> (until {time(a.effective.until)})</span>}
      </td>
      <td className={`num ${a.dayPnl !== null && a.dayPnl.startsWith('-') ? 'risk-down' : ''}`}>
        {money(a.dayPnl)}
      </td>
      <td className="num">{money(a.equity)}</td>
      <td className="num">{money(a.peakEquity)}</td>
      <td className="num">{money(a.exposure)}</td>
      <td className="num">{a.openOrders}</td>
      <td>
        <StateButtons scope={a.accountId} entry={a.state} />
      </td>
    </tr>
  )
}

function LimitsForm({ overview }: { overview: RiskOverview }) {
  const [scope, setScope] = useState('global')
  const own =
    scope === 'global'
      ? overview.globalLimits
      : (overview.accounts.find((a) => a.accountId === scope)?.limits ?? {})
  const [texts, setTexts] = useState<LimitTexts>(() => textsOf(own))
  const [error, setError] = useState<string | null>(null)
  const [saved, setSaved] = useState(false)
  const pick = (s: string) => {
    setScope(s)
    const limits =
      s === 'global'
        ? overview.globalLimits
        : (overview.accounts.find((a) => a.accountId === s)?.limits ?? {})
    setTexts(textsOf(limits))
    setError(null)
    setSaved(false)
  }
  const save = async () => {
    const read = readLimits(texts)
    if ('error' in read) {
      setError(read.error)
      return
    }
    const err = await saveLimits(scope, read.limits)
    setError(err)
    setSaved(err === null)
  }
  return (
    <form
      className="risk-section"
      data-testid="risk-limits"
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <h2>
        Limits for{' '}
        <select
          value={scope}
          onChange={(e) => pick(e.target.value)}
          data-testid="risk-limits-scope"
          aria-label="Limits for"
        >
          <option value="global">all accounts (global)</option>
          {overview.accounts.map((a) => (
            <option key={a.accountId} value={a.accountId}>
              {a.accountName}
            </option>
          ))}
        </select>
      </h2>
      <p className="risk-muted">
        Empty fields use {scope === 'global' ? 'the default' : 'the global limit, else the default'}, shown in
        grey.
      </p>
      <div className="risk-limits-grid">
        {LIMIT_FIELDS.map((f) => (
          <label key={f.key} className="risk-limit">
            <span>{f.label}</span>
            {f.kind === 'action' ? (
              <select
                value={texts[f.key]}
                data-testid={`risk-limit-${f.key}`}
                onChange={(e) => setTexts({ ...texts, [f.key]: e.target.value })}
              >
                <option value="">{`default (${fallbackOf(overview, scope, f.key)})`}</option>
                <option value="halt">halt (HALTED)</option>
                <option value="reduce">reduce only (REDUCING)</option>
              </select>
            ) : (
              <input
                value={texts[f.key]}
                placeholder={fallbackOf(overview, scope, f.key)}
                data-testid={`risk-limit-${f.key}`}
                inputMode={f.kind === 'decimal' || f.kind === 'integer' ? 'decimal' : undefined}
                onChange={(e) => setTexts({ ...texts, [f.key]: e.target.value })}
              />
            )}
            <small className="risk-muted">{f.hint}</small>
          </label>
        ))}
      </div>
      <div className="risk-limits-actions">
        <button type="submit" className="btn tk-btn-solid" data-testid="risk-limits-save">
          Save limits
        </button>
        {error && (
          <span className="risk-error" role="alert" data-testid="risk-limits-error">
            {error}
          </span>
        )}
        {saved && !error && <span className="risk-muted">Saved.</span>}
      </div>
    </form>
  )
}

function AuditTable() {
  const audit = useRiskStore((s) => s.audit)
  const accounts = useRiskStore((s) => s.overview?.accounts)
  const name = (id: string | null) =>
    id === null ? 'all' : (accounts?.find((a) => a.accountId === id)?.accountName ?? id)
  return (
    <div className="risk-section">
      <h2>
        Audit log
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void loadAudit()}
          data-testid="risk-audit-refresh"
        >
          Refresh
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={!audit || audit.length === 0}
          onClick={() => audit && downloadAudit(audit)}
        >
          Export CSV
        </button>
      </h2>
      {audit === null ? (
        <div className="risk-muted">Loading…</div>
      ) : audit.length === 0 ? (
        <div className="risk-muted">No decisions yet.</div>
      ) : (
        <div className="risk-audit-scroll">
          <table className="risk-table" data-testid="risk-audit">
            <thead>
              <tr>
                <th>Time</th>
                <th>Account</th>
                <th>What</th>
                <th>Decision</th>
                <th>Rule</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((e) => (
                <tr key={e.id} className={e.decision === 'rejected' ? 'risk-rejected' : undefined}>
                  <td className="risk-nowrap">{time(e.at)}</td>
                  <td>{name(e.accountId)}</td>
                  <td>{e.action}</td>
                  <td>{e.decision}</td>
                  <td>{e.rule ?? ''}</td>
                  <td title={e.request}>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
