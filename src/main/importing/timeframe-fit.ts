import type { Candle } from '../../shared/domain/candles'
import {
  TIMEFRAMES,
  bucketStart,
  nextBucket,
  timeframeMs,
  type Timeframe,
} from '../../shared/domain/timeframes'
import { CandleFileError, sortIssues, type RowIssue } from './issues'
import type { ReadRows } from './row-order'
import { iso } from './time-text'

export interface FittedRows {
  /** Bars with `time` moved to their bucket's open time; empty if issues and not skipBad. */
  candles: Candle[]
  issues: RowIssue[]
  /** How many bars' times were moved to their bucket's open time. */
  normalisedRows: number
}

/**
 * Puts a file's bars on the grid of the timeframe the user named. The rule:
 *
 * 1. Each bar's time is moved to the open time of the bucket that contains it (bucketStart).
 *    Files date bars differently: backtesting.py dates monthly bars at month end (2012-01-31
 *    becomes 2012-01-01), backtrader dates weekly bars on Friday (which becomes that week's
 *    Monday). Any date inside the bar lands on the right bar. A bar stamped with its *close*
 *    time (10:00 for 09:00-10:00) cannot be told apart and would land one bar late.
 * 2. The file's spacing must match: if most neighbouring rows fall in the same bucket the
 *    file is finer than the timeframe (hourly rows imported as 1d), and if most skip one or
 *    more buckets it is coarser (weekly rows imported as 1d). Either refuses the whole file,
 *    naming the timeframe the rows look like, since storing it would merge or mislabel bars.
 *    Occasional missing bars (weekends, holidays, quiet minutes) are gaps, not errors.
 * 3. A row that still shares a bucket with the row before it is an issue (a duplicate bar).
 */
export function fitToTimeframe(rows: ReadRows, tf: Timeframe, file: string, skipBad: boolean): FittedRows {
  const src = rows.candles
  const buckets = src.map((c) => bucketStart(c.time, tf))
  checkSpacing(src, buckets, tf, file)
  const candles: Candle[] = []
  const issues: RowIssue[] = [...rows.issues]
  let normalisedRows = 0
  let prev = -1
  for (let i = 0; i < src.length; i++) {
    const b = buckets[i]!
    const c = src[i]!
    if (prev >= 0 && buckets[prev] === b) {
      const message = `falls in the same ${tf} bar (opening ${iso(b)}) as line ${rows.locate(prev).line}: duplicate bar`
      issues.push({ file, ...rows.locate(i), field: 'time', message })
      continue
    }
    if (b !== c.time) normalisedRows++
    candles.push(b === c.time ? c : { ...c, time: b })
    prev = i
  }
  sortIssues(issues)
  return { candles: issues.length > 0 && !skipBad ? [] : candles, issues, normalisedRows }
}

function checkSpacing(src: readonly Candle[], buckets: readonly number[], tf: Timeframe, file: string): void {
  const pairs = buckets.length - 1
  if (pairs < 2) return
  const { same, far } = stepCounts(buckets, tf)
  if (same * 2 <= pairs && far * 2 <= pairs) return
  const spacing = medianSpacing(src)
  const looksLike = bestTimeframe(src)
  const hint =
    looksLike && looksLike !== tf
      ? `; they look like ${looksLike} bars: import with --timeframe ${looksLike}`
      : ''
  const relation = same * 2 > pairs ? 'finer' : 'coarser'
  throw new CandleFileError(
    file,
    `the rows are typically ${describeMs(spacing)} apart, ${relation} than the ${tf} timeframe` +
      ` (${same} of ${pairs} neighbouring rows share a ${tf} bar, ${far} skip one or more)${hint}`,
  )
}

/** Neighbouring pairs in the same bucket, and pairs more than one bucket apart. */
function stepCounts(buckets: readonly number[], tf: Timeframe): { same: number; far: number } {
  let same = 0
  let far = 0
  for (let i = 1; i < buckets.length; i++) {
    const a = buckets[i - 1]!
    const b = buckets[i]!
    if (a === b) same++
    else if (b !== nextBucket(a, tf)) far++
  }
  return { same, far }
}

/** The timeframe under which most neighbouring rows are exactly one bar apart, if any. */
function bestTimeframe(src: readonly Candle[]): Timeframe | undefined {
  let best: Timeframe | undefined
  let bestShare = 0.5
  for (const tf of TIMEFRAMES) {
    const buckets = src.map((c) => bucketStart(c.time, tf))
    const { same, far } = stepCounts(buckets, tf)
    const pairs = buckets.length - 1
    const share = (pairs - same - far) / pairs
    if (share > bestShare) {
      best = tf
      bestShare = share
    }
  }
  return best
}

function medianSpacing(src: readonly Candle[]): number {
  const d: number[] = []
  for (let i = 1; i < src.length; i++) d.push(src[i]!.time - src[i - 1]!.time)
  d.sort((a, b) => a - b)
  return d[d.length >> 1] ?? 0
}

function describeMs(ms: number): string {
  const units: [number, string][] = [
    [timeframeMs('1d'), 'day'],
    [timeframeMs('1h'), 'hour'],
    [timeframeMs('1m'), 'minute'],
    [1000, 'second'],
  ]
  for (const [size, name] of units) {
    if (ms >= size) {
      const n = Math.round((ms / size) * 10) / 10
      return `${n} ${name}${n === 1 ? '' : 's'}`
    }
  }
  return `${ms} ms`
}
