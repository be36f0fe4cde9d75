import { useShallow } from 'zustand/react/shallow'
import type { Order } from '../../../../shared/domain/trading'
import { cancelOrder } from './actions'
import { DataTable, orderColumns, sideColumn, symbolColumn, timeColumn, type Column } from './BlotterTable'
import { formatClock, formatQty } from '../desk/format'
import { selectHistory, selectOpenOrders, useTradingStore, type LostSubmission } from '../desk/store'
import { splitSymbol } from '../ticket/request'

function CancelButton({ order }: { order: Order }) {
  const busy = useTradingStore((s) => s.cancelling.includes(order.clientOrderId))
  return (
    <button
      type="button"
      className="bl-action bl-cancel"
      data-testid="cancel-order"
      disabled={busy}
      onClick={() => void cancelOrder(order)}
    >
      {busy ? 'Cancelling…' : 'Cancel'}
    </button>
  )
}

const OPEN_ORDER_COLUMNS: Column<Order>[] = [
  timeColumn((o) => o.createdAt),
  symbolColumn(),
  sideColumn(),
  orderColumns.type,
  orderColumns.price,
  orderColumns.trigger,
  orderColumns.amount,
  orderColumns.filled,
  orderColumns.status,
  {
    // Unlabelled, so only the cell is right-aligned.
    className: 'r',
    cell: (o) =>
      (o.status === 'open' || o.status === 'partially_filled' || o.status === 'waiting') && (
        <CancelButton order={o} />
      ),
  },
]

const HISTORY_COLUMNS: Column<Order>[] = [
  timeColumn((o) => o.updatedAt),
  symbolColumn(),
  sideColumn(),
  orderColumns.type,
  orderColumns.price,
  orderColumns.trigger,
  orderColumns.average,
  orderColumns.amount,
  orderColumns.filled,
  orderColumns.status,
  {
    header: 'Note',
    className: 'bl-note',
    title: (o) => o.error?.message ?? undefined,
    cell: (o) => o.error?.message ?? (o.origin === 'external' ? 'Placed outside Candlework' : ''),
  },
]

const orderRow = (testId: string) => (o: Order) => ({
  'data-testid': testId,
  'data-id': o.clientOrderId,
  'data-status': o.status,
})

/**
 * Submissions whose answer was lost: they may be orders, so they are listed with the working
 * ones until looked up (submission.ts), never dropped or shown as rejected.
 */
function LostSubmissions({ lost }: { lost: LostSubmission[] }) {
  if (lost.length === 0) return null
  return (
    <ul className="bl-lost" data-testid="lost-submissions">
      {lost.map((l) => {
        const { base, quote } = splitSymbol(l.request.symbol)
        const size =
          l.request.amount !== undefined
            ? `${formatQty(l.request.amount)} ${base}`
            : `${formatQty(l.request.notional)} ${quote} of ${base}`
        return (
          <li
            key={l.clientOrderId}
            data-testid="lost-submission"
            data-id={l.clientOrderId}
            title={`${l.reason} Order id ${l.clientOrderId}.`}
          >
            <span className="bl-lost-status">Outcome unknown — checking</span>
            <span className={l.request.side === 'buy' ? 'up' : 'down'}>
              {l.request.side === 'buy' ? 'Buy' : 'Sell'}
            </span>{' '}
            {size} {l.request.symbol} {l.request.type}
            <span className="bl-lost-why">
              sent {formatClock(l.sentAt)}; the answer was lost, it is looked up by its id once the link is
              back
            </span>
          </li>
        )
      })}
    </ul>
  )
}

/** The Open orders tab. */
export function OpenOrders() {
  const orders = useTradingStore(useShallow(selectOpenOrders))
  const lost = useTradingStore(useShallow((s) => s.lost.filter((l) => l.accountId === s.accountId)))
  const state = useTradingStore((s) => s.lists.orders)
  return (
    <>
      <LostSubmissions lost={lost} />
      <DataTable
        testId="open-orders"
        rows={orders}
        columns={OPEN_ORDER_COLUMNS}
        rowKey={(o) => o.clientOrderId}
        rowData={orderRow('open-order-row')}
        state={state}
        empty={lost.length > 0 ? 'No other working orders.' : 'No working orders.'}
      />
    </>
  )
}

/** The Order history tab. */
export function History() {
  const orders = useTradingStore(useShallow(selectHistory))
  const state = useTradingStore((s) => s.lists.orders)
  return (
    <DataTable
      testId="order-history"
      rows={orders}
      columns={HISTORY_COLUMNS}
      rowKey={(o) => o.clientOrderId}
      rowData={orderRow('history-row')}
      state={state}
      empty="No finished orders yet."
    />
  )
}
