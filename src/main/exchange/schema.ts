import type { Timeframe } from '../../shared/domain/timeframes'
import type { Db } from '../storage/db'

// The tables (exchange_connections, exchange_fetched_ranges) are created by storage's migration
// 0004-exchange.ts; these are their rows.

export interface ConnectionConfig {
  exchange: string
  apiUrl: string | null
  sandbox: boolean
  recvWindowMs: number
  adjustForTimeDifference: boolean
  websocket: boolean
  maskedKey: string | null
}

export const DEFAULT_RECV_WINDOW_MS = 10_000

export function defaultConnection(exchange: string): ConnectionConfig {
  return {
    exchange,
    apiUrl: null,
    sandbox: false,
    recvWindowMs: DEFAULT_RECV_WINDOW_MS,
    adjustForTimeDifference: true,
    websocket: true,
    maskedKey: null,
  }
}

/** Where a connection's candles are stored: never mix a testnet's or a simulator's bars with the real exchange's. */
export function sourceOf(c: Pick<ConnectionConfig, 'exchange' | 'apiUrl' | 'sandbox'>): string {
  if (c.apiUrl !== null) return `${c.exchange}:custom`
  if (c.sandbox) return `${c.exchange}:sandbox`
  return c.exchange
}

interface ConnectionRow {
  exchange: string
  api_url: string | null
  sandbox: number
  recv_window_ms: number
  adjust_time: number
  websocket: number
  masked_key: string | null
}

function fromRow(r: ConnectionRow): ConnectionConfig {
  return {
    exchange: r.exchange,
    apiUrl: r.api_url,
    sandbox: r.sandbox === 1,
    recvWindowMs: r.recv_window_ms,
    adjustForTimeDifference: r.adjust_time === 1,
    websocket: r.websocket === 1,
    maskedKey: r.masked_key,
  }
}

export function readConnection(db: Db, exchange: string): ConnectionConfig | null {
  const row = db.prepare('SELECT * FROM exchange_connections WHERE exchange = ?').get(exchange) as
    ConnectionRow | undefined
  return row ? fromRow(row) : null
}

export function listConnections(db: Db): ConnectionConfig[] {
  const rows = db.prepare('SELECT * FROM exchange_connections ORDER BY exchange').all() as ConnectionRow[]
  return rows.map(fromRow)
}

export function writeConnection(db: Db, c: ConnectionConfig, now: number): void {
  db.prepare(
    `INSERT INTO exchange_connections (exchange, api_url, sandbox, recv_window_ms, adjust_time, websocket, masked_key, updated_at)
     VALUES (@exchange, @apiUrl, @sandbox, @recvWindowMs, @adjust, @websocket, @maskedKey, @now)
     ON CONFLICT (exchange) DO UPDATE SET
       api_url = excluded.api_url, sandbox = excluded.sandbox, recv_window_ms = excluded.recv_window_ms,
       adjust_time = excluded.adjust_time, websocket = excluded.websocket, masked_key = excluded.masked_key,
       updated_at = excluded.updated_at`,
  ).run({
    exchange: c.exchange,
    apiUrl: c.apiUrl,
    sandbox: c.sandbox ? 1 : 0,
    recvWindowMs: c.recvWindowMs,
    adjust: c.adjustForTimeDifference ? 1 : 0,
    websocket: c.websocket ? 1 : 0,
    maskedKey: c.maskedKey,
    now,
  })
}

export interface RangeKey {
  source: string
  symbol: string
  timeframe: Timeframe
}

/** A closed range of bar open times, both ends included. */
export interface BarRange {
  first: number
  last: number
}

export function readFetchedRanges(db: Db, key: RangeKey): BarRange[] {
  return db
    .prepare(
      `SELECT first, last FROM exchange_fetched_ranges WHERE source = ? AND symbol = ? AND timeframe = ? ORDER BY first`,
    )
    .all(key.source, key.symbol, key.timeframe) as BarRange[]
}

/**
 * Records `[first, last]` as fetched, merged with the ranges it overlaps or touches (`next(last)`
 * gives the open time after a bar, so ranges one bar apart join).
 */
export function addFetchedRange(
  db: Db,
  key: RangeKey,
  range: BarRange,
  next: (open: number) => number,
  now: number,
): void {
  const merged: BarRange[] = []
  let cur = { ...range }
  for (const r of readFetchedRanges(db, key)) {
    if (next(r.last) < cur.first || next(cur.last) < r.first) {
      merged.push(r)
      continue
    }
    cur = { first: Math.min(cur.first, r.first), last: Math.max(cur.last, r.last) }
  }
  merged.push(cur)
  db.prepare('DELETE FROM exchange_fetched_ranges WHERE source = ? AND symbol = ? AND timeframe = ?').run(
    key.source,
    key.symbol,
    key.timeframe,
  )
  const insert = db.prepare(
    'INSERT INTO exchange_fetched_ranges (source, symbol, timeframe, first, last, fetched_at) VALUES (?, ?, ?, ?, ?, ?)',
  )
  for (const r of merged) insert.run(key.source, key.symbol, key.timeframe, r.first, r.last, now)
}
