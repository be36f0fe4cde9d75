import { formatPercent, formatPrice } from '../../lib/format'
import { openChartOf } from '../alerts/live'
import { rank, moverKey, MOVER_TIMEFRAME, type Mover } from './movers'
import { Sparkline } from './Sparkline'
import { useDashboardStore } from './store'

/** Top gainers and losers over 24 h, each with the last 24 hourly closes; a click opens its chart. */
export function Movers({ movers }: { movers: Mover[] | null }) {
  if (movers === null) return <p className="db-empty">Reading symbols…</p>
  const { gainers, losers } = rank(movers)
  if (gainers.length + losers.length === 0) return <p className="db-empty">No 24 h changes yet.</p>
  return (
    <div className="db-movers">
      <MoverList title="Gainers" movers={gainers} testId="dashboard-gainers" />
      <MoverList title="Losers" movers={losers} testId="dashboard-losers" />
    </div>
  )
}

function MoverList({ title, movers, testId }: { title: string; movers: Mover[]; testId: string }) {
  const bars = useDashboardStore((s) => s.bars)
  const largest = Math.max(...movers.map((m) => Math.abs(m.change24h ?? 0))) || 1
  return (
    <div data-testid={testId}>
      <h3 className="db-sub">{title}</h3>
      {movers.length === 0 && <p className="db-empty">None.</p>}
      <ul className="db-list">
        {movers.map((m) => (
          <li key={moverKey(m)}>
            <button
              type="button"
              className="db-mover"
              data-testid="dashboard-mover"
              data-symbol={m.symbol}
              title={`Open ${m.symbol} on the Trade view`}
              onClick={() => openChartOf({ source: m.source, symbol: m.symbol, timeframe: MOVER_TIMEFRAME })}
            >
              <span className="db-mover-symbol">{m.symbol}</span>
              <Sparkline values={bars[moverKey(m)]?.spark ?? []} />
              <span className="num db-mover-last">{formatPrice(m.last, m.pricePrecision)}</span>
              <span className={`num db-mover-change ${(m.change24h ?? 0) >= 0 ? 'up' : 'down'}`}>
                <span
                  className="db-changebar"
                  style={{ width: `${Math.round((Math.abs(m.change24h ?? 0) / largest) * 100)}%` }}
                />
                {formatPercent(m.change24h)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}

/** Symbols whose last closed hourly bar moved or traded unusually for them, the reason in words. */
export function UnusualMoves({ movers }: { movers: Mover[] | null }) {
  const bars = useDashboardStore((s) => s.bars)
  const judged = (movers ?? []).filter((m) => bars[moverKey(m)])
  const flagged = judged.flatMap((m) => bars[moverKey(m)]!.flags.map((f) => ({ m, f })))
  return (
    <div data-testid="dashboard-unusual">
      {flagged.length === 0 ? (
        <p className="db-empty">
          {judged.length === 0
            ? 'Reading hourly bars…'
            : `Nothing unusual in the last closed 1h bar of ${judged.length} symbol${judged.length === 1 ? '' : 's'}.`}
        </p>
      ) : (
        <ul className="db-list db-unusual-list">
          {flagged.map(({ m, f }) => (
            <li key={`${moverKey(m)}:${f.measure}`} data-testid="dashboard-unusual-move">
              <span className={`db-zbadge ${f.z < 0 ? 'down' : 'up'}`} title="Robust z-score">
                {f.z > 0 ? '+' : '−'}
                {Math.abs(f.z).toFixed(1)}σ
              </span>
              <span>
                <strong>{m.symbol}</strong> {f.reason}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="db-method">
        Robust z-score: distance from the symbol’s median in median absolute deviations × 1.4826, over up to
        500 hourly bars before; flagged from 3.5.
      </p>
    </div>
  )
}
