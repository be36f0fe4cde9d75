import { EXIT_REASONS, signalSnapshotSchema, type ExitReason } from '../../../shared/contract/journal'
import { unguardText } from '../../export/csv-text'
import { parseTags } from '../../export/tags-text'
import type { ImportedFacts, TraderEdit } from '../../journal/trade'
import type { TradeRow } from '../trade-row'
import { decimalCell, positive, sideCell } from '../values'
import { column, issue, required, type CsvFormat, type RowResult } from './format'

/**
 * Candlework's own `export trades` file (src/main/export/trade-columns.ts): each row is a trade
 * and its `fills` cell holds the fills as recorded (JSON), which become the imported account's
 * fills; the journal builds the same trades from them. What the fills cannot tell again is read
 * too: the trader's notes, tags, rating and stop (saved as the trade's edit), and the exit
 * reason, the resting stop, MAE/MFE, the signal at entry and the strategy (journal_imported,
 * used where the journal's own lookups find nothing). A flip's fill is listed by both trades it
 * touches; it is read once.
 */
export const candleworkTradesFormat: CsvFormat = {
  name: 'candlework-trades',
  detect: (h) => ['entrytime', 'symbol', 'fills'].every((n) => h.includes(n)),
  reader(h) {
    const f = 'Candlework trades'
    const symbol = required(h, f, 'symbol')
    const fills = required(h, f, 'fills')
    const col = {
      notes: column(h, 'notes'),
      tags: column(h, 'tags'),
      rating: column(h, 'rating'),
      stopPrice: column(h, 'stopprice'),
      stopSource: column(h, 'stopsource'),
      orderStop: column(h, 'orderstop'),
      exitReason: column(h, 'exitreason'),
      maePrice: column(h, 'maeprice'),
      maePct: column(h, 'maepct'),
      mfePrice: column(h, 'mfeprice'),
      mfePct: column(h, 'mfepct'),
      signal: column(h, 'signal'),
      strategy: column(h, 'strategy'),
    }
    const seen = new Set<string>()
    return (cells, line): RowResult => {
      const text = (i: number): string | null => {
        const v = i >= 0 ? (cells[i] ?? '') : ''
        return v === '' ? null : unguardText(v)
      }
      const sym = text(symbol)
      if (!sym) return issue(symbol, 'symbol is empty')
      let list: unknown
      try {
        list = JSON.parse(cells[fills] ?? '')
      } catch {
        return issue(fills, 'fills is not the JSON list of fills Candlework writes')
      }
      if (!Array.isArray(list) || list.length === 0) return issue(fills, 'fills holds no fill')
      const rows: TradeRow[] = []
      for (const [i, raw] of list.entries()) {
        const row = fillOf(raw, sym, line)
        if ('error' in row) return issue(fills, `fills[${i}]: ${row.error}`)
        const id = `${row.time}\u0000${row.tradeId}`
        // A flip ends one trade and opens the next: both list it, and it is one fill.
        if (seen.has(id)) continue
        seen.add(id)
        rows.push(row)
      }
      const first = fillOf(list[0], sym, line) as TradeRow
      const journal = journalOf(col, text)
      if ('field' in journal) return journal
      return {
        rows,
        trade: { line, symbol: sym, time: first.time, tradeId: first.tradeId!, ...journal },
      }
    }
  },
}

/** One fill of a `fills` cell, or what is wrong with it. */
function fillOf(raw: unknown, symbol: string, line: number): TradeRow | { error: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: 'is not an object' }
  const o = raw as Record<string, unknown>
  const str = (k: string): string | null =>
    typeof o[k] === 'string' && o[k] !== '' ? (o[k] as string) : null
  if (typeof o.time !== 'number' || !Number.isSafeInteger(o.time))
    return { error: 'time is not ms since 1970' }
  const tradeId = str('trade_id')
  if (!tradeId) return { error: 'trade_id is empty' }
  const side = sideCell(str('side') ?? '', false)
  if (!side) return { error: `side "${String(o.side)}" is not buy or sell` }
  const amount = positive(str('amount') ?? '', 'amount')
  if (typeof amount !== 'string') return amount
  const price = positive(str('price') ?? '', 'price')
  if (typeof price !== 'string') return price
  let fee: TradeRow['fee'] = null
  if (str('fee') !== null) {
    const cost = decimalCell(str('fee')!)
    if (cost === undefined) return { error: `fee "${String(o.fee)}" is not a number` }
    const currency = str('fee_currency')
    if (!currency) return { error: 'a fee needs its fee_currency' }
    fee = { cost, currency }
  }
  return {
    line,
    tradeId,
    orderId: str('order_id'),
    clientOrderId: str('client_order_id'),
    symbol,
    side,
    amount,
    price,
    cost: null,
    fee,
    takerOrMaker: null,
    time: o.time,
  }
}

type Columns = Record<
  | 'notes'
  | 'tags'
  | 'rating'
  | 'stopPrice'
  | 'stopSource'
  | 'orderStop'
  | 'exitReason'
  | 'maePrice'
  | 'maePct'
  | 'mfePrice'
  | 'mfePct'
  | 'signal'
  | 'strategy',
  number
>

/** The trader's edit and the facts of a trade row, or the field that cannot be read. */
function journalOf(
  col: Columns,
  text: (i: number) => string | null,
): { edit: TraderEdit | null; facts: ImportedFacts } | { field: number; message: string } {
  const dec = (i: number): string | null | { field: number; message: string } => {
    const v = text(i)
    if (v === null) return null
    return decimalCell(v) ?? issue(i, `"${v}" is not a number`)
  }
  const num = (i: number): number | null | { field: number; message: string } => {
    const v = dec(i)
    return v === null || typeof v === 'object' ? v : Number(v)
  }
  const exitText = text(col.exitReason)
  if (exitText !== null && !(EXIT_REASONS as readonly string[]).includes(exitText))
    return issue(col.exitReason, `exit_reason "${exitText}" is not one of ${EXIT_REASONS.join(', ')}`)
  const stop = dec(col.stopPrice)
  if (typeof stop === 'object' && stop !== null) return stop
  const stopSource = text(col.stopSource)
  if (stopSource !== null && stopSource !== 'order' && stopSource !== 'trader')
    return issue(col.stopSource, `stop_source "${stopSource}" is not order or trader`)
  const orderStopCell = dec(col.orderStop)
  if (typeof orderStopCell === 'object' && orderStopCell !== null) return orderStopCell
  const excursion = (p: number, q: number) => {
    const price = dec(p)
    if (typeof price === 'object' && price !== null) return price
    const pct = num(q)
    if (typeof pct === 'object' && pct !== null) return pct
    return price === null || pct === null ? null : { price, pct }
  }
  const mae = excursion(col.maePrice, col.maePct)
  if (mae && 'field' in mae) return mae
  const mfe = excursion(col.mfePrice, col.mfePct)
  if (mfe && 'field' in mfe) return mfe
  let signal: ImportedFacts['signal'] = null
  const signalText = text(col.signal)
  if (signalText !== null) {
    let parsed: unknown
    try {
      parsed = JSON.parse(signalText)
    } catch {
      return issue(col.signal, 'signal is not JSON')
    }
    const r = signalSnapshotSchema.safeParse(parsed)
    if (!r.success)
      return issue(col.signal, `signal: ${r.error.issues[0]?.message ?? 'not a signal snapshot'}`)
    signal = r.data
  }
  const ratingText = text(col.rating)
  const rating = ratingText === null ? null : Number(ratingText)
  if (rating !== null && !(Number.isInteger(rating) && rating >= 1 && rating <= 5))
    return issue(col.rating, `rating "${ratingText}" is not 1 to 5`)
  const tagsText = text(col.tags)
  const tags = tagsText === null ? [] : parseTags(tagsText)
  if ('error' in tags) return issue(col.tags, tags.error)
  const notes = text(col.notes) ?? ''
  const traderStop = stopSource === 'trader' ? stop : null
  const edit: TraderEdit | null =
    notes || tags.length || rating !== null || traderStop !== null
      ? { notes, tags, rating, stopPrice: traderStop }
      : null
  return {
    edit,
    facts: {
      exitReason: exitText as ExitReason | null,
      orderStop: orderStopCell ?? (stopSource === 'order' ? stop : null),
      mae,
      mfe,
      signal,
      strategy: text(col.strategy),
    },
  }
}
