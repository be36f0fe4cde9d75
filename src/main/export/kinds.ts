import type { Db } from '../storage/database'
import { ALERT_COLUMNS } from './alert-columns'
import { alertHistorySource } from './alert-source'
import { rowWriter, type Column, type ColumnKind, type RowWriter } from './columns'
import { FILL_COLUMNS } from './fill-columns'
import { journalTradesSource } from './journal-source'
import { ORDER_COLUMNS } from './order-columns'
import { timeOrderedSource, type ExportFilter, type LineSource } from './sources'
import { TRADE_COLUMNS } from './trade-columns'

/** What docs and the CLI's messages say about a column. */
export interface ColumnInfo {
  name: string
  kind: ColumnKind
  default: boolean
  description: string
}

/** An export ready to write: its header and its lines, read as they are written. */
export interface OpenExport {
  headers: string[]
  total: number
  /** CSV lines without their line ending, a page at a time; `return()` closes the query early. */
  lines: Iterator<readonly string[]>
}

/**
 * What can be exported: each kind's columns and its row source. Alert history and backtest
 * trades join this list as their domains land, each with its columns and source;
 * the writer (write-csv.ts) is the same for all.
 */
export interface ExportKind {
  /** What the time filter (--from/--to) applies to. */
  timeColumn: string
  columns: readonly ColumnInfo[]
  /** The header the chosen columns give; throws ExportError for an unknown or repeated name. */
  headers(names: readonly string[] | undefined, localTime?: (ms: number) => string): string[]
  open(
    db: Db,
    filter: ExportFilter,
    names: readonly string[] | undefined,
    localTime?: (ms: number) => string,
  ): OpenExport
}

export function defineExportKind(
  name: string,
  timeColumn: string,
  columns: readonly Column[],
  source: (db: Db, writer: RowWriter, filter: ExportFilter) => LineSource,
): ExportKind {
  return {
    timeColumn,
    columns: columns.map(({ name, kind, default: d, description }) => ({
      name,
      kind,
      default: d,
      description,
    })),
    headers: (names, localTime) => rowWriter(name, columns, names, localTime).headers,
    open(db, filter, names, localTime) {
      const writer = rowWriter(name, columns, names, localTime)
      const { total, lines } = source(db, writer, filter)
      return { headers: writer.headers, total, lines }
    },
  }
}

export const EXPORT_KINDS: Readonly<Record<'trades' | 'fills' | 'orders' | 'alerts', ExportKind>> = {
  trades: defineExportKind('trades', 'entry_time', TRADE_COLUMNS, journalTradesSource),
  fills: defineExportKind('fills', 'time', FILL_COLUMNS, (db, s, f) =>
    timeOrderedSource(db, 'trading_fills', 'time', 'rowid', s, f),
  ),
  orders: defineExportKind('orders', 'created_at', ORDER_COLUMNS, (db, s, f) =>
    timeOrderedSource(db, 'trading_orders', 'created_at', 'client_order_id', s, f),
  ),
  alerts: defineExportKind('alerts', 'time', ALERT_COLUMNS, alertHistorySource),
}
export type ExportKindName = keyof typeof EXPORT_KINDS
