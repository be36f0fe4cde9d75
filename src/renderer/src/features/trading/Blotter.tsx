import type { ReactNode } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { Fill, Order, Position, ReconciliationEvent } from '../../../../shared/domain/trading'
import { direction, formatPrice } from '../../lib/format'
import { selectSymbol } from '../trade/actions'
import { symbolKey, useTradeStore } from '../trade/store'
import { cancelOrder, editTicket, openReset, pricePrecision, showTab } from './actions'
import {
  formatClock,
  formatMoney,
  formatQty,
  formatSigned,
  formatStamp,
  STATUS_HELP,
  STATUS_LABELS,
} from './format'
import {
  selectAccount,
  selectHistory,
  selectOpenOrders,
  selectOpenPositions,
  useTradingStore,
  type BlotterTab,
  type LoadState,
} from './store'

const TAB_LABELS: Record<BlotterTab, string> = {
  positions: 'Positions',
  open: 'Open orders',
  history: 'Order history',
  fills: 'Fills',
  balances: 'Balances',
  events: 'Reconciliation',
}

/**
 * The dock under the chart: positions, working orders, history, fills, balances and
 * reconciliation differences of the selected account, kept current from `trading.updates`.
 */
export function Blotter() {
  const tab = useTradingStore((s) => s.tab)
  const account = useTradingStore(selectAccount)
  const counts = useTradingStore(
    useShallow((s) => ({
      positions: selectOpenPositions(s).length,
      open: selectOpenOrders(s).length,
      history: null,
      fills: null,
      balances: null,
      events: s.unseenEvents > 0 ? s.unseenEvents : null,
    })),
  )
  return (
    <section className="blotter" aria-label="Orders and positions" data-testid="blotter">
      <div className="bl-tabs" role="tablist" aria-label="Trading lists">
        {(Object.keys(TAB_LABELS) as BlotterTab[]).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            id={`bl-tab-${t}`}
            aria-selected={tab === t}
            aria-controls="bl-panel"
            className="bl-tab"
            data-testid={`blotter-tab-${t}`}
            onClick={() => showTab(t)}
          >
            {TAB_LABELS[t]}
            {counts[t] !== null && counts[t] > 0 && (
              <span className={`bl-count${t === 'events' ? ' bl-count-warn' : ''}`}>{counts[t]}</span>
            )}
          </button>
        ))}
        <span className="bl-spacer" />
        {account && (
          <span className="bl-account">
            <span className={`badge ${account.venue === 'live' ? 'badge-live' : 'badge-paper'}`}>
              {account.venue === 'live' ? 'LIVE' : 'PAPER'}
            </span>
            {account.name}
          </span>
        )}
        {account?.venue === 'paper' && (
          <button
            type="button"
            className="btn btn-small"
            data-testid="reset-paper"
            title="Cancel every order, forget fills and positions, and restore the starting balance"
            onClick={() => openReset(true)}
          >
            Reset paper…
          </button>
        )}
      </div>
      <div className="bl-body" role="tabpanel" id="bl-panel" aria-labelledby={`bl-tab-${tab}`}>
        {tab === 'positions' && <Positions />}
        {tab === 'open' && <OpenOrders />}
        {tab === 'history' && <History />}
        {tab === 'fills' && <Fills />}
        {tab === 'balances' && <Balances />}
        {tab === 'events' && <Events />}
      </div>
    </section>
  )
}

function Empty({ state, children }: { state: LoadState; children: ReactNode }) {
  return (
    <div className="bl-empty">
      {state === 'loading' ? 'Loading…' : state === 'error' ? 'Could not load this list.' : children}
    </div>
  )
}

const Side = ({ side }: { side: 'buy' | 'sell' }) => (
  <span className={`bl-side ${side === 'buy' ? 'up' : 'down'}`}>{side === 'buy' ? 'Buy' : 'Sell'}</span>
)

/** The symbol as a link: clicking it charts it. */
function SymbolCell({ symbol }: { symbol: string }) {
  const source = useTradeStore((s) => s.selected?.source ?? 'demo')
  return (
    <button
      type="button"
      className="bl-symbol"
      title={`Chart ${symbol}`}
      onClick={() => selectSymbol(source, symbol)}
    >
      {symbol}
    </button>
  )
}

// ------------------------------------------------------------------ positions

function Positions() {
  const positions = useTradingStore(useShallow(selectOpenPositions))
  const state = useTradingStore((s) => s.lists.positions)
  if (positions.length === 0) return <Empty state={state}>No open positions.</Empty>
  return (
    <table className="bl-table" data-testid="positions">
      <thead>
        <tr>
          <th>Symbol</th>
          <th>Side</th>
          <th className="r">Amount</th>
          <th className="r">Avg entry</th>
          <th className="r">Mark</th>
          <th className="r" title="(mark − average entry) × amount over the open lots, at the last price">
            Unrealized P&amp;L
          </th>
          <th className="r" title="Closed P&L net of every fee paid in base or quote">
            Realized P&amp;L
          </th>
          <th className="r">Fees</th>
          <th className="r">Fills</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {positions.map((p) => (
          <PositionRow key={p.symbol} p={p} />
        ))}
      </tbody>
    </table>
  )
}

function PositionRow({ p }: { p: Position }) {
  const paper = useTradingStore((s) => selectAccount(s)?.venue !== 'live')
  // Paper positions are marked at the demo market's last price, which ticks live here too.
  const tick = useTradeStore((s) => (paper ? s.tickers[symbolKey('demo', p.symbol)]?.last : undefined))
  const mark = tick ?? p.mark
  const unrealized =
    mark !== null && p.averageEntry !== null ? (mark - p.averageEntry) * p.amount : p.unrealizedPnl
  const precision = pricePrecision(p.symbol)
  const pct =
    unrealized !== null && p.averageEntry ? (unrealized / Math.abs(p.averageEntry * p.amount)) * 100 : null
  return (
    <tr data-testid="position-row" data-symbol={p.symbol} data-amount={p.amount}>
      <td>
        <SymbolCell symbol={p.symbol} />
      </td>
      <td className={p.side === 'long' ? 'up' : p.side === 'short' ? 'down' : 'flat'}>
        {p.side === 'long' ? 'Long' : p.side === 'short' ? 'Short' : 'Flat'}
      </td>
      <td className="r num" data-testid="position-amount">
        {formatQty(p.amount)} <span className="bl-unit">{p.base}</span>
      </td>
      <td className="r num">{formatPrice(p.averageEntry, precision)}</td>
      <td className="r num">{formatPrice(mark, precision)}</td>
      <td className={`r num ${direction(unrealized)}`} data-testid="position-upnl">
        {formatSigned(unrealized)}
        {pct !== null && <span className="bl-pct"> {formatSigned(pct)}%</span>}
      </td>
      <td className={`r num ${direction(p.realizedPnl)}`} data-testid="position-rpnl">
        {formatSigned(p.realizedPnl)}
      </td>
      <td className="r num bl-dim">
        {formatMoney(p.feesPaid)}
        {p.otherFees.map((f) => (
          <span key={f.currency}>
            {' '}
            + {formatQty(f.cost)} {f.currency}
          </span>
        ))}
      </td>
      <td className="r num bl-dim">{p.fills}</td>
      <td className="r">
        <button
          type="button"
          className="bl-action"
          title="Fill the ticket with the opposite market order for the whole position (it is not sent until you submit)"
          onClick={() => {
            if (useTradeStore.getState().selected?.symbol !== p.symbol) selectSymbol('demo', p.symbol)
            editTicket({
              side: p.amount > 0 ? 'sell' : 'buy',
              type: 'market',
              sizeMode: 'amount',
              size: String(Math.abs(p.amount)),
            })
            document.getElementById('tk-size')?.focus()
          }}
        >
          Close…
        </button>
      </td>
    </tr>
  )
}

// ------------------------------------------------------------------ orders

function OpenOrders() {
  const orders = useTradingStore(useShallow(selectOpenOrders))
  const state = useTradingStore((s) => s.lists.orders)
  const cancelling = useTradingStore((s) => s.cancelling)
  if (orders.length === 0) return <Empty state={state}>No working orders.</Empty>
  return (
    <table className="bl-table" data-testid="open-orders">
      <thead>
        <tr>
          <th>Time</th>
          <th>Symbol</th>
          <th>Side</th>
          <th>Type</th>
          <th className="r">Price</th>
          <th className="r">Amount</th>
          <th className="r">Filled</th>
          <th>Status</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => {
          const precision = pricePrecision(o.symbol)
          const busy = cancelling.includes(o.clientOrderId)
          const canCancel = o.status === 'open' || o.status === 'partially_filled'
          return (
            <tr
              key={o.clientOrderId}
              data-testid="open-order-row"
              data-id={o.clientOrderId}
              data-status={o.status}
            >
              <td className="num bl-dim" title={formatStamp(o.createdAt)}>
                {formatClock(o.createdAt)}
              </td>
              <td>
                <SymbolCell symbol={o.symbol} />
              </td>
              <td>
                <Side side={o.side} />
              </td>
              <td>{orderType(o)}</td>
              <td className="r num">{orderPrice(o, precision)}</td>
              <td className="r num">{formatQty(o.amount)}</td>
              <td className="r num">{formatQty(o.filled)}</td>
              <td>
                <Status order={o} />
              </td>
              <td className="r">
                {canCancel && (
                  <button
                    type="button"
                    className="bl-action bl-cancel"
                    data-testid="cancel-order"
                    disabled={busy}
                    onClick={() => void cancelOrder(o)}
                  >
                    {busy ? 'Cancelling…' : 'Cancel'}
                  </button>
                )}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function History() {
  const orders = useTradingStore(useShallow(selectHistory))
  const state = useTradingStore((s) => s.lists.orders)
  if (orders.length === 0) return <Empty state={state}>No finished orders yet.</Empty>
  return (
    <table className="bl-table" data-testid="order-history">
      <thead>
        <tr>
          <th>Time</th>
          <th>Symbol</th>
          <th>Side</th>
          <th>Type</th>
          <th className="r">Price</th>
          <th className="r">Avg fill</th>
          <th className="r">Amount</th>
          <th className="r">Filled</th>
          <th>Status</th>
          <th>Note</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => {
          const precision = pricePrecision(o.symbol)
          return (
            <tr
              key={o.clientOrderId}
              data-testid="history-row"
              data-id={o.clientOrderId}
              data-status={o.status}
            >
              <td className="num bl-dim" title={formatStamp(o.updatedAt)}>
                {formatClock(o.updatedAt)}
              </td>
              <td>
                <SymbolCell symbol={o.symbol} />
              </td>
              <td>
                <Side side={o.side} />
              </td>
              <td>{orderType(o)}</td>
              <td className="r num">{orderPrice(o, precision)}</td>
              <td className="r num">{formatPrice(o.average, precision)}</td>
              <td className="r num">{formatQty(o.amount)}</td>
              <td className="r num">{formatQty(o.filled)}</td>
              <td>
                <Status order={o} />
              </td>
              <td className="bl-note" title={o.error?.message ?? undefined}>
                {o.error?.message ?? (o.origin === 'external' ? 'Placed outside Candlework' : '')}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function orderType(o: Order): string {
  return o.type === 'market' ? 'Market' : o.type === 'limit' ? 'Limit' : 'Stop'
}

function orderPrice(o: Order, precision: number): string {
  if (o.type === 'limit') return formatPrice(o.price, precision)
  if (o.type === 'stop') return `⤒ ${formatPrice(o.stopPrice, precision)}`
  return 'Market'
}

function Status({ order }: { order: Order }) {
  return (
    <span className={`bl-status bl-status-${order.status}`} title={STATUS_HELP[order.status]}>
      {STATUS_LABELS[order.status]}
    </span>
  )
}

// ------------------------------------------------------------------ fills

function Fills() {
  const fills = useTradingStore((s) => s.fills)
  const state = useTradingStore((s) => s.lists.fills)
  if (fills.length === 0) return <Empty state={state}>No fills yet.</Empty>
  return (
    <table className="bl-table" data-testid="fills">
      <thead>
        <tr>
          <th>Time</th>
          <th>Symbol</th>
          <th>Side</th>
          <th className="r">Price</th>
          <th className="r">Amount</th>
          <th className="r">Cost</th>
          <th className="r">Fee</th>
          <th>Role</th>
        </tr>
      </thead>
      <tbody>
        {fills.map((f) => (
          <FillRow key={`${f.symbol}\u0000${f.tradeId}`} f={f} />
        ))}
      </tbody>
    </table>
  )
}

function FillRow({ f }: { f: Fill }) {
  const precision = pricePrecision(f.symbol)
  const quote = f.symbol.split('/')[1] ?? ''
  return (
    <tr data-testid="fill-row" data-symbol={f.symbol} data-side={f.side} data-amount={f.amount}>
      <td className="num bl-dim" title={formatStamp(f.time)}>
        {formatClock(f.time)}
      </td>
      <td>
        <SymbolCell symbol={f.symbol} />
      </td>
      <td>
        <Side side={f.side} />
      </td>
      <td className="r num">{formatPrice(f.price, precision)}</td>
      <td className="r num" data-testid="fill-amount">
        {formatQty(f.amount)}
      </td>
      <td className="r num">
        {formatMoney(f.cost)} <span className="bl-unit">{quote}</span>
      </td>
      <td className="r num bl-dim">{f.fee ? `${formatQty(f.fee.cost)} ${f.fee.currency}` : '—'}</td>
      <td className="bl-dim">{f.takerOrMaker ?? ''}</td>
    </tr>
  )
}

// ------------------------------------------------------------------ balances

function Balances() {
  const balances = useTradingStore((s) => s.balances)
  const state = useTradingStore((s) => s.lists.balances)
  if (!balances || balances.balances.length === 0) return <Empty state={state}>No balances.</Empty>
  return (
    <>
      {balances.stale && (
        <div className="bl-stale">
          Last snapshot from the exchange at {formatStamp(balances.asOf)}: it may be out of date.
        </div>
      )}
      <table className="bl-table" data-testid="balances">
        <thead>
          <tr>
            <th>Asset</th>
            <th className="r">Free</th>
            <th className="r">In orders</th>
            <th className="r">Total</th>
          </tr>
        </thead>
        <tbody>
          {balances.balances.map((b) => (
            <tr key={b.asset} data-testid="balance-row" data-asset={b.asset}>
              <td className="bl-asset">{b.asset}</td>
              <td className="r num">{formatQty(b.free)}</td>
              <td className="r num bl-dim">{formatQty(b.used)}</td>
              <td className="r num">{formatQty(b.total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

// ------------------------------------------------------------------ reconciliation

const EVENT_LABELS: Record<ReconciliationEvent['kind'], string> = {
  unknown_order: 'Unknown order',
  missed_fill: 'Missed fill',
  state_mismatch: 'State mismatch',
  intent_resolved: 'Resolved',
  intent_not_placed: 'Not placed',
}

function Events() {
  const events = useTradingStore((s) => s.events)
  const state = useTradingStore((s) => s.lists.events)
  if (events.length === 0) {
    return <Empty state={state}>No differences: our orders and fills agree with the venue.</Empty>
  }
  return (
    <table className="bl-table" data-testid="reconciliation">
      <thead>
        <tr>
          <th>Time</th>
          <th>Kind</th>
          <th>Symbol</th>
          <th>What happened</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} data-testid="reconciliation-row">
            <td className="num bl-dim" title={formatStamp(e.time)}>
              {formatClock(e.time)}
            </td>
            <td>
              <span className={`bl-event bl-event-${e.kind}`}>{EVENT_LABELS[e.kind]}</span>
            </td>
            <td>{e.symbol ?? '—'}</td>
            <td className="bl-note-wide">{e.detail}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
