import { Decimal } from '../../../shared/decimal/decimal'
import type { RowIssue } from '../../importing/issues'
import { lineLocator, scanJson } from '../../importing/json-locate'
import { TradeFileError, type TradeRow } from '../trade-row'
import { decimalCell, sideCell } from '../values'

/**
 * ccxt's `fetchMyTrades` result saved as JSON: an array of unified trade objects
 * (`{id, order, clientOrderId?, timestamp, datetime, symbol, side, price, amount, cost, fee,
 * fees, takerOrMaker, info}`). Numbers may be JSON numbers (read as the shortest decimal that
 * is that double, as the engine reads ccxt's numbers) or strings (read exactly). `fee`, or the
 * single entry of `fees`, is the fee; a trade with fees in several currencies keeps the first
 * and is reported. `info` is ignored.
 */
export function readCcxtJson(
  file: string,
  text: string,
): { rows: TradeRow[]; issues: RowIssue[]; rowsRead: number } {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    const scan = scanJson(text)
    const at = scan.ok ? { line: 1, column: 1 } : lineLocator(text)(scan.offset)
    throw new TradeFileError(file, `not valid JSON${scan.ok ? '' : `: ${scan.message}`}`, at.line, at.column)
  }
  if (!Array.isArray(data))
    throw new TradeFileError(file, 'a ccxt trades file is a JSON array of trades', 1, 1)
  const scan = scanJson(text)
  const locate = lineLocator(text)
  const rowAt = (i: number): { line: number; column: number } =>
    scan.ok && scan.rows[i] ? locate(scan.rows[i].start) : { line: 1, column: 1 }
  const keyAt = (i: number, key: string): { line: number; column: number } => {
    const r = scan.ok ? scan.rows[i] : undefined
    const k = r ? r.keys.indexOf(key) : -1
    return r && k >= 0 ? locate(r.fields[k]!) : rowAt(i)
  }
  const rows: TradeRow[] = []
  const issues: RowIssue[] = []
  data.forEach((t: unknown, i) => {
    const bad = (key: string, message: string): void => {
      issues.push({ file, ...keyAt(i, key), field: key, message })
    }
    if (typeof t !== 'object' || t === null || Array.isArray(t)) {
      issues.push({ file, ...rowAt(i), message: `trade ${i + 1} is not an object` })
      return
    }
    const o = t as Record<string, unknown>
    const time =
      typeof o.timestamp === 'number'
        ? o.timestamp
        : typeof o.datetime === 'string'
          ? Date.parse(o.datetime)
          : NaN
    if (!Number.isSafeInteger(time)) return bad('timestamp', 'timestamp is missing or not ms since 1970')
    const side = typeof o.side === 'string' ? sideCell(o.side, false) : undefined
    if (!side) return bad('side', `side ${JSON.stringify(o.side)} is not buy or sell`)
    if (typeof o.symbol !== 'string' || !o.symbol.includes('/'))
      return bad('symbol', `symbol ${JSON.stringify(o.symbol)} is not a unified BASE/QUOTE symbol`)
    const amount = num(o.amount)
    if (!amount || !Decimal.parse(amount).isPositive())
      return bad('amount', `amount ${JSON.stringify(o.amount)} is not above zero`)
    const price = num(o.price)
    if (!price || !Decimal.parse(price).isPositive())
      return bad('price', `price ${JSON.stringify(o.price)} is not above zero`)
    const cost = o.cost === undefined || o.cost === null ? null : num(o.cost)
    if (cost === undefined) return bad('cost', `cost ${JSON.stringify(o.cost)} is not a number`)
    const fees = Array.isArray(o.fees) && o.fees.length > 0 ? (o.fees as unknown[]) : o.fee ? [o.fee] : []
    let fee: TradeRow['fee'] = null
    if (fees.length > 0) {
      const f = fees[0] as { cost?: unknown; currency?: unknown } | null
      const c = num(f?.cost)
      if (c === undefined || typeof f?.currency !== 'string')
        return bad(
          Array.isArray(o.fees) && o.fees.length > 0 ? 'fees' : 'fee',
          'fee needs a cost and a currency',
        )
      if (fees.length > 1) return bad('fees', 'fees in more than one currency are not supported')
      fee = { cost: c, currency: f.currency }
    }
    const tm = o.takerOrMaker
    rows.push({
      line: rowAt(i).line,
      tradeId: o.id === undefined || o.id === null ? null : String(o.id),
      orderId: o.order === undefined || o.order === null ? null : String(o.order),
      clientOrderId: typeof o.clientOrderId === 'string' ? o.clientOrderId : null,
      symbol: o.symbol,
      side,
      amount,
      price,
      cost,
      fee,
      takerOrMaker: tm === 'taker' || tm === 'maker' ? tm : null,
      time,
    })
  })
  return { rows, issues, rowsRead: data.length }
}

function num(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Decimal.fromNumber(v).toString() : undefined
  if (typeof v === 'string') return decimalCell(v)
  return undefined
}
