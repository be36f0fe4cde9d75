import { formatPrice } from '../../lib/format'
import { formatQty, formatSigned, signOf } from '../desk/format'
import type { OpenPosition } from './store'

/**
 * Open positions of every trading account with their unrealized P&L at the engine's mark, each
 * with a bar as long as its share of the largest P&L shown (green gain, red loss).
 */
export function Positions({ positions }: { positions: OpenPosition[] | null }) {
  if (positions === null) return <p className="db-empty">Reading positions…</p>
  if (positions.length === 0) return <p className="db-empty">No open positions.</p>
  const size = (p: OpenPosition) => Math.abs(Number(p.position.unrealizedPnl ?? 0))
  const largest = Math.max(...positions.map(size)) || 1
  return (
    <table className="db-table" data-testid="dashboard-positions">
      <thead>
        <tr>
          <th>Symbol</th>
          <th>Side</th>
          <th className="r">Amount</th>
          <th className="r">Entry</th>
          <th className="r">Mark</th>
          <th className="r" title="(mark − average entry) × amount over the open lots">
            Unrealized
          </th>
        </tr>
      </thead>
      <tbody>
        {positions.map(({ accountName, position: p }) => (
          <tr key={`${p.accountId}:${p.symbol}`} data-testid="dashboard-position" data-symbol={p.symbol}>
            <td>
              <strong>{p.symbol}</strong>
              <span className="db-dim db-account"> {accountName}</span>
            </td>
            <td className={p.side === 'long' ? 'up' : 'down'}>{p.side === 'long' ? 'Long' : 'Short'}</td>
            <td className="r num" title={`${p.amount} ${p.base}`}>
              {formatQty(p.amount)}
            </td>
            <td className="r num">{formatPrice(p.averageEntry, 2)}</td>
            <td className="r num">{formatPrice(p.mark, 2)}</td>
            <td className={`r num ${signOf(p.unrealizedPnl)}`} title={p.unrealizedPnl ?? 'no mark'}>
              <span className="db-pnlbar" aria-hidden="true">
                <span
                  className={signOf(p.unrealizedPnl)}
                  style={{ width: `${Math.round((size({ accountName, position: p }) / largest) * 100)}%` }}
                />
              </span>
              {formatSigned(p.unrealizedPnl)} <span className="db-unit">{p.quote}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
