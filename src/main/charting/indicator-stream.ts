import { AppError, type AppErrorShape } from '../../shared/contract/errors'
import type { IndicatorInstance, LiveIndicatorEvent } from '../../shared/contract/charting'
import { candleAt, type Candle, type CandleColumns } from '../../shared/domain/candles'
import { timeframeMs, type Timeframe } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import type { IndicatorStream } from '../indicators'
import type { CandleUpdates } from '../market/candle-updates'
import { readCandles, readCandlesInSlices } from '../market/slices'
import type { BarSource } from './bars'
import { nullable, resolveInstances } from './instances'
import { withWarmup } from './window'

export interface IndicatorStreamRequest {
  source: string
  symbol: string
  timeframe: Timeframe
  instances: IndicatorInstance[]
  from: number
  after: number
}

export interface IndicatorStreamDeps {
  bars: BarSource
  clock: Clock
  /** The series' live candles (the market's; tests pass a manual one). */
  candleUpdates: CandleUpdates
}

/** Bars replayed per turn of the event loop while a stream catches up with its history. */
const REPLAY_SLICE = 4_000
/** At most this many closed bars after `after` are sent on start; older ones come from `charting.series`. */
export const MAX_CATCH_UP = 500

const DAY = 86_400_000

/**
 * `charting.live`. Starts the library's streaming form of every instance from the same bar
 * `charting.series` starts its batch computation (warm-up anchored at `from`), replays the
 * closed bars in slices so the event loop never stalls, then follows the forming bar:
 * - each forming-bar change: the `preview` of every instance, sent only when a value changed;
 * - each closed bar: `update` (the committed values, equal to the batch values), sent once.
 * Closed bars the watcher skipped (a stalled timer) are read and committed in order.
 */
export function startIndicatorStream(
  deps: IndicatorStreamDeps,
  req: IndicatorStreamRequest,
  emit: (e: LiveIndicatorEvent) => void,
  end: (error?: AppErrorShape) => void,
): () => void {
  const resolved = resolveInstances(req.instances, 'params.instances')
  if (!deps.candleUpdates.follows(req.source, req.symbol)) {
    throw new AppError(
      'unavailable',
      `${req.symbol} from ${req.source} is a stored history with no live feed`,
      'params.source',
    )
  }
  const { bars, clock } = deps
  const streams: IndicatorStream[] = resolved.map((r) => r.descriptor.createStream(r.params))
  let stopped = false
  let stopWatch: (() => void) | null = null
  let lastCommitted = -Infinity
  let lastPreview: LiveIndicatorEvent | null = null

  const fail = (err: unknown): void => {
    if (stopped) return
    stopped = true
    stopWatch?.()
    end(err instanceof AppError ? err.toShape() : { kind: 'internal', message: 'indicator stream failed' })
  }

  const commit = (bar: Candle): LiveIndicatorEvent => {
    const values = streams.map((s) => nullable(s.update(bar)))
    lastCommitted = bar.time
    return { time: bar.time, closed: true, values }
  }

  /** Commits every closed bar after the last committed one up to `through` (inclusive). */
  const commitThrough = (through: number): void => {
    if (through <= lastCommitted) return
    const now = clock.now()
    const tfMs = minBarMs(req.timeframe)
    const count = Math.min(200_000, Math.floor((through - lastCommitted) / tfMs) + 2)
    const cols = readCandles(bars, req.source, req.symbol, req.timeframe, through, count, now)
    for (let i = 0; i < cols.time.length; i++) {
      if (cols.time[i]! <= lastCommitted) continue
      emit(commit(candleAt(cols, i)))
    }
  }

  const onCandle = (e: { candle: Candle; closed: boolean }): void => {
    if (stopped) return
    try {
      const { candle } = e
      if (e.closed) {
        commitThrough(candle.time)
        return
      }
      if (candle.time <= lastCommitted) return
      // Bars that closed while nobody was watching (or while replaying) come first.
      commitThrough(candle.time - 1)
      const values = streams.map((s) => nullable(s.preview(candle)))
      const prev = lastPreview
      if (prev && prev.time === candle.time && sameValues(prev.values, values)) return
      lastPreview = { time: candle.time, closed: false, values }
      emit(lastPreview)
    } catch (err) {
      fail(err)
    }
  }

  const replay = async (): Promise<void> => {
    const now = clock.now()
    const count = Math.min(200_000, Math.floor((now - req.from) / minBarMs(req.timeframe)) + 2)
    const fetched = await readCandlesInSlices(
      bars,
      req.source,
      req.symbol,
      req.timeframe,
      now,
      Math.max(1, count),
      now,
    )
    const shown = sliceFrom(fetched, req.from)
    const win = await withWarmup(
      bars,
      req,
      shown,
      resolved.map((r) => r.rule),
      now,
    )
    const { series, first } = win
    const n = series.time.length
    const catchUpFrom = Math.max(first, n - MAX_CATCH_UP)
    const pending: LiveIndicatorEvent[] = []
    const lo = Math.min(...win.starts, n)
    for (let i = lo; i < n;) {
      if (stopped) return
      const end = Math.min(n, i + REPLAY_SLICE)
      for (; i < end; i++) {
        const bar: Candle = {
          time: series.time[i]!,
          open: series.open[i]!,
          high: series.high[i]!,
          low: series.low[i]!,
          close: series.close[i]!,
          volume: series.volume[i]!,
        }
        const values: (number | null)[][] = []
        streams.forEach((s, k) => {
          values.push(i >= win.starts[k]! ? nullable(s.update(bar)) : [])
        })
        if (i >= catchUpFrom && bar.time > req.after) pending.push({ time: bar.time, closed: true, values })
      }
      if (i < n) await new Promise<void>((r) => setImmediate(r))
    }
    if (stopped) return
    lastCommitted = n > 0 ? series.time[n - 1]! : req.from - 1
    for (const e of pending) emit(e)
    stopWatch = deps.candleUpdates.watch(req.source, req.symbol, req.timeframe, {
      emit: onCandle,
      end: (error) => fail(error),
    })
  }

  replay().catch(fail)
  return () => {
    stopped = true
    stopWatch?.()
  }
}

/** The shortest a bar of `tf` can be, to bound how many bars fit in a span. */
function minBarMs(tf: Timeframe): number {
  return tf === '1M' ? 28 * DAY : timeframeMs(tf)
}

function sliceFrom(c: CandleColumns, from: number): CandleColumns {
  let i = 0
  while (i < c.time.length && c.time[i]! < from) i++
  if (i === 0) return c
  return {
    time: c.time.slice(i),
    open: c.open.slice(i),
    high: c.high.slice(i),
    low: c.low.slice(i),
    close: c.close.slice(i),
    volume: c.volume.slice(i),
  }
}

function sameValues(a: (number | null)[][], b: (number | null)[][]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x.length !== y.length) return false
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false
  }
  return true
}
