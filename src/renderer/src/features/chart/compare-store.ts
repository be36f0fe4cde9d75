import { create } from 'zustand'
import { maxBarsIn, type Timeframe } from '../../../../shared/domain/timeframes'
import { MAX_BARS_PER_REQUEST } from '../../../../shared/contract/market'
import { slot } from '../../sync/index'
import { reportError } from '../notices/store'
import { compareKey, readCompares, saveCompares, withCompare, type CompareItem } from './compare-model'
import { findSymbol, offeredTimeframes, useTradeStore, type LoadedSeries } from './store'

/** One compared symbol and its bars at the chart's timeframe. */
export interface CompareLine extends CompareItem {
  key: string
  state: 'loading' | 'ready' | 'error'
  error: string | null
  /** Its bars (open times in ms and closes), oldest first; the forming bar last while live. */
  times: number[]
  closes: number[]
  /** Bumped when the bars are replaced (a load); a live update changes only the last bar. */
  rev: number
  /** The timeframe of `times` (null before the first load). */
  timeframe: Timeframe | null
}

interface CompareState {
  lines: CompareLine[]
}

const blank = (item: CompareItem): CompareLine => ({
  ...item,
  key: compareKey(item),
  state: 'loading',
  error: null,
  times: [],
  closes: [],
  rev: 0,
  timeframe: null,
})

export const useCompare = create<CompareState>()(() => ({ lines: readCompares().map(blank) }))

const set = useCompare.setState
const get = useCompare.getState
/** The compared bars of the chart's series now: a new series or list replaces them all. */
const feed = slot()
let rev = 0

const items = (): CompareItem[] => get().lines.map(({ source, symbol, color }) => ({ source, symbol, color }))

/** Adds a symbol to the chart's compare lines (stored for the chart), or says why not. */
export function addCompare(source: string, symbol: string): void {
  const { selected } = useTradeStore.getState()
  const next = withCompare(items(), { source, symbol }, selected)
  if (typeof next === 'string') {
    reportError('Could not compare', { kind: 'validation', message: next })
    return
  }
  saveCompares(next)
  set({ lines: [...get().lines, blank(next.at(-1)!)] })
  void reload()
}

export function removeCompare(key: string): void {
  const lines = get().lines.filter((l) => l.key !== key)
  saveCompares(lines.map(({ source, symbol, color }) => ({ source, symbol, color })))
  set({ lines })
  // Its live feed stops with the others; the rest are read again.
  if (lines.length === 0) feed.close()
  else void reload()
}

function patch(key: string, change: Partial<CompareLine>): void {
  set({ lines: get().lines.map((l) => (l.key === key ? { ...l, ...change } : l)) })
}

/**
 * Follows the chart's series: each time its bars change (another symbol or timeframe, an
 * older page, a reload) the compared symbols' bars are read again over the same span, and the
 * live ones follow their forming bar. Returns the function that stops.
 */
export function followCompares(): () => void {
  let shown: LoadedSeries | null = null
  const check = (): void => {
    const { series, seriesState } = useTradeStore.getState()
    if (seriesState !== 'ready' || series === shown) return
    shown = series
    void reload()
  }
  check()
  const off = useTradeStore.subscribe(check)
  return () => {
    off()
    feed.close()
  }
}

async function reload(): Promise<void> {
  const { series, allSymbols, symbols } = useTradeStore.getState()
  const lines = get().lines
  if (!series || lines.length === 0) return
  const mine = feed.open()
  const { timeframe } = series
  const first = series.columns.time[0]
  // Enough bars to reach back to the chart's first bar (a month counted at its shortest).
  const limit = Math.min(
    MAX_BARS_PER_REQUEST,
    first === undefined ? 1000 : maxBarsIn(Date.now() - first, timeframe) + 2,
  )
  await Promise.all(
    lines.map(async (line) => {
      const info = findSymbol(symbols, line) ?? findSymbol(allSymbols, line)
      if (!info) {
        patch(line.key, { state: 'error', error: 'not listed now', times: [], closes: [], rev: ++rev })
        return
      }
      if (!offeredTimeframes(info).includes(timeframe)) {
        patch(line.key, { state: 'error', error: `no ${timeframe} bars`, times: [], closes: [], rev: ++rev })
        return
      }
      // Another timeframe's bars are dropped at once: at the new bar times some would match.
      if (line.timeframe !== timeframe) {
        patch(line.key, { state: 'loading', error: null, times: [], closes: [], rev: ++rev, timeframe })
      } else patch(line.key, { state: 'loading', error: null })
      const { source, symbol } = line
      // Live updates that come before the history are kept and applied after it.
      let early: { time: number; close: number }[] | null = []
      const onLive = (time: number, close: number): void => {
        const l = get().lines.find((x) => x.key === line.key)
        if (!l || l.state !== 'ready') return
        const last = l.times.length - 1
        if (last >= 0 && l.times[last] === time) l.closes[last] = close
        else if (last < 0 || l.times[last]! < time) {
          l.times.push(time)
          l.closes.push(close)
        } else return
        patch(line.key, {})
      }
      if (info.live) {
        mine.follow('market.liveCandle', { source, symbol, timeframe }, (e) => {
          if (early) early.push({ time: e.candle.time, close: e.candle.close })
          else onLive(e.candle.time, e.candle.close)
        })
      }
      const res = await mine.invoke('market.candles', { source, symbol, timeframe, limit })
      if (!res) return
      if (!res.ok) {
        patch(line.key, { state: 'error', error: res.error.message, times: [], closes: [], rev: ++rev })
        return
      }
      const c = res.value.candles
      patch(line.key, {
        state: 'ready',
        error: null,
        times: [...c.time],
        closes: [...c.close],
        rev: ++rev,
        timeframe,
      })
      const pending = early
      early = null
      for (const e of pending) onLive(e.time, e.close)
    }),
  )
}
