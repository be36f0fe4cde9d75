import { useEffect } from 'react'
import { pnl } from '../journal/format'
import { goToView } from '../shell/nav-port'
import { LatestAlerts, LatestSignals, HealthBrief } from './Activity'
import { watchDashboard } from './actions'
import './dashboard.css'
import { EquityMini } from './EquityMini'
import { Kpis } from './Kpis'
import { Movers, UnusualMoves } from './Market'
import { Positions } from './Positions'
import { useDashboardStore } from './store'

/**
 * The first view: the trader's results (today, this week, all time, the equity curve), what is
 * open, what the market is doing (movers, unusual moves, signals), the latest alerts and the
 * engine's health. The Trade view is one click (its button here, the nav) or Alt+2 away.
 */
export function DashboardView() {
  useEffect(() => watchDashboard(), [])
  const summary = useDashboardStore((s) => s.summary)
  const summaryError = useDashboardStore((s) => s.summaryError)
  const positions = useDashboardStore((s) => s.positions)
  const movers = useDashboardStore((s) => s.movers)
  const health = useDashboardStore((s) => s.health)
  return (
    <section className="db" data-testid="dashboard-view" aria-labelledby="dashboard-title">
      <header className="db-head">
        <h1 id="dashboard-title">Dashboard</h1>
        <p className="db-dim">
          {summary?.quote
            ? `Closed trades in ${summary.quote}, every account; days and weeks in your time zone.`
            : ''}
        </p>
        <button
          type="button"
          className="db-trade"
          data-testid="dashboard-trade"
          onClick={() => goToView('trade')}
        >
          Trade <kbd>Alt+2</kbd>
        </button>
      </header>
      {summaryError && <p className="db-error">Could not read the journal: {summaryError}</p>}
      {summary ? <Kpis summary={summary} /> : <p className="db-empty">Reading the journal…</p>}
      <div className="db-grid">
        <section className="db-card db-span2" aria-label="Equity curve">
          <h2 className="db-card-title">
            Equity{' '}
            <span className="db-dim">
              cumulative net P&amp;L
              {/* Before the first closed trade there is no currency and nothing to draw down. */}
              {summary?.quote ? ` · max drawdown ${pnl(summary.quote, summary.maxDrawdown)}` : ''}
            </span>
          </h2>
          {summary && <EquityMini summary={summary} />}
        </section>
        <section className="db-card" aria-label="Open positions">
          <h2 className="db-card-title">Open positions</h2>
          <Positions positions={positions} />
        </section>
        <section className="db-card" aria-label="Top movers over 24 hours">
          <h2 className="db-card-title">
            Movers <span className="db-dim">24 h</span>
          </h2>
          <Movers movers={movers} />
        </section>
        <section className="db-card" aria-label="Unusual market moves">
          <h2 className="db-card-title">Unusual moves</h2>
          <UnusualMoves movers={movers} />
        </section>
        <section className="db-card" aria-label="Latest signals">
          <h2 className="db-card-title">Signals</h2>
          <LatestSignals movers={movers} />
        </section>
        <section className="db-card db-span2" aria-label="Latest alerts">
          <h2 className="db-card-title">Latest alerts</h2>
          <LatestAlerts />
        </section>
        <section className="db-card" aria-label="Health">
          <h2 className="db-card-title">Health</h2>
          <HealthBrief health={health} />
        </section>
      </div>
    </section>
  )
}
