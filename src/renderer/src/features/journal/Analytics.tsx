import type { AnalyticsBucket, JournalAnalytics } from '../../../../shared/contract/journal'
import { Decimal } from '../../../../shared/decimal/decimal'
import { formatPercent } from '../../lib/format'
import { EquityChart } from './EquityChart'
import { holding, money, plain, pnl, pnlClass, ratioPct, rText, timeZone } from './format'
import { useJournalStore } from './store'

/** The figures of the filtered trades: KPIs, equity and drawdown, breakdowns, daily P&L, returns. */
export function Analytics() {
  const a = useJournalStore((s) => s.analytics)
  const error = useJournalStore((s) => s.analyticsError)
  if (error) return <p className="down jr-pad">Could not compute the analytics: {error}</p>
  if (!a) return <p className="jr-dim jr-pad">Computing…</p>
  const q = a.quote ?? ''
  return (
    <div className="jr-analytics" data-testid="journal-analytics" data-net={a.netPnl} data-quote={q}>
      {a.otherQuoteTrades > 0 && (
        <p className="jr-note">
          Figures in {q}; {a.otherQuoteTrades} closed trade{a.otherQuoteTrades === 1 ? '' : 's'} in other
          quote currencies are left out (amounts of different currencies are never added).
        </p>
      )}
      <Kpis a={a} />
      <div className="jr-card jr-wide">
        <h3>
          Equity and drawdown <span className="jr-dim">({q}, by exit)</span>
        </h3>
        <EquityChart a={a} />
      </div>
      <div className="jr-card jr-wide">
        <h3>
          Daily P&L <span className="jr-dim">(days, weekdays and hours in {timeZone()})</span>
        </h3>
        <Calendar a={a} />
      </div>
      <div className="jr-grid">
        <Breakdown title="By symbol" rows={a.bySymbol} quote={q} />
        <Breakdown title="By tag" rows={a.byTag} quote={q} />
        <Breakdown title="By side" rows={a.bySide} quote={q} />
        <Breakdown title="By strategy" rows={a.byStrategy} quote={q} />
        <Breakdown title="By weekday (exit)" rows={a.byWeekday} quote={q} />
        <Breakdown title="By hour (entry)" rows={a.byHour} quote={q} />
        <Breakdown title="By holding time" rows={a.byHolding} quote={q} />
        <Returns a={a} />
      </div>
    </div>
  )
}

function Kpi({
  label,
  value,
  cls,
  testId,
  title,
}: {
  label: string
  value: string
  cls?: string
  testId?: string
  title?: string
}) {
  return (
    <div className="jr-kpi" title={title}>
      <span className="jr-kpi-label">{label}</span>
      <strong className={`num ${cls ?? ''}`} data-testid={testId}>
        {value}
      </strong>
    </div>
  )
}

function Kpis({ a }: { a: JournalAnalytics }) {
  const q = a.quote ?? ''
  return (
    <div className="jr-kpis" data-testid="journal-kpis">
      <Kpi
        label={`Net P&L (${q})`}
        value={pnl(q, a.netPnl)}
        cls={pnlClass(q, a.netPnl)}
        testId="journal-kpi-net"
        title={a.netPnl}
      />
      <Kpi
        label="Win rate"
        value={ratioPct(a.winRate)}
        title={`${a.wins} wins, ${a.losses} losses, ${a.breakeven} breakeven`}
      />
      <Kpi label="Profit factor" value={plain(a.profitFactor)} />
      <Kpi
        label="Expectancy"
        value={pnl(q, a.expectancy)}
        cls={pnlClass(q, a.expectancy)}
        title="Net P&L per closed trade"
      />
      <Kpi label="Expectancy R" value={rText(a.expectancyR)} />
      <Kpi label="Avg win / loss" value={`${pnl(q, a.avgWin)} / ${pnl(q, a.avgLoss)}`} />
      <Kpi label="Payoff ratio" value={plain(a.payoffRatio)} />
      <Kpi label="Largest win / loss" value={`${pnl(q, a.largestWin)} / ${pnl(q, a.largestLoss)}`} />
      <Kpi label="Max drawdown" value={pnl(q, a.maxDrawdown)} cls={pnlClass(q, a.maxDrawdown)} />
      <Kpi label="Streaks W / L" value={`${a.maxConsecutiveWins} / ${a.maxConsecutiveLosses}`} />
      <Kpi label="Avg hold" value={holding(a.avgHoldingMs)} />
      <Kpi
        label="Trades"
        value={`${a.closedTrades.toLocaleString('en-US')} closed${a.openTrades ? `, ${a.openTrades.toLocaleString('en-US')} open` : ''}`}
        testId="journal-kpi-trades"
      />
      <Kpi label="Fees" value={money(q, a.fees)} />
    </div>
  )
}

/** One breakdown: a row per bucket, a bar for its net P&L against the largest in the list. */
function Breakdown({ title, rows, quote }: { title: string; rows: AnalyticsBucket[]; quote: string }) {
  const max = Math.max(1e-12, ...rows.map((r) => Math.abs(Number(r.netPnl))))
  return (
    <div className="jr-card">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="jr-dim">—</p>
      ) : (
        <table className="jr-buckets">
          <tbody>
            {rows.map((r) => {
              const v = Number(r.netPnl)
              const w = `${(Math.abs(v) / max) * 50}%`
              return (
                <tr key={r.key}>
                  <td className="jr-bkey">{r.key}</td>
                  <td className="num jr-dim r">{r.count}</td>
                  <td className="num jr-dim r">{ratioPct(r.winRate)}</td>
                  <td className="jr-bar-cell">
                    <span
                      className={`jr-bar ${v >= 0 ? 'jr-bar-up' : 'jr-bar-down'}`}
                      style={v >= 0 ? { left: '50%', width: w } : { right: '50%', width: w }}
                    />
                  </td>
                  <td className={`num r ${pnlClass(quote, r.netPnl)}`}>{pnl(quote, r.netPnl)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </div>
  )
}

const DAY = 86_400_000

/** A calendar heatmap: a column per week (Monday first), a cell per day, green to red by net P&L. */
function Calendar({ a }: { a: JournalAnalytics }) {
  if (a.daily.length === 0) return <p className="jr-dim">No closed trades yet.</p>
  const q = a.quote ?? ''
  const byDay = new Map(a.daily.map((d) => [d.day, d]))
  const dayMs = (s: string) =>
    Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10)))
  const first = dayMs(a.daily[0]!.day)
  const last = dayMs(a.daily.at(-1)!.day)
  // Back to the Monday of the first week; at most a year of weeks is drawn (the latest).
  const start = Math.max(
    first - ((new Date(first).getUTCDay() + 6) % 7) * DAY,
    last - 52 * 7 * DAY - ((new Date(last).getUTCDay() + 6) % 7) * DAY,
  )
  const max = Math.max(1e-12, ...a.daily.map((d) => Math.abs(Number(d.netPnl))))
  const cells = []
  for (let t = start; t <= last; t += DAY) {
    const key = new Date(t).toISOString().slice(0, 10)
    const d = byDay.get(key)
    const v = d ? Number(d.netPnl) : 0
    const alpha = d ? 0.25 + 0.75 * Math.min(1, Math.abs(v) / max) : 0
    const color = !d
      ? undefined
      : v > 0
        ? `rgba(38, 166, 154, ${alpha})`
        : v < 0
          ? `rgba(239, 83, 80, ${alpha})`
          : 'var(--border-strong)'
    cells.push(
      <span
        key={key}
        className={`jr-day${d ? ' jr-day-on' : ''}`}
        style={{ background: color, gridRow: ((new Date(t).getUTCDay() + 6) % 7) + 1 }}
        title={d ? `${key}: ${pnl(q, d.netPnl)} ${q} over ${d.count} trade${d.count === 1 ? '' : 's'}` : key}
        data-testid={d ? 'journal-day' : undefined}
        data-day={d ? key : undefined}
      />,
    )
  }
  const best = a.daily.reduce((b, d) => (Decimal.parse(d.netPnl).gt(Decimal.parse(b.netPnl)) ? d : b))
  const worst = a.daily.reduce((b, d) => (Decimal.parse(d.netPnl).lt(Decimal.parse(b.netPnl)) ? d : b))
  const green = a.daily.filter((d) => Decimal.parse(d.netPnl).isPositive()).length
  return (
    <div className="jr-calendar-wrap">
      <div className="jr-weekdays">
        {['Mon', '', 'Wed', '', 'Fri', '', 'Sun'].map((d, i) => (
          <span key={i}>{d}</span>
        ))}
      </div>
      <div className="jr-calendar" data-testid="journal-calendar">
        {cells}
      </div>
      <p className="jr-dim jr-cal-note">
        {a.daily.length} trading day{a.daily.length === 1 ? '' : 's'}, {green} green · best {best.day}{' '}
        <span className={pnlClass(q, best.netPnl)}>{pnl(q, best.netPnl)}</span> · worst {worst.day}{' '}
        <span className={pnlClass(q, worst.netPnl)}>{pnl(q, worst.netPnl)}</span> {q}
      </p>
    </div>
  )
}

/** Trade returns (%) in equal bins; bins left of zero red, right of it green. */
function Returns({ a }: { a: JournalAnalytics }) {
  const max = Math.max(1, ...a.returns.map((b) => b.count))
  return (
    <div className="jr-card">
      <h3>Returns per trade</h3>
      {a.returns.length === 0 ? (
        <p className="jr-dim">—</p>
      ) : (
        <>
          <div className="jr-hist" data-testid="journal-returns">
            {a.returns.map((b, i) => (
              <span
                key={i}
                className={`jr-hbar ${(b.from + b.to) / 2 >= 0 ? 'jr-bar-up' : 'jr-bar-down'}`}
                style={{ height: `${(b.count / max) * 100}%` }}
                title={`${formatPercent(b.from)} to ${formatPercent(b.to)}: ${b.count} trade${b.count === 1 ? '' : 's'}`}
              />
            ))}
          </div>
          <div className="jr-hist-axis jr-dim num">
            <span>{formatPercent(a.returns[0]!.from)}</span>
            <span>{formatPercent(a.returns.at(-1)!.to)}</span>
          </div>
        </>
      )}
    </div>
  )
}
