import type { EventOf } from '../../../../shared/contract'
import type { Candle } from '../../../../shared/domain/candles'
import type { Timeframe } from '../../../../shared/domain/timeframes'
import { onReconnected } from '../../connection'
import { slot } from '../../sync/index'
import { type Scope } from '../../sync/scope'
import { reportError } from '../notices/store'
import { savePreferences } from '../settings/actions'
import { usePreferences } from '../settings/store'
import { olderPageTo, prependColumns } from '../../../../shared/domain/candle-pages'
import { HISTORY_PAGE } from './history-paging'
import { saveChartPrefs, sortTimeframes, type ChartPrefs } from './chart-style'
import { readSelection, saveSelection } from './persist'
import {
  BARS_PER_VIEW,
  DEFAULT_TIMEFRAME,
  findSymbol,
  nearestTimeframe,
  offeredTimeframes,
  seriesKey,
  symbolKey,
  useTradeStore,
  type MarketScope,
  type Ticker,
} from './store'
import type { SymbolInfo } from '../../../../shared/contract/market'

/** The demo market's source (the engine's DEMO_SOURCE). */
const DEMO_SOURCE = 'demo'

type LiveEvent = EventOf<'market.liveCandle'>
type TickerEvent = EventOf<'market.tickers'>

/** The Trade view while it is open (the symbol list, live tickers): earlier answers are dropped. */
const view = slot()
/** The series on the chart: a new request replaces the last, whose answers and bars are dropped. */
const seriesFeed = slot()

const get = useTradeStore.getState
const set = useTradeStore.setState

/**
 * Opens the Trade view's feeds: the symbol list, live tickers, and the selected series (the
 * one saved last time, else the first symbol). Returns the function that closes them all.
 */
export function openTrade(): () => void {
  const mine = view.open()
  mine.follow('market.tickers', {}, onTicker, { endTitle: 'Live prices stopped' })
  // A series imported meanwhile (by the CLI too) joins the list without a reload.
  mine.follow('market.symbolsChanged', {}, () => void refreshSymbols(mine), {
    endTitle: 'The symbol list stopped following imports',
  })
  void loadSymbols(mine)
  // The live streams come back by themselves; bars that closed while away need the history again,
  // and the list what was imported while the host was stopped.
  mine.onClose(
    onReconnected(() => {
      void refreshSymbols(mine)
      if (get().selected) void loadSeries({ refresh: true })
    }),
  )
  return () => {
    if (!mine.active) return
    view.close(mine)
    seriesFeed.close()
  }
}

export async function loadSymbols(mine: Scope | null = view.current): Promise<void> {
  if (!mine) return
  set({ symbolsState: 'loading' })
  const res = await mine.invoke('market.symbols', {})
  if (!res) return
  if (!res.ok) {
    set({ symbolsState: 'error' })
    reportError('Could not load the symbol list', res.error, {
      label: 'Retry',
      run: () => void loadSymbols(),
    })
    return
  }
  const symbols = res.value
  set((s) => ({ allSymbols: symbols, symbolsState: 'ready', tickers: seedTickers(s.tickers, symbols) }))
  // An exchange account's market is listed instead: this list waits for the demo market's turn.
  if (get().scope !== null) return
  set({ symbols })

  const { selected, timeframe } = get()
  const wanted = selected ? { ...selected, timeframe } : readSelection()
  const info = (wanted && findSymbol(symbols, wanted)) ?? symbols[0]
  if (!info) {
    set({ selected: null, series: null, seriesState: 'idle' })
    return
  }
  const tf = nearestTimeframe(offeredTimeframes(info), wanted?.timeframe ?? DEFAULT_TIMEFRAME)
  // Coming back to the Trade view: the series left on screen stays until its fresh bars arrive
  // (a blank chart in between read as "no data"); another series still starts blank.
  applySelection(info, tf ?? DEFAULT_TIMEFRAME, { refresh: true })
}

/**
 * Asks for the symbol list again and swaps it in, leaving the chart as it is (an import, a
 * reconnect). A failure keeps the list on screen: the next change or reconnect asks again.
 */
export async function refreshSymbols(mine: Scope | null = view.current): Promise<void> {
  if (!mine || get().symbolsState !== 'ready') return
  const res = await mine.invoke('market.symbols', {})
  if (!res?.ok) return
  const symbols = res.value
  set((s) => ({ allSymbols: symbols, tickers: seedTickers(s.tickers, symbols) }))
  if (get().scope === null) set({ symbols })
}

export function selectSymbol(source: string, symbol: string): void {
  const { symbols, selected, timeframe } = get()
  if (selected?.source === source && selected.symbol === symbol) return
  const info = findSymbol(symbols, { source, symbol })
  if (!info) return
  applySelection(info, nearestTimeframe(offeredTimeframes(info), timeframe) ?? timeframe)
}

export function selectTimeframe(tf: Timeframe): void {
  const { selected, timeframe, symbols } = get()
  if (!selected || tf === timeframe) return
  const info = findSymbol(symbols, selected)
  if (info && !offeredTimeframes(info).includes(tf)) return
  set({ timeframe: tf })
  saveSelection({ ...selected, timeframe: tf }, get().scope?.source)
  void loadSeries()
}

/**
 * Charts `symbol` of `source` at `tf` (an alert's series): at once when the Trade view has its
 * list, else remembered so that opening the Trade view shows it.
 */
export function showSeries(source: string, symbol: string, tf: Timeframe): void {
  const info = findSymbol(get().symbols, { source, symbol })
  if (info && view.current) {
    if (offeredTimeframes(info).includes(tf)) applySelection(info, tf)
    return
  }
  set({ selected: { source, symbol }, timeframe: tf, lastSymbol: symbol })
  saveSelection({ source, symbol, timeframe: tf }, get().scope?.source)
}

function applySelection(info: SymbolInfo, tf: Timeframe, load: { refresh?: boolean } = {}): void {
  const selected = { source: info.source, symbol: info.symbol }
  set({ selected, timeframe: tf, lastSymbol: info.symbol })
  saveSelection({ ...selected, timeframe: tf }, get().scope?.source)
  void loadSeries(load)
}

/**
 * The selected trading account's market decides what is listed and charted: an exchange's
 * (`scope`) lists only its symbols and charts only its prices, and while it is not loaded lists
 * and charts nothing (never the demo market in its place); null, the demo market, lists every
 * chartable symbol. The chart stays on the same symbol where the new list has it.
 */
export function setMarketScope(next: MarketScope | null): void {
  const prev = get().scope
  if (next === null) {
    if (prev === null) return
    set({ scope: null })
    showList(get().allSymbols, DEMO_SOURCE, undefined)
    return
  }
  set({ scope: next })
  if (next.state !== 'ready') {
    if (get().selected !== null || get().symbols.length > 0) {
      seriesFeed.close()
      set({ symbols: [], selected: null, series: null, seriesState: 'idle', seriesError: null, live: null })
    }
    return
  }
  showList(next.symbols, next.source, next.source)
}

/** Lists `symbols` and selects the same symbol from `source` if listed, else the saved or first one. */
function showList(symbols: SymbolInfo[], source: string, scope: string | undefined): void {
  set((s) => ({ symbols, tickers: seedTickers(s.tickers, symbols) }))
  const { selected, timeframe } = get()
  if (selected && selected.source === source && findSymbol(symbols, selected)) return
  const symbol = selected?.symbol ?? get().lastSymbol
  const same = symbol === null ? undefined : findSymbol(symbols, { source, symbol })
  const saved = readSelection(scope)
  const info =
    same ?? (saved && findSymbol(symbols, saved)) ?? symbols.find((x) => x.source === source) ?? symbols[0]
  if (!info) {
    seriesFeed.close()
    set({ selected: null, series: null, seriesState: 'idle', live: null })
    return
  }
  const wanted = same ? timeframe : (saved?.timeframe ?? timeframe)
  applySelection(info, nearestTimeframe(offeredTimeframes(info), wanted) ?? DEFAULT_TIMEFRAME)
}

/**
 * Loads the selected series. The live feed is subscribed first and buffered, so a bar that
 * closes while the history is in flight is not lost; answers to superseded requests are
 * dropped, so fast switching never shows the wrong series. `refresh` (after a reconnect) keeps
 * the bars on screen until the new ones arrive, so the chart keeps its zoom and scroll.
 */
export async function loadSeries(options: { refresh?: boolean } = {}): Promise<void> {
  const { selected, timeframe, symbols, series } = get()
  if (!selected) {
    seriesFeed.close()
    return
  }
  const mine = seriesFeed.open()
  const { source, symbol } = selected
  const info = findSymbol(symbols, selected)
  const key = seriesKey(source, symbol, timeframe)
  if (!options.refresh || series?.key !== key) {
    set({ series: null, seriesState: 'loading', seriesError: null, live: null })
  }
  set({ older: { state: 'idle', lastMs: null, lastAdded: 0 } })

  let buffered: LiveEvent[] | null = []
  set({ feed: info?.live ? { key, at: Date.now(), stopped: false } : null })
  if (info?.live) {
    mine.follow(
      'market.liveCandle',
      { source, symbol, timeframe },
      (e) => {
        set({ feed: { key, at: Date.now(), stopped: false } })
        if (buffered) buffered.push(e)
        else {
          set({ live: { key, candle: e.candle, closed: e.closed } })
          onLiveBar(source, symbol, e.candle)
        }
      },
      {
        endTitle: `Live bar updates stopped for ${symbol}`,
        onEnd: (error) => {
          if (error) set((s) => ({ feed: s.feed && { ...s.feed, stopped: true } }))
        },
      },
    )
  }

  const res = await mine.invoke('market.candles', { source, symbol, timeframe, limit: BARS_PER_VIEW })
  if (!res) return
  if (!res.ok) {
    seriesFeed.close(mine)
    set({ seriesState: 'error', seriesError: res.error.message })
    reportError(`Could not load ${symbol} ${timeframe} bars`, res.error, {
      label: 'Retry',
      run: () => void loadSeries(),
    })
    return
  }
  set({
    series: {
      key,
      source,
      symbol,
      timeframe,
      precision: info?.pricePrecision ?? 2,
      columns: res.value.candles,
      gaps: res.value.gaps,
    },
    seriesState: 'ready',
    historyFor: symbolKey(source, symbol),
  })
  const pending = buffered
  buffered = null
  for (const e of pending) set({ live: { key, candle: e.candle, closed: e.closed } })
  const newest = pending.at(-1)
  if (newest) onLiveBar(source, symbol, newest.candle)
}

/** One older-history request at a time, for the series it was asked for. */
let olderFor: string | null = null

/**
 * The page of bars just before the first one shown, joined in front (the trader scrolled near
 * the left edge). Every source pages the same way through `market.candles` with `to`: the demo
 * market builds older bars, an imported series reads them, an exchange's series is backfilled
 * from the exchange on demand. An empty page marks the series' first bar reached.
 */
export async function loadOlder(): Promise<void> {
  const { series, seriesState } = get()
  const mine = seriesFeed.current
  if (!mine || !series || seriesState !== 'ready' || series.atStart || olderFor === series.key) return
  const first = series.columns.time[0]
  if (first === undefined) return
  const key = series.key
  olderFor = key
  const started = performance.now()
  set((s) => ({ older: { ...s.older, state: 'loading' } }))
  const { source, symbol, timeframe } = series
  const res = await mine.invoke('market.candles', {
    source,
    symbol,
    timeframe,
    to: olderPageTo(first),
    limit: HISTORY_PAGE,
  })
  const answeredAt = performance.now()
  if (olderFor === key) olderFor = null
  const now = get().series
  if (!res || !now || now.key !== key) return
  if (!res.ok) {
    set((s) => ({ older: { ...s.older, state: 'error' } }))
    reportError(`Could not load older ${symbol} ${timeframe} bars`, res.error, {
      label: 'Retry',
      run: () => void loadOlder(),
    })
    return
  }
  const { columns, added } = prependColumns(res.value.candles, now.columns)
  if (added === 0) {
    set({
      series: { ...now, prepended: 0, atStart: true },
      older: { state: 'idle', lastMs: null, lastAdded: 0 },
    })
    return
  }
  set({
    series: {
      ...now,
      columns,
      gaps: [...res.value.gaps, ...now.gaps],
      prepended: added,
      prependTiming: { askedAt: started, answeredAt },
    },
    older: { state: 'idle', lastMs: answeredAt - started, lastAdded: added },
  })
}

/** A change to the chart type or price scale mode, saved at once. */
export function setChartPrefs(change: Partial<ChartPrefs>): void {
  const prefs = { ...get().prefs, ...change }
  set({ prefs })
  saveChartPrefs(prefs)
}

/** Stars or unstars a timeframe for the toolbar: a preference the engine stores for every window. */
export function toggleFavourite(tf: Timeframe): void {
  const fav = usePreferences.getState().prefs.favouriteTimeframes
  void savePreferences({
    favouriteTimeframes: sortTimeframes(fav.includes(tf) ? fav.filter((x) => x !== tf) : [...fav, tf]),
  })
}

function onTicker(e: TickerEvent): void {
  setLast(e.source, e.symbol, e.last, e.change24h, e.time, e.volume24h ?? null)
}

/**
 * The shown series' live bar also moves its symbol's last price: series stored from an exchange
 * have no ticker stream, and without this the header, the list and the ticket kept the price of
 * when the page opened. (For the demo market both carry the same price.)
 */
function onLiveBar(source: string, symbol: string, candle: Candle): void {
  const prev = get().tickers[symbolKey(source, symbol)]
  if (prev && prev.time > candle.time) return
  setLast(source, symbol, candle.close, prev?.change24h ?? null, candle.time, prev?.volume24h ?? null)
}

function setLast(
  source: string,
  symbol: string,
  last: number,
  change24h: number | null,
  time: number,
  volume24h: number | null,
): void {
  set((s) => {
    const k = symbolKey(source, symbol)
    const prev = s.tickers[k]
    if (prev && prev.last === last && prev.change24h === change24h && prev.volume24h === volume24h) return s
    const tick: Ticker['tick'] = !prev
      ? 'flat'
      : last > prev.last
        ? 'up'
        : last < prev.last
          ? 'down'
          : prev.tick
    return { tickers: { ...s.tickers, [k]: { last, change24h, volume24h, time, tick } } }
  })
}

function seedTickers(
  tickers: Record<string, Ticker>,
  symbols: readonly SymbolInfo[],
): Record<string, Ticker> {
  const next = { ...tickers }
  for (const s of symbols) {
    const k = symbolKey(s.source, s.symbol)
    if (!next[k] && s.last !== null) {
      next[k] = {
        last: s.last,
        change24h: s.change24h,
        volume24h: s.volume24h ?? null,
        time: 0,
        tick: 'flat',
      }
    }
  }
  return next
}
