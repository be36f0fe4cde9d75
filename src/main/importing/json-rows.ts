import { basename } from 'node:path'
import type { Candle } from '../../shared/domain/candles'
import { hasTime, mapRoles, missingPrices, type RoleMap } from './column-roles'
import { CandleFileError, type RowIssue } from './issues'
import { lineLocator, scanJson, type JsonRowPos } from './json-locate'
import { parseNumberText } from './number-text'
import { noTimeMessage, type ParseOptions } from './options'
import { barProblems, type SourceRows } from './source-rows'
import { epochToMs, parseTimeText } from './time-text'

/** Tuple rows (ccxt, freqtrade): [time, open, high, low, close, volume, ...extra ignored]. */
const TUPLE_NAMES = ['time', 'open', 'high', 'low', 'close', 'volume'] as const
const TUPLE_ROLES: RoleMap<number> = { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 }

const PRICE_NAMES = ['open', 'high', 'low', 'close', 'volume'] as const

/** A problem found before positions are known: row index and which value (index or key). */
interface Draft {
  row: number
  at: number | string | undefined
  field?: string
  message: string
}

/**
 * Reads a JSON array of candles: ccxt-style rows `[[ts, o, h, l, c, v], ...]` or objects with
 * named members (`{"time": ..., "open": ...}`, names as for CSV headers). Numbers may also be
 * given as strings (`"0.0984"`), as several exchange APIs do.
 */
export function readJsonRows(text: string, file: string, opts: ParseOptions): SourceRows {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    const scan = scanJson(text)
    const pos = scan.ok ? undefined : lineLocator(text)(scan.offset)
    const why = scan.ok ? (err as Error).message : scan.message
    throw new CandleFileError(file, `not valid JSON: ${why}`, pos?.line, pos?.column)
  }
  const shape =
    'expected a JSON array of candles, [[time, open, high, low, close, volume], ...] or [{"time": ..., "open": ...}, ...]'
  if (!Array.isArray(data)) throw new CandleFileError(file, `${shape}; found ${kind(data)}`, 1, 1)
  if (data.length === 0)
    throw new CandleFileError(file, `${basename(file)} is an empty array: it has no candles`, 1, 1)

  const first: unknown = data[0]
  let roles: RoleMap<number | string>
  let names: readonly string[]
  const tuples = Array.isArray(first)
  if (tuples) {
    roles = TUPLE_ROLES
    names = TUPLE_NAMES
  } else if (isObject(first)) {
    const keys = Object.keys(first)
    const mapped = mapRoles(
      keys.map((k) => [k, k] as const),
      false,
    )
    const at = locateFirst(text)
    if (mapped.conflict) {
      const c = mapped.conflict
      throw new CandleFileError(
        file,
        `members "${c.first}" and "${c.second}" both look like ${c.role}`,
        at.line,
        at.column,
      )
    }
    const missing = missingPrices(mapped.roles)
    if (missing.length > 0) {
      throw new CandleFileError(
        file,
        `the first row has no ${missing.join(', ')} (members: ${keys.join(', ')}); expected time, open, high, low, close and optionally volume`,
        at.line,
        at.column,
      )
    }
    roles = mapped.roles
    names = keys
  } else {
    const at = locateFirst(text)
    throw new CandleFileError(file, `${shape}; the first row is ${kind(first)}`, at.line, at.column)
  }
  const timeless = !hasTime(roles)
  if (timeless && !opts.allowMissingTime)
    throw new CandleFileError(file, noTimeMessage(basename(file), names))

  const bars: Candle[] = []
  const refs: number[] = []
  const drafts: Draft[] = []
  const timeAt = roles.time ?? roles.date
  const priceAt = [roles.open!, roles.high!, roles.low!, roles.close!, roles.volume] as const
  const values = [0, 0, 0, 0, 0]
  for (let r = 0; r < data.length; r++) {
    const item: unknown = data[r]
    if (tuples ? !Array.isArray(item) : !isObject(item)) {
      const what = tuples ? 'a row [time, open, high, low, close, volume]' : 'an object'
      addDraft(drafts, r, undefined, `expected ${what}, found ${kind(item)}`)
      continue
    }
    const row = item as Record<string | number, unknown>
    if (Array.isArray(item) && item.length < 5) {
      const n = item.length
      addDraft(drafts, r, undefined, `expected [time, open, high, low, close, volume], found ${n} values`)
      continue
    }
    let ok = true
    let time = r
    if (timeAt !== undefined) {
      const raw = roles.time !== undefined ? row[timeAt] : joinDateClock(row[timeAt], row[roles.clock!])
      const t = raw === undefined ? undefined : jsonTime(raw)
      if (t === undefined) {
        addDraft(
          drafts,
          r,
          timeAt,
          raw === undefined ? `missing "${timeAt}"` : `unparseable date ${show(raw)}`,
        )
        ok = false
      } else time = t
    }
    for (let k = 0; k < 5; k++) {
      const at = priceAt[k]
      const raw = at === undefined ? undefined : row[at]
      // No volume member at all, or a ccxt row without its volume ([t, o, h, l, c]): no volume, 0.
      if (k === 4 && (at === undefined || (raw === undefined && tuples))) {
        values[k] = 0
        continue
      }
      const n = raw === undefined ? undefined : jsonNumber(raw)
      if (n === undefined) {
        const message =
          raw === undefined ? `missing "${at}"` : `unparseable number ${show(raw)} in ${PRICE_NAMES[k]}`
        addDraft(drafts, r, at, message)
        ok = false
      } else values[k] = n
    }
    if (!ok) continue
    const [open, high, low, close, volume] = values as [number, number, number, number, number]
    const problems = barProblems(open, high, low, close, volume)
    if (problems) {
      for (const p of problems) addDraft(drafts, r, roles[p.role], p.message)
      continue
    }
    bars.push({ time, open, high, low, close, volume })
    refs.push(r)
  }

  // Positions are needed only for messages; find them once, and only if there is something to say.
  let located: { rows: JsonRowPos[]; at: (offset: number) => { line: number; column: number } } | undefined
  const positions = () => {
    if (!located) {
      const scan = scanJson(text)
      located = { rows: scan.ok ? scan.rows : [], at: lineLocator(text) }
    }
    return located
  }
  const where = (row: number, at: number | string | undefined): { line: number; column: number } => {
    const { rows, at: toLine } = positions()
    const pos = rows[row]
    if (!pos) return { line: 1, column: 1 }
    const index = typeof at === 'number' ? at : at === undefined ? -1 : pos.keys.indexOf(at)
    return toLine(pos.fields[index] ?? pos.start)
  }
  const issues: RowIssue[] = drafts.map((d) => ({
    file,
    ...where(d.row, d.at),
    ...(d.field ? { field: d.field } : {}),
    message: d.message,
  }))
  return { bars, refs, issues, rowsRead: data.length, timeless, locateTime: (ref) => where(ref, timeAt) }
}

function addDraft(drafts: Draft[], row: number, at: number | string | undefined, message: string): void {
  const field = typeof at === 'number' ? TUPLE_NAMES[at] : at
  drafts.push({ row, at, ...(field ? { field } : {}), message })
}

function locateFirst(text: string): { line: number; column: number } {
  const scan = scanJson(text)
  const start = scan.ok ? scan.rows[0]?.start : undefined
  return start === undefined ? { line: 1, column: 1 } : lineLocator(text)(start)
}

function jsonTime(v: unknown): number | undefined {
  if (typeof v === 'number') return epochToMs(v)
  if (typeof v === 'string') return parseTimeText(v)
  return undefined
}

function jsonNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined
  if (typeof v === 'string') return parseNumberText(v, false)
  return undefined
}

const joinDateClock = (date: unknown, clock: unknown): unknown =>
  typeof date === 'string' && typeof clock === 'string' ? `${date} ${clock}` : undefined

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function kind(v: unknown): string {
  if (Array.isArray(v)) return 'an array'
  if (v === null) return 'null'
  return typeof v === 'object' ? 'an object' : `${typeof v} ${show(v)}`
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 40 ? `${s.slice(0, 37)}...` : s
}
