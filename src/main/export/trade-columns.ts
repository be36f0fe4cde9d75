import type { JournalTrade } from '../../shared/contract/journal'
import type { StoredTrade } from '../journal/trade'
import type { CellValue, Column, ColumnKind } from './columns'
import { plainNumber } from './plain-number'
import { formatTags } from './tags-text'

/** One journal trade as `export trades` reads it (journal-source.ts). */
export interface TradeExportRow {
  /** The trade as the journal shows it: stored facts, the trader's edits, R. */
  trade: JournalTrade
  stored: StoredTrade
  /** The trade's fills as recorded (before any split or base-fee netting), as JSON; read only when asked. */
  fills: () => string
}

type Getter = (r: TradeExportRow) => CellValue

const num = (n: number | null | undefined): string | null =>
  n === null || n === undefined ? null : plainNumber(n)

/**
 * The columns of `export trades`, in their default order (docs/CSV.md lists them), each with
 * what it reads from a journal trade. Unlike fills and orders, trades are read in JavaScript
 * (journal-source.ts), so a column's `sql` is only its name, the key of its getter.
 */
const SPEC: readonly [
  name: string,
  kind: ColumnKind,
  isDefault: boolean,
  description: string,
  get: Getter,
][] = [
  ['entry_time', 'time', true, 'time of the first entry fill', (r) => r.trade.entryTime],
  [
    'exit_time',
    'time',
    true,
    'time of the fill that made the position flat; empty while open',
    (r) => r.trade.exitTime,
  ],
  ['account', 'text', true, "the account's name", (r) => r.trade.accountName],
  ['symbol', 'text', true, 'market, BASE/QUOTE', (r) => r.trade.symbol],
  ['side', 'text', true, 'long or short', (r) => r.trade.side],
  ['status', 'text', true, 'open or closed', (r) => r.trade.status],
  ['size', 'decimal', true, 'base quantity entered (net of base-currency fees)', (r) => r.trade.size],
  ['avg_entry', 'decimal', true, 'average entry price', (r) => r.trade.avgEntry],
  ['avg_exit', 'decimal', true, 'average exit price', (r) => r.trade.avgExit],
  ['gross_pnl', 'decimal', true, 'realized P&L before fees, in quote', (r) => r.trade.grossPnl],
  ['fees', 'decimal', true, 'fees in quote (base-currency fees at their fill price)', (r) => r.trade.fees],
  ['net_pnl', 'decimal', true, 'gross P&L minus fees, in quote', (r) => r.trade.netPnl],
  ['quote', 'text', true, 'the currency of every money figure', (r) => r.trade.quote],
  ['return_pct', 'decimal', true, 'net P&L over the entered value, %', (r) => num(r.trade.returnPct)],
  ['holding_ms', 'integer', true, 'exit time minus entry time, ms', (r) => r.trade.holdingMs],
  [
    'exit_reason',
    'text',
    true,
    'manual, stop-loss, take-profit, trailing or liquidation',
    (r) => r.trade.exitReason,
  ],
  ['stop_price', 'decimal', true, 'the initial stop R is measured from', (r) => r.trade.stopPrice],
  [
    'stop_source',
    'text',
    true,
    'order (a stop resting at entry) or trader (entered)',
    (r) => r.trade.stopSource,
  ],
  ['r', 'decimal', true, 'R-multiple: net P&L over the initial risk', (r) => num(r.trade.r)],
  [
    'mae_price',
    'decimal',
    true,
    'maximum adverse excursion: worst price while open',
    (r) => r.trade.mae?.price ?? null,
  ],
  ['mae_pct', 'decimal', true, 'MAE as % from the average entry', (r) => num(r.trade.mae?.pct)],
  [
    'mfe_price',
    'decimal',
    true,
    'maximum favourable excursion: best price while open',
    (r) => r.trade.mfe?.price ?? null,
  ],
  ['mfe_pct', 'decimal', true, 'MFE as % from the average entry', (r) => num(r.trade.mfe?.pct)],
  ['signal_score', 'decimal', true, 'signal score at entry', (r) => num(r.trade.signal?.score)],
  ['signal_direction', 'text', true, 'buy, sell or neutral', (r) => r.trade.signal?.direction ?? null],
  ['strategy', 'text', true, 'the strategy that placed it, or manual', (r) => r.trade.strategy],
  ['rating', 'integer', true, "the trader's rating, 1 to 5", (r) => r.trade.rating],
  [
    'tags',
    'text',
    true,
    'kind:name; kind:name (\\; and \\\\ inside a name)',
    (r) => formatTags(r.trade.tags) || null,
  ],
  ['notes', 'text', true, "the trader's notes (markdown)", (r) => r.trade.notes || null],
  [
    'signal',
    'text',
    true,
    'the signal snapshot at entry, JSON (with its reasons)',
    (r) => (r.trade.signal ? JSON.stringify(r.trade.signal) : null),
  ],
  ['fills', 'text', true, 'the fills as recorded, JSON: what import-trades reads back', (r) => r.fills()],
  ['key', 'text', false, "the journal's key of the trade", (r) => r.trade.key],
  ['account_id', 'text', false, "the account's id", (r) => r.trade.accountId],
  ['exited_size', 'decimal', false, 'base quantity exited so far', (r) => r.trade.exitedSize],
  ['entry_value', 'decimal', false, 'entered quantity × price, in quote', (r) => r.stored.entryValue],
  [
    'other_fees',
    'text',
    false,
    'fees in a third currency, "0.002 BNB; ..."',
    (r) => r.trade.otherFees.map((f) => `${f.cost} ${f.currency}`).join('; ') || null,
  ],
  [
    'order_stop',
    'decimal',
    false,
    'the stop of a stop order resting at entry, even when the trader entered another',
    (r) => r.stored.orderStop,
  ],
  ['fill_count', 'integer', false, 'fills in the trade (a flip counts in both)', (r) => r.trade.fillCount],
  ['entry_time_ms', 'integer', false, 'entry time, ms since 1970 (UTC)', (r) => r.trade.entryTime],
  ['exit_time_ms', 'integer', false, 'exit time, ms since 1970 (UTC)', (r) => r.trade.exitTime],
]

export const TRADE_COLUMNS: readonly Column[] = SPEC.map(([name, kind, isDefault, description]) => ({
  name,
  kind,
  default: isDefault,
  description,
  sql: name,
}))

/** Each column's getter, by the column's `sql` (its name). */
export const TRADE_GETTERS: ReadonlyMap<string, Getter> = new Map(
  SPEC.map(([name, , , , get]) => [name, get]),
)
