import type { Candle, CandleColumns } from '../../shared/domain/candles'
import type { Timeframe } from '../../shared/domain/timeframes'
import {
  type Block,
  BlockFormatError,
  blockSpanMs,
  blockStartOf,
  decodeBlock,
  lowerBound,
  mergeIntoBlock,
  upperBound,
} from './candles/block-format'
import type { Db } from './database'
import { perConnection } from './statements'

/**
 * Candle series are stored as column blocks (see ./candles/block-format.ts for the blob layout):
 *
 * - `candle_series` has one row per (source, symbol, timeframe) with an integer id, its metadata,
 *   the block span it is partitioned by, and cached count/first/last so bounds need no scan.
 * - `candle_blocks` has one row per (series_id, block_start): the bars with
 *   block_start <= time < block_start + span, packed into one BLOB. The span is fixed per series
 *   (BARS_PER_BLOCK nominal bars), so every block covers its own stretch of time and the blocks,
 *   walked on the primary key, yield the series in time order.
 */

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

interface SeriesRow {
  id: number
  span: number
  count: number
  first: number | null
  last: number | null
}

interface BlockRow {
  data: Buffer
}

function prepare(db: Db) {
  return {
    // Creates the series or refreshes its metadata, and returns what the upsert needs to go on.
    // The span is only taken on creation: an existing series keeps the span its blocks were cut by.
    touchSeries: db.prepare<[Record<string, unknown>], SeriesRow>(
      `INSERT INTO candle_series (source, symbol, timeframe, label, imported_from, updated_at, block_span)
       VALUES (@source, @symbol, @timeframe, @label, @importedFrom, @now, @span)
       ON CONFLICT (source, symbol, timeframe) DO UPDATE SET
         label = COALESCE(excluded.label, candle_series.label),
         imported_from = COALESCE(excluded.imported_from, candle_series.imported_from),
         updated_at = excluded.updated_at
       RETURNING id, block_span AS span, count, first, last`,
    ),
    setBounds: db.prepare<[number, number | null, number | null, number], void>(
      `UPDATE candle_series SET count = ?, first = ?, last = ? WHERE id = ?`,
    ),
    findSeries: db.prepare<[string, string, string], SeriesRow>(
      `SELECT id, block_span AS span, count, first, last FROM candle_series
       WHERE source = ? AND symbol = ? AND timeframe = ?`,
    ),
    readBlock: db.prepare<[number, number], BlockRow>(
      `SELECT data FROM candle_blocks WHERE series_id = ? AND block_start = ?`,
    ),
    writeBlock: db.prepare<[number, number, number, number, number, Buffer], void>(
      `INSERT INTO candle_blocks (series_id, block_start, count, first, last, data) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (series_id, block_start) DO UPDATE SET
         count = excluded.count, first = excluded.first, last = excluded.last, data = excluded.data`,
    ),
    // Newest first, so a latest-N read stops after the blocks it needs.
    blocksBackFrom: db.prepare<[number, number], BlockRow>(
      `SELECT data FROM candle_blocks WHERE series_id = ? AND block_start <= ? ORDER BY block_start DESC`,
    ),
    // A block starting at or before `from - span` ends before `from`, so it can be skipped.
    blocksBetween: db.prepare<[number, number, number], BlockRow>(
      `SELECT data FROM candle_blocks WHERE series_id = ? AND block_start > ? AND block_start <= ?
       ORDER BY block_start`,
    ),
    series: db.prepare<[], SeriesInfo>(
      `SELECT source, symbol, timeframe, label, imported_from AS importedFrom, count, first, last
       FROM candle_series ORDER BY source, symbol, timeframe`,
    ),
  }
}

/** Prepared once per connection. */
const stmts = perConnection(prepare)

/**
 * Writes bars (replacing any with the same open time; within `candles`, the last one with a time
 * wins) in one transaction; all or nothing. Input may be in any order. Throws a RangeError, before
 * touching the file, if a bar's time is not a whole number of ms or a value is not finite.
 */
export function upsertCandles(
  db: Db,
  key: SeriesKey,
  candles: readonly Candle[],
  meta: { label?: string; importedFrom?: string } = {},
): number {
  const span = blockSpanMs(key.timeframe)
  validateBars(key, candles)
  const bars = sortedUnique(candles)
  const s = stmts(db)
  db.transaction(() => {
    const series = s.touchSeries.get({
      source: key.source,
      symbol: key.symbol,
      timeframe: key.timeframe,
      label: meta.label ?? null,
      importedFrom: meta.importedFrom ?? null,
      now: Date.now(),
      span,
    })!
    let { count, first, last } = series
    // Each run of bars falling into the same block is merged into it with one read and one write.
    for (let i = 0; i < bars.length;) {
      const start = blockStartOf(bars[i]!.time, series.span)
      let end = i + 1
      while (end < bars.length && bars[end]!.time < start + series.span) end++
      const row = s.readBlock.get(series.id, start)
      const existing = row ? decode(row, key) : null
      const merged = mergeIntoBlock(existing, bars, i, end)
      const b = merged.block
      s.writeBlock.run(series.id, start, b.count, b.values[0]!, b.values[b.count - 1]!, merged.data)
      count += b.count - (existing?.count ?? 0)
      i = end
    }
    if (bars.length > 0) {
      first = Math.min(first ?? Infinity, bars[0]!.time)
      last = Math.max(last ?? -Infinity, bars[bars.length - 1]!.time)
      s.setBounds.run(count, first, last, series.id)
    }
  })()
  return candles.length
}

/** The newest `limit` bars at or before `to`, oldest first, as columns. A limit below 1 reads none. */
export function readLatestCandles(db: Db, key: SeriesKey, to: number, limit: number): CandleColumns {
  const s = stmts(db)
  const series = s.findSeries.get(key.source, key.symbol, key.timeframe)
  // Slices [from, to) of blocks, newest first, collected until `limit` bars are found.
  const slices: { block: Block; from: number; to: number }[] = []
  let wanted = Math.floor(limit)
  if (series && wanted > 0) {
    for (const row of s.blocksBackFrom.iterate(series.id, to)) {
      const block = decode(row, key)
      const end = upperBound(block, to)
      const take = Math.min(end, wanted)
      if (take > 0) slices.push({ block, from: end - take, to: end })
      wanted -= take
      if (wanted === 0) break
    }
  }
  return slicesToColumns(slices.reverse())
}

/** Every bar with `from <= time <= to`, oldest first. */
export function readCandleRange(db: Db, key: SeriesKey, from: number, to: number): Candle[] {
  const s = stmts(db)
  const series = s.findSeries.get(key.source, key.symbol, key.timeframe)
  const out: Candle[] = []
  if (!series) return out
  for (const row of s.blocksBetween.iterate(series.id, from - series.span, to)) {
    const block = decode(row, key)
    const v = block.values
    const n = block.count
    for (let i = lowerBound(block, from), end = upperBound(block, to); i < end; i++) {
      out.push({
        time: v[i]!,
        open: v[n + i]!,
        high: v[2 * n + i]!,
        low: v[3 * n + i]!,
        close: v[4 * n + i]!,
        volume: v[5 * n + i]!,
      })
    }
  }
  return out
}

export function seriesBounds(
  db: Db,
  key: SeriesKey,
): { count: number; first: number | null; last: number | null } {
  const series = stmts(db).findSeries.get(key.source, key.symbol, key.timeframe)
  return series
    ? { count: series.count, first: series.first, last: series.last }
    : { count: 0, first: null, last: null }
}

export function listSeries(db: Db): SeriesInfo[] {
  return stmts(db).series.all()
}

function decode(row: BlockRow, key: SeriesKey): Block {
  try {
    return decodeBlock(row.data)
  } catch (err) {
    if (!(err instanceof BlockFormatError)) throw err
    throw new BlockFormatError(`The stored bars of ${describe(key)} are damaged: ${err.message}`)
  }
}

function describe(key: SeriesKey): string {
  return `${key.source} ${key.symbol} ${key.timeframe}`
}

/** Refuses what the blocks cannot hold faithfully, naming the first offending bar. */
function validateBars(key: SeriesKey, candles: readonly Candle[]): void {
  // Plain comparisons in the loop (no closures or per-bar arrays): this runs for every bar stored.
  for (let i = 0; i < candles.length; i++) {
    const c = candles[i]!
    if (
      Number.isSafeInteger(c.time) &&
      Number.isFinite(c.open) &&
      Number.isFinite(c.high) &&
      Number.isFinite(c.low) &&
      Number.isFinite(c.close) &&
      Number.isFinite(c.volume)
    ) {
      continue
    }
    throw new RangeError(`Cannot store bar ${i} of ${describe(key)}: ${whatIsWrong(c)}; nothing was written`)
  }
}

function whatIsWrong(c: Candle): string {
  if (!Number.isSafeInteger(c.time)) return `its time ${c.time} is not a whole number of milliseconds`
  for (const f of VALUE_FIELDS) if (!Number.isFinite(c[f])) return `its ${f} ${c[f]} is not a finite number`
  return 'it is not a bar'
}

const VALUE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const

/** The bars sorted by time with one per time (the last given wins); the input itself if already so. */
function sortedUnique(candles: readonly Candle[]): readonly Candle[] {
  let sorted = true
  for (let i = 1; i < candles.length && sorted; i++) sorted = candles[i - 1]!.time < candles[i]!.time
  if (sorted) return candles
  // Sorting by (time, position) puts repeats of a time in input order; keep the last of each run.
  const order = Array.from(candles.keys()).sort((a, b) => candles[a]!.time - candles[b]!.time || a - b)
  const out: Candle[] = []
  for (let k = 0; k < order.length; k++) {
    const c = candles[order[k]!]!
    const next = order[k + 1]
    if (next === undefined || candles[next]!.time !== c.time) out.push(c)
  }
  return out
}

/** Copies block slices (oldest first) into plain arrays, the shape CandleColumns promises. */
function slicesToColumns(slices: readonly { block: Block; from: number; to: number }[]): CandleColumns {
  let total = 0
  for (const sl of slices) total += sl.to - sl.from
  const cols = [0, 1, 2, 3, 4, 5].map(() => new Array<number>(total))
  let at = 0
  for (const { block, from, to } of slices) {
    const n = block.count
    const v = block.values
    for (let c = 0; c < 6; c++) {
      const out = cols[c]!
      const base = c * n
      for (let i = from, k = at; i < to; i++, k++) out[k] = v[base + i]!
    }
    at += to - from
  }
  const [time, open, high, low, close, volume] = cols as [
    number[],
    number[],
    number[],
    number[],
    number[],
    number[],
  ]
  return { time, open, high, low, close, volume }
}
