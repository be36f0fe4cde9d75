import type { Candle, CandleColumns } from '../../shared/domain/candles'
import type { Timeframe } from '../../shared/domain/timeframes'
import type { Db } from './database'

/** Identifies one candle series: where it came from, which market, which bar length. */
export interface SeriesKey {
  source: string
  symbol: string
  timeframe: Timeframe
}

export interface SeriesInfo extends SeriesKey {
  label: string | null
  importedFrom: string | null
  count: number
  first: number | null
  last: number | null
}

const statements = new WeakMap<Db, ReturnType<typeof prepare>>()

function prepare(db: Db) {
  return {
    upsert: db.prepare(
      `INSERT INTO candles (source, symbol, timeframe, time, open, high, low, close, volume)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (source, symbol, timeframe, time) DO UPDATE SET
         open = excluded.open, high = excluded.high, low = excluded.low,
         close = excluded.close, volume = excluded.volume`,
    ),
    touchSeries: db.prepare(
      `INSERT INTO candle_series (source, symbol, timeframe, label, imported_from, updated_at)
       VALUES (@source, @symbol, @timeframe, @label, @importedFrom, @now)
       ON CONFLICT (source, symbol, timeframe) DO UPDATE SET
         label = COALESCE(excluded.label, candle_series.label),
         imported_from = COALESCE(excluded.imported_from, candle_series.imported_from),
         updated_at = excluded.updated_at`,
    ),
    // Newest `limit` bars at or before `to`, read backwards on the primary key then reversed.
    readLatest: db
      .prepare(
        `SELECT time, open, high, low, close, volume FROM candles
         WHERE source = ? AND symbol = ? AND timeframe = ? AND time <= ?
         ORDER BY time DESC LIMIT ?`,
      )
      .raw(true),
    readRange: db
      .prepare(
        `SELECT time, open, high, low, close, volume FROM candles
         WHERE source = ? AND symbol = ? AND timeframe = ? AND time >= ? AND time <= ?
         ORDER BY time`,
      )
      .raw(true),
    bounds: db.prepare(
      `SELECT COUNT(*) AS count, MIN(time) AS first, MAX(time) AS last FROM candles
       WHERE source = ? AND symbol = ? AND timeframe = ?`,
    ),
    series: db.prepare(
      `SELECT source, symbol, timeframe, label, imported_from AS importedFrom FROM candle_series ORDER BY source, symbol, timeframe`,
    ),
  }
}

function stmts(db: Db) {
  let s = statements.get(db)
  if (!s) {
    s = prepare(db)
    statements.set(db, s)
  }
  return s
}

/** Writes bars (replacing any with the same open time) in one transaction; all or nothing. */
export function upsertCandles(
  db: Db,
  key: SeriesKey,
  candles: readonly Candle[],
  meta: { label?: string; importedFrom?: string } = {},
): number {
  const s = stmts(db)
  db.transaction(() => {
    for (const c of candles) {
      s.upsert.run(key.source, key.symbol, key.timeframe, c.time, c.open, c.high, c.low, c.close, c.volume)
    }
    s.touchSeries.run({
      ...key,
      label: meta.label ?? null,
      importedFrom: meta.importedFrom ?? null,
      now: Date.now(),
    })
  })()
  return candles.length
}

/** The newest `limit` bars at or before `to`, oldest first, as columns. */
export function readLatestCandles(db: Db, key: SeriesKey, to: number, limit: number): CandleColumns {
  const rows = stmts(db).readLatest.all(key.source, key.symbol, key.timeframe, to, limit) as number[][]
  return rowsToColumns(rows.reverse())
}

/** Every bar with `from <= time <= to`, oldest first. */
export function readCandleRange(db: Db, key: SeriesKey, from: number, to: number): Candle[] {
  const rows = stmts(db).readRange.all(key.source, key.symbol, key.timeframe, from, to) as number[][]
  return rows.map(([time, open, high, low, close, volume]) => ({
    time: time!,
    open: open!,
    high: high!,
    low: low!,
    close: close!,
    volume: volume!,
  }))
}

export function seriesBounds(db: Db, key: SeriesKey): { count: number; first: number | null; last: number | null } {
  return stmts(db).bounds.get(key.source, key.symbol, key.timeframe) as {
    count: number
    first: number | null
    last: number | null
  }
}

export function listSeries(db: Db): SeriesInfo[] {
  const rows = stmts(db).series.all() as Omit<SeriesInfo, 'count' | 'first' | 'last'>[]
  return rows.map((r) => ({ ...r, ...seriesBounds(db, r) }))
}

function rowsToColumns(rows: readonly number[][]): CandleColumns {
  const n = rows.length
  const cols: CandleColumns = {
    time: new Array<number>(n),
    open: new Array<number>(n),
    high: new Array<number>(n),
    low: new Array<number>(n),
    close: new Array<number>(n),
    volume: new Array<number>(n),
  }
  for (let i = 0; i < n; i++) {
    const r = rows[i]!
    cols.time[i] = r[0]!
    cols.open[i] = r[1]!
    cols.high[i] = r[2]!
    cols.low[i] = r[3]!
    cols.close[i] = r[4]!
    cols.volume[i] = r[5]!
  }
  return cols
}
