import { useShallow } from 'zustand/react/shallow'
import { symbolKey, useTradeStore } from '../trade/store'
import { formatMoney, formatSigned, formatStamp } from './format'
import { onDemoMarket } from './account-market'
import { selectAccount, selectOpenPositions, useTradingStore } from './store'

const QUOTE = 'USDT'

/**
 * The account at a glance under the ticket: estimated equity in USDT (for an account on the demo
 * market, every balance valued at its last price; never at the demo's for any other), cash, and
 * the open positions' unrealized P&L at those prices (else the engine's marks).
 */
export function Equity() {
  // Only the demo market's prices are here; other accounts are valued at the engine's marks.
  const demoMarket = useTradingStore((s) => onDemoMarket(selectAccount(s)))
  const balances = useTradingStore((s) => s.balances)
  const positions = useTradingStore(useShallow(selectOpenPositions))
  const prices = useTradeStore(
    useShallow((s) => {
      const out: Record<string, number | undefined> = {}
      for (const b of balances?.balances ?? []) {
        if (b.asset !== QUOTE) out[b.asset] = s.tickers[symbolKey('demo', `${b.asset}/${QUOTE}`)]?.last
      }
      for (const p of positions) out[`pos:${p.symbol}`] = s.tickers[symbolKey('demo', p.symbol)]?.last
      return out
    }),
  )
  if (!balances) return null
  let equity = 0
  let priced = true
  let cash = 0
  let inOrders = 0
  for (const b of balances.balances) {
    if (b.asset === QUOTE) {
      equity += b.total
      cash = b.free
      inOrders += b.used
      continue
    }
    const last = demoMarket ? prices[b.asset] : undefined
    if (last === undefined) priced = false
    else {
      equity += b.total * last
      inOrders += b.used * last
    }
  }
  let upnl = 0
  for (const p of positions) {
    const mark = (demoMarket ? prices[`pos:${p.symbol}`] : undefined) ?? p.mark
    if (mark !== null && p.averageEntry !== null && p.quote === QUOTE)
      upnl += (mark - p.averageEntry) * p.amount
  }
  return (
    <div className="tk-equity" data-testid="equity">
      <div className="tk-equity-row">
        <span className="tk-muted" title="Every balance valued at the last price of its USDT market">
          Est. equity
        </span>
        <span className="num tk-equity-value">
          {priced ? formatMoney(equity) : '—'} <span className="tk-muted">{QUOTE}</span>
        </span>
      </div>
      <div className="tk-equity-row">
        <span className="tk-muted">Free {QUOTE}</span>
        <span className="num">{formatMoney(cash)}</span>
      </div>
      <div className="tk-equity-row">
        <span className="tk-muted">In orders</span>
        <span className="num">{formatMoney(inOrders)}</span>
      </div>
      <div className="tk-equity-row">
        <span className="tk-muted" title="Open positions at the last price">
          Unrealized P&amp;L
        </span>
        <span className={`num ${upnl > 0 ? 'up' : upnl < 0 ? 'down' : 'flat'}`}>{formatSigned(upnl)}</span>
      </div>
      {balances.stale && (
        <div className="tk-stale">Exchange snapshot of {formatStamp(balances.asOf)}: may be stale</div>
      )}
    </div>
  )
}
