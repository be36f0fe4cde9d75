import type { CandleColumns } from '../../shared/domain/candles'
import { timeframeMs, type Timeframe } from '../../shared/domain/timeframes'
import type { CandleSeries } from '../indicators'
import { readCandlesInSlices, runInSlices } from '../market/slices'
import type { BarSource } from './bars'
import { sessionStart } from '../indicators/core/sessions'
import { fetchBars, type WarmupRule } from './warmup'

/** Bars with their warm-up history in front, and where each rule starts computing. */
export interface BarWindow {
  /** Warm-up bars followed by the shown bars. */
  series: CandleSeries
  /** Index in `series` of the first shown bar. */
  first: number
  /** Per rule: the bar its computation starts at. */
  starts: number[]
  /** Per rule: whether its warm-up was fully available (or the history starts within it). */
  complete: boolean[]
}

/** Warm-up reads go back in steps: a stored history with gaps can return fewer bars than asked. */
const MAX_READS = 8

/**
 * Puts the warm-up history each rule needs in front of `shown` (the bars a chart shows, exactly
 * as `market.candles` returned them). Reads once for the largest need, walking further back
 * only when a read comes back short. Reads and copies in slices (market/slices.ts): a
 * cumulative indicator's warm-up can be the whole history.
 */
export async function withWarmup(
  bars: BarSource,
  ref: { source: string; symbol: string; timeframe: Timeframe },
  shown: CandleColumns,
  rules: readonly WarmupRule[],
  now: number,
): Promise<BarWindow> {
  const tfMs = timeframeMs(ref.timeframe)
  const wanted = rules.reduce((m, r) => Math.max(m, fetchBars(r, tfMs)), 0)
  const chunks: CandleColumns[] = []
  let have = 0
  let historyStart = false
  const firstShown = shown.time[0]
  if (firstShown === undefined) {
    return {
      series: await runInSlices(concat([shown])),
      first: 0,
      starts: rules.map(() => 0),
      complete: rules.map(() => true),
    }
  }
  let before = firstShown - 1
  for (let read = 0; have < wanted && read < MAX_READS; read++) {
    const got = await readCandlesInSlices(
      bars,
      ref.source,
      ref.symbol,
      ref.timeframe,
      before,
      wanted - have,
      now,
    )
    if (got.time.length === 0) {
      historyStart = true
      break
    }
    chunks.unshift(got)
    have += got.time.length
    before = got.time[0]! - 1
  }
  const series = await runInSlices(concat([...chunks, shown]))
  const first = have
  const starts = rules.map((rule) => startFor(rule, series.time, first))
  const complete = rules.map((rule, i) => {
    const start = starts[i]!
    const atHistoryStart = start === 0 && historyStart
    switch (rule.kind) {
      case 'window':
      case 'decay':
      case 'path':
        return first - start >= rule.bars || atHistoryStart
      case 'session':
        return start > 0 || atHistoryStart
      case 'all':
        return atHistoryStart
    }
  })
  return { series, first, starts, complete }
}

const COLUMNS = ['time', 'open', 'high', 'low', 'close', 'volume'] as const

function startFor(rule: WarmupRule, time: Float64Array, first: number): number {
  switch (rule.kind) {
    case 'window':
    case 'decay':
    case 'path':
      return Math.max(0, first - rule.bars)
    case 'session': {
      if (first >= time.length) return first
      const start = sessionStart(rule.anchor, time[first]!)
      let i = first
      while (i > 0 && time[i - 1]! >= start) i--
      return i
    }
    case 'all':
      return 0
  }
}

/** The parts' columns end to end, a pause possible after each part's column. */
function* concat(parts: CandleColumns[]): Generator<void, CandleSeries, undefined> {
  const n = parts.reduce((s, p) => s + p.time.length, 0)
  const out: CandleSeries = {
    time: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  }
  let at = 0
  for (const p of parts) {
    for (const key of COLUMNS) {
      out[key].set(p[key], at)
      yield
    }
    at += p.time.length
  }
  return out
}
