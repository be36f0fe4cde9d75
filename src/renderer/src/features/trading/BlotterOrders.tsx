import { useShallow } from 'zustand/react/shallow'
import type { Order } from '../../../../shared/domain/trading'
import { cancelOrder } from './actions'
import { DataTable, orderColumns, sideColumn, symbolColumn, timeColumn, type Column } from './BlotterTable'
import { selectHistory, selectOpenOrders, useTradingStore } from './store'

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

/** The Open orders tab. */
export function OpenOrders() {
  const orders = useTradingStore(useShallow(selectOpenOrders))
  const state = useTradingStore((s) => s.lists.orders)
  return (
    <DataTable
      testId="open-orders"
      rows={orders}
      columns={OPEN_ORDER_COLUMNS}
      rowKey={(o) => o.clientOrderId}
      rowData={orderRow('open-order-row')}
      state={state}
      empty="No working orders."
    />
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
