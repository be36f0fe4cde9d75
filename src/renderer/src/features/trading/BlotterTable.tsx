import type { ReactNode } from 'react'
import type { Order } from '../../../../shared/domain/trading'
import { formatPrice } from '../../lib/format'
import { selectSymbol } from '../trade/actions'
import { useTradeStore } from '../trade/store'
import { pricePrecision } from './actions'
import { formatClock, formatQty, formatStamp, STATUS_HELP, STATUS_LABELS } from './format'
import type { LoadState } from './store'

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
  if (o.type === 'limit') return formatPrice(o.price, precision)
  if (o.type === 'stop') return `⤒ ${formatPrice(o.stopPrice, precision)}`
  return 'Market'
}

export const orderColumns = {
  type: {
    header: 'Type',
    cell: (o) => (o.type === 'market' ? 'Market' : o.type === 'limit' ? 'Limit' : 'Stop'),
  },
  price: numberColumn('Price', (o) => orderPrice(o, pricePrecision(o.symbol))),
  average: numberColumn('Avg fill', (o) => formatPrice(o.average, pricePrecision(o.symbol))),
  amount: numberColumn('Amount', (o) => formatQty(o.amount)),
  filled: numberColumn('Filled', (o) => formatQty(o.filled)),
  status: { header: 'Status', cell: (o) => <Status order={o} /> },
} satisfies Record<string, Column<Order>>
