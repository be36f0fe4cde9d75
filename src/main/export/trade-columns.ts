import type { Tag } from '../../shared/contract/journal'
import { TRADE_FIELDS, TRAILING_FIELDS } from '../journal/store'
import { rMultiple } from '../journal/trade'
import type { CellValue, Column, ColumnKind } from './columns'
import { plainNumber } from './plain-number'
import { formatTags } from './tags-text'

/**
 * The columns of `export trades`, in their default order (docs/CSV.md lists them), each read by
 * SQLite from the journal's stored trade (journal_trades.data, a JSON array in TRADE_FIELDS'
 * order, `t`), the trader's edit (journal_edits, `e`) and the account's name (`a`), as fills and
 * orders are: plain text and decimal runs joined by SQLite and written as they are, the rare row
 * that needs quoting or a guard written cell by cell (columns.ts). Decoding each trade's JSON in
 * JavaScript, an object per trade and its fills, cost ~25 µs a trade and most of the garbage
 * collection of a million-row export (bench/csv.bench.ts, docs/CSV.md).
 *
 * What the Journal view shows is what is written (journal/trade.ts `present`): the stop in force
 * is the trader's (an edit) or the one resting at entry; R is computed from it in JavaScript, for
 * the closed trades that have one.
 */

/** The stored trade's field, by name: `t.data ->> n` (SQL NULL for JSON null). */
const field = (name: (typeof TRADE_FIELDS)[number]): string => `(t.data ->> ${TRADE_FIELDS.indexOf(name)})`
/** Its JSON text, for numbers: the stored digits as JavaScript wrote them (`1.5e-7` too); NULL for null. */
const json = (path: string): string => `nullif(t.data -> '${path}', 'null')`
const at = (name: (typeof TRADE_FIELDS)[number]): string => `$[${TRADE_FIELDS.indexOf(name)}]`
const FILLS = `$[${TRADE_FIELDS.length}]`
/** The trade's P&L in its account's currency: the first of store.ts' TRAILING_FIELDS, after the fills. */
const ACCOUNT_PNL = `$[${TRADE_FIELDS.length + 1 + TRAILING_FIELDS.indexOf('accountPnl')}]`
const STOP = `coalesce(e.stop_price, ${field('orderStop')})`

/**
 * A ratio stored as a JS number, written as plain decimal text: as stored when it has no exponent
 * (the fast path's pattern accepts it), else through `plainNumber` (`1.5e-7` → `0.00000015`).
 */
const numberCell = (v: unknown): string => (v === null || v === undefined ? '' : plainNumber(Number(v)))

/**
 * The trade's recorded fills (journal_fills: the amount before any base-currency fee, the fee with
 * its currency, a flip's whole fill) in the journal's order, as the JSON `import-trades` reads
 * back, made and CSV-quoted by SQLite: one indexed read per fill by journal_fills' unique key.
 * It starts with `[`, so no formula guard applies; `[]` when none is found. CROSS JOIN keeps the
 * trade's fills first (SQLite would otherwise scan the pair's whole history for each trade).
 */
const FILLS_CELL = `(SELECT CASE WHEN v = '[]' THEN v ELSE '"' || replace(v, '"', '""') || '"' END FROM (
  SELECT json_group_array(json_object('time', f.time, 'trade_id', f.trade_id, 'order_id', f.exchange_order_id,
    'client_order_id', f.client_order_id, 'side', f.side, 'amount', f.amount, 'price', f.price, 'fee', f.fee_cost,
    'fee_currency', f.fee_currency) ORDER BY k) AS v
  FROM (SELECT min(j.key) AS k, j.value ->> 0 AS trade_id, j.value ->> 9 AS time
        FROM json_each(t.data, '${FILLS}') j GROUP BY 2, 3) p
  CROSS JOIN journal_fills f ON f.account_id = t.account_id AND f.symbol = t.symbol AND f.trade_id = p.trade_id
    AND f.time = p.time))`

interface Spec {
  name: string
  kind: ColumnKind
  default: boolean
  description: string
  sql: string
  derive?: (v: CellValue) => CellValue
  exactCell?: (v: unknown) => string
  csv?: true
}

const col = (
  name: string,
  kind: ColumnKind,
  isDefault: boolean,
  description: string,
  sql: string,
  more: Partial<Spec> = {},
): Spec => ({ name, kind, default: isDefault, description, sql, ...more })

const SPECS: readonly Spec[] = [
  col('entry_time', 'time', true, 'time of the first entry fill', 't.entry_time'),
  col(
    'exit_time',
    'time',
    true,
    'time of the fill that made the position flat; empty while open',
    field('exitTime'),
  ),
  col('account', 'text', true, "the account's name", 'ifnull(a.name, t.account_id)'),
  col('symbol', 'text', true, 'market, BASE/QUOTE', 't.symbol'),
  col('side', 'text', true, 'long or short', field('side')),
  col('status', 'text', true, 'open or closed', field('status')),
  col('size', 'decimal', true, 'base quantity entered (net of base-currency fees)', field('size')),
  col('avg_entry', 'decimal', true, 'average entry price', field('avgEntry')),
  col('avg_exit', 'decimal', true, 'average exit price', field('avgExit')),
  col('gross_pnl', 'decimal', true, 'realized P&L before fees, in quote', field('grossPnl')),
  col('fees', 'decimal', true, 'fees in quote (base-currency fees at their fill price)', field('fees')),
  col('net_pnl', 'decimal', true, 'gross P&L minus fees, in quote', field('netPnl')),
  col('quote', 'text', true, 'the currency of every money figure', field('quote')),
  col('return_pct', 'decimal', true, 'net P&L over the entered value, %', json(at('returnPct')), {
    exactCell: numberCell,
  }),
  col('holding_ms', 'integer', true, 'exit time minus entry time, ms', field('holdingMs')),
  col(
    'exit_reason',
    'text',
    true,
    'manual, stop-loss, take-profit, trailing or liquidation',
    field('exitReason'),
  ),
  col('stop_price', 'decimal', true, 'the initial stop R is measured from', STOP),
  col(
    'stop_source',
    'text',
    true,
    'order (a stop resting at entry) or trader (entered)',
    `CASE WHEN e.stop_price IS NOT NULL THEN 'trader' WHEN ${field('orderStop')} IS NOT NULL THEN 'order' END`,
  ),
  col(
    'r',
    'decimal',
    true,
    'R-multiple: net P&L over the initial risk',
    // What R needs, for the closed trades with a stop (NULL otherwise, nearly free).
    `CASE WHEN ${field('status')} = 'closed' AND ${STOP} IS NOT NULL
       THEN json_array(${field('avgEntry')}, ${field('size')}, ${field('netPnl')}, ${STOP}) END`,
    { derive: (v) => rOf(v) },
  ),
  col(
    'mae_price',
    'decimal',
    true,
    'maximum adverse excursion: worst price while open',
    `t.data ->> '${at('mae')}.price'`,
  ),
  col('mae_pct', 'decimal', true, 'MAE as % from the average entry', json(`${at('mae')}.pct`), {
    exactCell: numberCell,
  }),
  col(
    'mfe_price',
    'decimal',
    true,
    'maximum favourable excursion: best price while open',
    `t.data ->> '${at('mfe')}.price'`,
  ),
  col('mfe_pct', 'decimal', true, 'MFE as % from the average entry', json(`${at('mfe')}.pct`), {
    exactCell: numberCell,
  }),
  col('signal_score', 'decimal', true, 'signal score at entry', json(`${at('signal')}.score`), {
    exactCell: numberCell,
  }),
  col('signal_direction', 'text', true, 'buy, sell or neutral', `t.data ->> '${at('signal')}.direction'`),
  col('strategy', 'text', true, 'the strategy that placed it, or manual', field('strategy')),
  col('rating', 'integer', true, "the trader's rating, 1 to 5", 'e.rating'),
  col('tags', 'text', true, 'kind:name; kind:name (\\; and \\\\ inside a name)', "nullif(e.tags, '[]')", {
    derive: (v) => (typeof v === 'string' ? formatTags(JSON.parse(v) as Tag[]) || null : null),
  }),
  col('notes', 'text', true, "the trader's notes (markdown)", "nullif(e.notes, '')"),
  col('signal', 'text', true, 'the signal snapshot at entry, JSON (with its reasons)', json(at('signal'))),
  col('fills', 'text', true, 'the fills as recorded, JSON: what import-trades reads back', FILLS_CELL, {
    csv: true,
  }),
  col('key', 'text', false, "the journal's key of the trade", 't.key'),
  col('account_id', 'text', false, "the account's id", 't.account_id'),
  col('exited_size', 'decimal', false, 'base quantity exited so far', field('exitedSize')),
  col('entry_value', 'decimal', false, 'entered quantity × price, in quote', field('entryValue')),
  col(
    'other_fees',
    'text',
    false,
    'fees in a third currency, "0.002 BNB; ..."',
    `nullif(t.data -> '${at('otherFees')}', '[]')`,
    {
      derive: (v) =>
        typeof v === 'string'
          ? (JSON.parse(v) as { currency: string; cost: string }[])
              .map((f) => `${f.cost} ${f.currency}`)
              .join('; ') || null
          : null,
    },
  ),
  col(
    'account_currency',
    'text',
    false,
    "the account's currency the next two columns are in",
    `t.data ->> '${ACCOUNT_PNL}.currency'`,
  ),
  col(
    'gross_pnl_account',
    'decimal',
    false,
    "gross P&L in the account's currency, at the price at exit (empty when none is known)",
    `t.data ->> '${ACCOUNT_PNL}.grossPnl'`,
  ),
  col(
    'net_pnl_account',
    'decimal',
    false,
    "net P&L in the account's currency, at the price at exit (empty when none is known)",
    `t.data ->> '${ACCOUNT_PNL}.netPnl'`,
  ),
  col(
    'order_stop',
    'decimal',
    false,
    'the stop of a stop order resting at entry, even when the trader entered another',
    field('orderStop'),
  ),
  col(
    'fill_count',
    'integer',
    false,
    'fills in the trade (a flip counts in both)',
    `json_array_length(t.data, '${FILLS}')`,
  ),
  col('entry_time_ms', 'integer', false, 'entry time, ms since 1970 (UTC)', 't.entry_time'),
  col('exit_time_ms', 'integer', false, 'exit time, ms since 1970 (UTC)', field('exitTime')),
]

/** R from `[avgEntry, size, netPnl, stop]` as the journal computes it (journal/trade.ts), plain decimal text. */
function rOf(v: CellValue): string | null {
  if (typeof v !== 'string') return null
  const [avgEntry, size, netPnl, stop] = JSON.parse(v) as [string, string, string, string]
  const r = rMultiple({ avgEntry, size, netPnl }, stop)
  return r === null ? null : plainNumber(r)
}

export const TRADE_COLUMNS: readonly Column[] = SPECS
