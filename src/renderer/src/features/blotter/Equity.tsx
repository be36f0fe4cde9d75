import { useShallow } from 'zustand/react/shallow'
import { Decimal } from '../../../../shared/decimal/decimal'
import { symbolKey, useTradeStore } from '../chart/store'
import { unrealizedAt } from '../ticket/closing'
import { formatMoney, formatSigned, formatStamp, signOf } from '../desk/format'
import { onDemoMarket } from '../accounts/account-market'
import { selectAccount, selectOpenPositions, useTradingStore } from '../desk/store'

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
  // Exact sums of exact balances; a last price is the chart's double, taken as the decimal it is.
  let equity = Decimal.ZERO
  let priced = true
  let cash = Decimal.ZERO
  let inOrders = Decimal.ZERO
  for (const b of balances.balances) {
    if (b.asset === QUOTE) {
      equity = equity.plus(Decimal.parse(b.total))
      cash = Decimal.parse(b.free)
      inOrders = inOrders.plus(Decimal.parse(b.used))
      continue
    }
    const last = demoMarket ? prices[b.asset] : undefined
    if (last === undefined) priced = false
    else {
      const at = Decimal.fromNumber(last)
      equity = equity.plus(Decimal.parse(b.total).times(at))
      inOrders = inOrders.plus(Decimal.parse(b.used).times(at))
    }
  }
  let upnl = Decimal.ZERO
  for (const p of positions) {
    const tick = demoMarket ? prices[`pos:${p.symbol}`] : undefined
    const mark =
      tick !== undefined ? Decimal.fromNumber(tick) : p.mark !== null ? Decimal.parse(p.mark) : null
    if (mark !== null && p.quote === QUOTE) upnl = upnl.plus(unrealizedAt(p.lots, mark).pnl)
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
        <span className={`num ${signOf(upnl)}`}>{formatSigned(upnl)}</span>
      </div>
      {balances.stale && (
        <div className="tk-stale">Exchange snapshot of {formatStamp(balances.asOf)}: may be stale</div>
      )}
    </div>
  )
}
