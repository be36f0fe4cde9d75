import type { JournalKpis, JournalSummary } from '../../../../shared/contract/journal'
import { pnl, pnlClass, plain, ratioPct } from '../journal/format'

const PERIODS = [
  { id: 'today', label: 'Today' },
  { id: 'week', label: 'This week' },
  { id: 'all', label: 'All time' },
] as const

/** Net P&L, win rate (a bar of wins against losses), trades, profit factor and expectancy per period. */
export function Kpis({ summary }: { summary: JournalSummary }) {
  const quote = summary.quote ?? ''
  return (
    <div className="db-kpis">
      {PERIODS.map((p) => (
        <Kpi key={p.id} id={p.id} label={p.label} k={summary[p.id]} quote={quote} />
      ))}
    </div>
  )
}

function Kpi({ id, label, k, quote }: { id: string; label: string; k: JournalKpis; quote: string }) {
  const decided = k.wins + k.losses
  return (
    <section className="db-card db-kpi" data-testid={`kpi-${id}`} aria-label={`${label}: closed trades`}>
      <h2 className="db-card-title">{label}</h2>
      <p
        className={`db-kpi-net num ${pnlClass(quote, k.netPnl)}`}
        data-testid="kpi-net"
        title={`${k.netPnl} ${quote}`}
      >
        {k.closedTrades === 0 ? '—' : pnl(quote, k.netPnl)} <span className="db-unit">{quote}</span>
      </p>
      <div
        className="db-winbar"
        role="img"
        aria-label={decided === 0 ? 'No wins or losses' : `${k.wins} wins, ${k.losses} losses`}
        title={`${k.wins} wins, ${k.losses} losses${k.closedTrades > decided ? `, ${k.closedTrades - decided} breakeven` : ''}`}
      >
        {decided > 0 && (
          <>
            <span className="db-winbar-win" style={{ flexGrow: k.wins }} />
            <span className="db-winbar-loss" style={{ flexGrow: k.losses }} />
          </>
        )}
      </div>
      <dl className="db-kpi-figures">
        <div>
          <dt>Win rate</dt>
          <dd className="num" data-testid="kpi-winrate">
            {ratioPct(k.winRate)}
          </dd>
        </div>
        <div>
          <dt>Trades</dt>
          <dd className="num" data-testid="kpi-trades">
            {k.closedTrades}
          </dd>
        </div>
        <div>
          <dt title="Sum of wins / |sum of losses|">Profit factor</dt>
          <dd className="num" data-testid="kpi-pf">
            {plain(k.profitFactor)}
          </dd>
        </div>
        <div>
          <dt title="Net P&L per closed trade (and mean R where trades have one)">Expectancy</dt>
          <dd className={`num ${pnlClass(quote, k.expectancy)}`} data-testid="kpi-expectancy">
            {pnl(quote, k.expectancy)}
            {k.expectancyR !== null && <span className="db-dim"> · {plain(k.expectancyR)}R</span>}
          </dd>
        </div>
      </dl>
    </section>
  )
}
