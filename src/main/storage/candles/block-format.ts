import type { Candle } from '../../../shared/domain/candles'
import { timeframeMs, type Timeframe } from '../../../shared/domain/timeframes'

/**
 * One candle block: the `data` BLOB of a `candle_blocks` row. Storing bars in blocks instead of one
 * SQLite row per bar is what makes reads fast: better-sqlite3 pays per row and per column, so 100k
 * bars as ~50 blobs cost a few copies instead of 600k value conversions.
 *
 * Layout (all little-endian):
 *
 *   byte 0      format version, BLOCK_FORMAT_VERSION (1); a reader refuses any other
 *   bytes 1-3   reserved, zero
 *   bytes 4-7   bar count k, uint32
 *   byte 8...   six Float64 columns of k values each, one after the other:
 *               time[k], open[k], high[k], low[k], close[k], volume[k]
 *
 * Total length is exactly 8 + 48k. Bars are sorted by time, strictly increasing. Times are whole
 * milliseconds, exact in a Float64 up to 2^53. The 8-byte header keeps every column 8-byte aligned
 * relative to the start of the blob, so a reader can view it through a Float64Array without copying.
 */
export const BLOCK_FORMAT_VERSION = 1
export const HEADER_BYTES = 8
/** Columns in storage order; column c of a k-bar block holds values [c·k, (c+1)·k). */
export const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const
const WIDTH = COLUMNS.length

/**
 * Nominal bars per block. A block covers a fixed span of BARS_PER_BLOCK nominal periods, so a
 * gap-free series fills it exactly; 2048 bars is a 96 KiB blob, large enough that reading 100k bars
 * touches ~50 rows, small enough that rewriting one block to change one bar stays cheap.
 */
export const BARS_PER_BLOCK = 2048

/** A decoded block: `values` holds the six columns back to back (see the layout above). */
export interface Block {
  count: number
  values: Float64Array
}

/** A block blob that does not match the layout: a damaged file or a newer Candlework wrote it. */
export class BlockFormatError extends Error {
  override readonly name = 'BlockFormatError'
}

// Float64Array uses the machine's byte order; the layout is little-endian. Every platform
// Candlework ships for is little-endian, so a big-endian machine is refused rather than supported.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

function assertLittleEndian(): void {
  if (!LITTLE_ENDIAN) throw new BlockFormatError('Candle blocks need a little-endian machine')
}

/**
 * Span in ms of one block of `tf`: BARS_PER_BLOCK nominal periods. For `1M` the nominal month is
 * 30 days; that is fine because the span only partitions time, it never has to match calendar
 * months, and a span of 2048×30 days holds fewer than 2048 real months.
 */
export function blockSpanMs(tf: Timeframe): number {
  const span = BARS_PER_BLOCK * timeframeMs(tf)
  if (!Number.isSafeInteger(span) || span <= 0) throw new RangeError(`Unknown timeframe ${String(tf)}`)
  return span
}

/**
 * Start of the block holding `time`: the largest multiple of `span` not above it. Exact for safe
 * integers: if time/span is not whole it is at least 1/span from the next integer, and the
 * division's rounding error is below time·2^-53/span < 1/span, so Math.floor never rounds up.
 */
export function blockStartOf(time: number, span: number): number {
  return Math.floor(time / span) * span
}

/** Allocates a k-bar block blob with its header written; fill `values` before storing it. */
function allocateBlock(count: number): { data: Buffer; block: Block } {
  assertLittleEndian()
  // Buffer.alloc never takes from the shared pool, so the memory starts at byteOffset 0 and the
  // Float64Array view below is aligned.
  const data = Buffer.alloc(HEADER_BYTES + WIDTH * 8 * count)
  data.writeUInt8(BLOCK_FORMAT_VERSION, 0)
  data.writeUInt32LE(count, 4)
  const values = new Float64Array(data.buffer, data.byteOffset + HEADER_BYTES, WIDTH * count)
  return { data, block: { count, values } }
}

/** Reads a blob; views it in place when aligned, copies it otherwise. Throws BlockFormatError. */
export function decodeBlock(data: Buffer): Block {
  assertLittleEndian()
  if (data.length < HEADER_BYTES)
    throw new BlockFormatError(`a candle block of ${data.length} bytes is too short`)
  const version = data.readUInt8(0)
  if (version !== BLOCK_FORMAT_VERSION) {
    throw new BlockFormatError(
      `a candle block has format version ${version}; this Candlework reads version 1`,
    )
  }
  const count = data.readUInt32LE(4)
  if (data.length !== HEADER_BYTES + WIDTH * 8 * count) {
    throw new BlockFormatError(`a candle block says ${count} bars but holds ${data.length} bytes`)
  }
  const start = data.byteOffset + HEADER_BYTES
  if (start % 8 === 0) return { count, values: new Float64Array(data.buffer, start, WIDTH * count) }
  // A Float64Array cannot start at an unaligned offset: copy the columns to fresh memory.
  const copy = new Uint8Array(WIDTH * 8 * count)
  copy.set(data.subarray(HEADER_BYTES))
  return { count, values: new Float64Array(copy.buffer) }
}

/**
 * Merges `bars[from..to)` (sorted by time, no repeats) into `existing` (or a new block) and
 * returns the encoded result; where both hold a bar with the same time, the incoming one wins.
 */
export function mergeIntoBlock(
  existing: Block | null,
  bars: readonly Candle[],
  from: number,
  to: number,
): { data: Buffer; block: Block } {
  const m = existing?.count ?? 0
  const ev = existing?.values ?? new Float64Array(0)

  // First pass on times only, to size the result exactly (the layout has no spare capacity).
  let count = 0
  for (let i = 0, j = from; i < m || j < to; count++) {
    const a = i < m ? ev[i]! : Infinity
    const b = j < to ? bars[j]!.time : Infinity
    if (a <= b) i++ // equal times are one bar: both sides step
    if (b <= a) j++
  }

  const out = allocateBlock(count)
  const v = out.block.values
  for (let i = 0, j = from, k = 0; k < count; k++) {
    const a = i < m ? ev[i]! : Infinity
    const b = j < to ? bars[j]!.time : Infinity
    if (b <= a) {
      const c = bars[j++]!
      v[k] = c.time
      v[count + k] = c.open
      v[2 * count + k] = c.high
      v[3 * count + k] = c.low
      v[4 * count + k] = c.close
      v[5 * count + k] = c.volume
      if (a === b) i++ // the stored bar with this time is replaced
    } else {
      for (let col = 0; col < WIDTH; col++) v[col * count + k] = ev[col * m + i]!
      i++
    }
  }
  return out
}

/** Index of the first bar of `block` with time >= `time` (count if none). */
export function lowerBound(block: Block, time: number): number {
  let lo = 0
  let hi = block.count
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (block.values[mid]! < time) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Index of the first bar of `block` with time > `time` (count if none). */
export function upperBound(block: Block, time: number): number {
  let lo = 0
  let hi = block.count
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (block.values[mid]! <= time) lo = mid + 1
    else hi = mid
  }
  return lo
}
