import type { CandleColumns } from '../../shared/domain/candles'
import type { Timeframe } from '../../shared/domain/timeframes'
import { DEMO_SOURCE, type DemoMarket } from '../demo'
import type { Db } from '../storage/database'
import { importedCandles } from './imported-series'

/**
 * How long a large answer may hold the event loop before it gives other work a turn. The
 * headless host serves `/healthz`, ticks and every other window from the same loop: a
 * 100,000-bar `charting.series` call is ~40-65 ms of main-thread work here (the demo bars, the
 * conversion of the worker's columns), which, in one piece, other requests wait behind.
 */
export const SLICE_MS = 8

const waiting: (() => void)[] = []
let turnScheduled = false

/**
 * Gives the event loop a turn: resolves on a later iteration of the loop, after its I/O.
 * Waiters go on one at a time, one per iteration, in the order they paused: several large
 * calls pausing together would otherwise all go on in the same check phase (`setImmediate`
 * runs every callback queued before it started), back to back, ahead of any I/O.
 */
export function pause(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve)
    if (!turnScheduled) {
      turnScheduled = true
      setImmediate(nextTurn)
    }
  })
}

function nextTurn(): void {
  const resolve = waiting.shift()
  // Queued from within the check phase, so it runs on the next iteration.
  if (waiting.length > 0) setImmediate(nextTurn)
  else turnScheduled = false
  resolve?.()
}

/**
 * Runs `steps` to its end, pausing at a yield once `sliceMs` has passed since the last pause:
 * no pause at all for work shorter than that, one every `sliceMs` or so (plus a step) for longer.
 */
export async function runInSlices<T>(
  steps: Generator<void, T, undefined>,
  sliceMs: number = SLICE_MS,
): Promise<T> {
  let since = performance.now()
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
    if (performance.now() - since >= sliceMs) {
      await pause()
      since = performance.now()
    }
  }
}

/** Where candles are read from: the demo market, or the histories stored in the database. */
export interface CandleSources {
  db: Db
  demo: DemoMarket
}

/**
 * The newest `limit` closed bars at or before `to`, as `market.candles` answers them, in steps:
 * the demo market builds its bars a day at a time; a stored history is read in one step
 * (100,000 bars from column blocks take ~5 ms). The one place that says which source backs a
 * request, for the chart, its indicators and `market.candles` alike.
 */
export function* candleSteps(
  { db, demo }: CandleSources,
  source: string,
  symbol: string,
  tf: Timeframe,
  to: number,
  limit: number,
  now: number,
): Generator<void, CandleColumns, undefined> {
  if (source === DEMO_SOURCE) return yield* demo.candleSteps(symbol, tf, to, limit, now)
  return importedCandles(db, source, symbol, tf, to, limit)
}

/** `candleSteps` at once, for small reads (a few bars for a live update). */
export function readCandles(...args: Parameters<typeof candleSteps>): CandleColumns {
  const steps = candleSteps(...args)
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

/** `candleSteps` with pauses between slices (`runInSlices`), for large reads. */
export function readCandlesInSlices(...args: Parameters<typeof candleSteps>): Promise<CandleColumns> {
  return runInSlices(candleSteps(...args))
}
