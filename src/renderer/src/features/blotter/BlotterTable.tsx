import type { ReactNode } from 'react'
import type { Order } from '../../../../shared/domain/trading'
import { formatPrice } from '../../lib/format'
import { selectSymbol } from '../chart/actions'
import { useTradeStore } from '../chart/store'
import { pricePrecision } from '../ticket/actions'
import {
  formatClock,
  formatQty,
  formatStamp,
  STATUS_HELP,
  STATUS_LABELS,
  trailingDistance,
  TYPE_NAMES,
} from '../desk/format'
import type { LoadState } from '../desk/store'

/** One column of a blotter table: its header and how each row fills its cell. */
export interface Column<T> {
  /** Header content; leave it out for an unlabelled column (row actions). */
  header?: ReactNode
  /** Hover help on the header. */
  headerTitle?: string
  /** `right` puts the `r` class on the header and on every cell. */
  align?: 'right'
  /** Further classes of the cell, after the alignment class. */
  className?: string | ((row: T) => string)
  /** Hover text of the cell. */
  title?: (row: T) => string | undefined
  /** `data-testid` of the cell. */
  testId?: string
  cell: (row: T) => ReactNode
}

/** `data-*` attributes of a row (its `data-testid` among them). */
export type RowData = { [key: `data-${string}`]: string | number | undefined }

interface DataTableProps<T> {
  /** `data-testid` of the table. */
  testId: string
  rows: readonly T[]
  columns: readonly Column<T>[]
  rowKey: (row: T) => string | number
  rowData: (row: T) => RowData
  /** How the list is loading: shown instead of `empty` while there are no rows. */
  state: LoadState
  /** What to say when the list is loaded and empty. */
  empty: ReactNode
  /** Shown above the table, only when there are rows. */
  above?: ReactNode
}

function classes(align: 'right' | undefined, extra: string | undefined): string | undefined {
  const parts = [align === 'right' ? 'r' : '', extra ?? ''].filter((c) => c !== '')
  return parts.length > 0 ? parts.join(' ') : undefined
}

/** A blotter list: the table with its header, or the empty/loading/error line when it has no rows. */
export function DataTable<T>({
  testId,
  rows,
  columns,
  rowKey,
  rowData,
  state,
  empty,
  above,
}: DataTableProps<T>) {
  if (rows.length === 0) return <Empty state={state}>{empty}</Empty>
  return (
    <>
      {above}
      <table className="bl-table" data-testid={testId}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} className={classes(c.align, undefined)} title={c.headerTitle}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowData(row)}>
              {columns.map((c, i) => (
                <td
                  key={i}
                  className={classes(
                    c.align,
                    typeof c.className === 'function' ? c.className(row) : c.className,
                  )}
                  title={c.title?.(row)}
                  data-testid={c.testId}
                >
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

function Empty({ state, children }: { state: LoadState; children: ReactNode }) {
  return (
    <div className="bl-empty">
      {state === 'loading' ? 'Loading…' : state === 'error' ? 'Could not load this list.' : children}
    </div>
  )
}

// ------------------------------------------------------------------ shared cells

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

function Status({ order }: { order: Order }) {
  return (
    <span className={`bl-status bl-status-${order.status}`} title={STATUS_HELP[order.status]}>
      {STATUS_LABELS[order.status]}
    </span>
  )
}

// ------------------------------------------------------------------ shared columns

/** Time of day, with the full stamp on hover. */
export function timeColumn<T>(at: (row: T) => number): Column<T> {
  return {
    header: 'Time',
    className: 'num bl-dim',
    title: (row) => formatStamp(at(row)),
    cell: (row) => formatClock(at(row)),
  }
}

/** A right-aligned number: `className` replaces the default `num`. */
export function numberColumn<T>(
  header: ReactNode,
  cell: (row: T) => ReactNode,
  more: Omit<Column<T>, 'header' | 'cell'> = {},
): Column<T> {
  return { header, align: 'right', className: 'num', cell, ...more }
}

export function symbolColumn<T extends { symbol: string }>(): Column<T> {
  return { header: 'Symbol', cell: (row) => <SymbolCell symbol={row.symbol} /> }
}

export function sideColumn<T extends { side: 'buy' | 'sell' }>(): Column<T> {
  return { header: 'Side', cell: (row) => <Side side={row.side} /> }
}

function orderPrice(o: Order, precision: number): string {
  return o.price !== null ? formatPrice(o.price, precision) : 'Market'
}

/**
 * Where a conditional order fires: its trigger (a trailing stop's current stop, with its distance,
 * or the activation price it waits for), empty for market and limit orders.
 */
function orderTrigger(o: Order, precision: number): string {
  if (o.type === 'trailing_stop') {
    const distance = trailingDistance(o, precision)
    if (o.stopPrice !== null) return `${formatPrice(o.stopPrice, precision)} (${distance})`
    return o.activationPrice !== null
      ? `from ${formatPrice(o.activationPrice, precision)} (${distance})`
      : distance
  }
  return o.stopPrice !== null ? formatPrice(o.stopPrice, precision) : ''
}

/** A bracket leg's role: the stop-loss is the stop, the take-profit the limit. */
function legRole(o: Order): string | null {
  if (o.parentClientOrderId !== null) return o.type === 'limit' ? 'TP' : 'SL'
  return o.ocoGroup !== null ? 'OCO' : null
}

function OrderType({ order: o }: { order: Order }) {
  const role = legRole(o)
  return (
    <span className="bl-type">
      {TYPE_NAMES[o.type]}
      {o.postOnly && (
        <span className="bl-tag" title="Post-only: refused rather than take">
          PO
        </span>
      )}
      {o.reduceOnly && (
        <span className="bl-tag" title="Reduce-only">
          RO
        </span>
      )}
      {role !== null && (
        <span
          className="bl-tag"
          data-testid="order-leg"
          title={
            o.parentClientOrderId !== null
              ? `Bracket leg of ${o.parentClientOrderId}: with the other leg, an OCO once the entry fills`
              : 'One-cancels-the-other: when one leg fills or triggers, the other is canceled'
          }
        >
          {role}
        </span>
      )}
      {o.emulated && (
        <span
          className="bl-tag bl-tag-emulated"
          data-testid="order-emulated"
          title="Held by Candlework, not the exchange: it is stored, watched on the last price (also after a restart) and sent as a market or limit order when it fires. It fires only while Candlework runs."
        >
          emulated
        </span>
      )}
    </span>
  )
}

export const orderColumns = {
  type: {
    header: 'Type',
    cell: (o) => <OrderType order={o} />,
  },
  price: numberColumn('Price', (o) => orderPrice(o, pricePrecision(o.symbol))),
  trigger: numberColumn('Trigger', (o) => orderTrigger(o, pricePrecision(o.symbol)), {
    title: (o) =>
      o.type === 'trailing_stop' && o.waterMark !== null
        ? `Best price so far ${formatPrice(o.waterMark, pricePrecision(o.symbol))}`
        : undefined,
  }),
  average: numberColumn('Avg fill', (o) => formatPrice(o.average, pricePrecision(o.symbol))),
  amount: numberColumn('Amount', (o) => formatQty(o.amount)),
  filled: numberColumn('Filled', (o) => formatQty(o.filled)),
  status: { header: 'Status', cell: (o) => <Status order={o} /> },
} satisfies Record<string, Column<Order>>
