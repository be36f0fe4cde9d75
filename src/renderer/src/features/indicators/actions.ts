import {
  MAX_SERIES_VALUES,
  type ChartIndicator,
  type ChartSettings,
} from '../../../../shared/contract/charting'
import { MAX_BARS_PER_REQUEST } from '../../../../shared/contract/market'
import { client } from '../../connection'
import { slot } from '../../sync/index'
import { type Scope } from '../../sync/scope'
import { reportError } from '../notices/store'
import { followSignals } from '../signals/follow'
import { findSymbol, symbolKey, useTradeStore, type LoadedSeries } from '../chart/store'
import { instanceSig, useIndicatorsStore, type InstanceData } from './store'

const get = useIndicatorsStore.getState
const set = useIndicatorsStore.setState
const trade = useTradeStore.getState

/** The Trade view, while it is open: answers for an earlier opening are dropped. */
const view = slot()
/** `charting.live` for the shown series' instances. */
const liveFeed = slot()
/** The shown series' signal markers: their history, then `signals.updates`. */
const signalFeed = slot()

/**
 * Follows the Trade view: loads the indicator catalogue, each symbol's chart settings, the
 * values of its indicators whenever a series is shown, and their live points. Returns the
 * function that stops it all.
 */
export function openIndicators(): () => void {
  const mine = view.open()
  if (get().catalogueState !== 'ready') void loadCatalogue(mine)
  let shownSymbol: string | null = null
  let shownSeries: LoadedSeries | null | undefined
  const onTrade = (): void => {
    const s = trade()
    const sym = s.selected ? symbolKey(s.selected.source, s.selected.symbol) : null
    if (sym !== shownSymbol) {
      shownSymbol = sym
      if (s.selected) void loadSettings(s.selected.source, s.selected.symbol, mine)
    }
    if (s.series !== shownSeries) {
      const prev = shownSeries
      shownSeries = s.series
      onSeries(prev)
    }
  }
  const unsubscribe = useTradeStore.subscribe((s, prev) => {
    if (s.live !== prev.live && s.live?.closed && s.series && s.live.key === s.series.key)
      noteClosed(s.live.candle.time)
    if (s.selected !== prev.selected || s.series !== prev.series) onTrade()
  })
  onTrade()
  return () => {
    if (!mine.active) return
    view.close(mine)
    unsubscribe()
    liveFeed.close()
    signalFeed.close()
    set({ data: {}, pending: {}, live: null, signals: null, picker: { open: false, editing: null } })
  }
}

async function loadCatalogue(mine: Scope): Promise<void> {
  set({ catalogueState: 'loading' })
  const res = await mine.invoke('charting.indicators', {})
  if (!res) return
  if (!res.ok) {
    set({ catalogueState: 'error' })
    reportError('Could not load the indicator list', res.error, {
      label: 'Retry',
      run: () => {
        if (view.current) void loadCatalogue(view.current)
      },
    })
    return
  }
  set({ catalogue: res.value, catalogueState: 'ready' })
}

async function loadSettings(source: string, symbol: string, mine: Scope): Promise<void> {
  const key = symbolKey(source, symbol)
  set({ settingsFor: key, settings: null, data: {}, pending: {}, live: null })
  liveFeed.close()
  const res = await mine.invoke('charting.settings.get', { source, symbol }, 'settings')
  if (!res) return
  if (!res.ok) {
    reportError(`Could not load the chart settings of ${symbol}`, res.error, {
      label: 'Retry',
      run: () => {
        if (view.current) void loadSettings(source, symbol, view.current)
      },
    })
    return
  }
  set({ settings: res.value })
  refreshAll()
}

/**
 * A new series on the chart (or none): the old values go, the new ones are fetched. Older bars
 * joined in front of the same series keep the values drawn (aligned by time) while the values
 * over the longer range, warm-up and all, are fetched.
 */
function onSeries(prev: LoadedSeries | null | undefined): void {
  const series = trade().series
  if (series && prev && series.key === prev.key && series.prepended !== undefined) {
    refreshAll()
    void loadSignals(series)
    return
  }
  liveFeed.close()
  set({ data: {}, pending: {}, live: null, closedAfter: [] })
  if (!series) {
    signalFeed.close()
    set({ signals: null })
    return
  }
  refreshAll()
  void loadSignals(series)
}

function noteClosed(time: number): void {
  const series = trade().series
  if (!series) return
  const last = series.columns.time[series.columns.time.length - 1] ?? -Infinity
  const closedAfter = get().closedAfter
  if (time <= last || time <= (closedAfter[closedAfter.length - 1] ?? -Infinity)) return
  set({ closedAfter: [...closedAfter, time] })
}

/** The settings belong to the shown series' symbol. */
function settingsMatch(series: LoadedSeries): boolean {
  return get().settingsFor === symbolKey(series.source, series.symbol) && get().settings !== null
}

function refreshAll(): void {
  const series = trade().series
  const settings = get().settings
  if (!series || !settings || !settingsMatch(series)) return
  void fetchValues(settings.indicators)
}

/**
 * Asks `charting.series` for the shown bars (the series plus the bars closed since) and keeps
 * each answer only if the chart and the instance are still what was asked for.
 */
async function fetchValues(list: readonly ChartIndicator[]): Promise<void> {
  const series = trade().series
  if (!series || list.length === 0) return
  const n = series.columns.time.length
  if (n === 0) return
  const mine = view.current
  if (!mine) return
  const closedAfter = get().closedAfter
  const to = closedAfter[closedAfter.length - 1] ?? series.columns.time[n - 1]!
  // Scrolled far back, the values cover the newest bars a request may hold (the layer aligns
  // them by time); the engine warms each instance up before the first of them.
  const limit = Math.min(
    n + closedAfter.length,
    MAX_BARS_PER_REQUEST,
    Math.floor(MAX_SERIES_VALUES / list.length),
  )
  const pending = { ...get().pending }
  for (const ind of list) pending[ind.key] = true
  set({ pending })
  const res = await mine.invoke('charting.series', {
    source: series.source,
    symbol: series.symbol,
    timeframe: series.timeframe,
    instances: list.map((i) => ({ id: i.id, params: i.params })),
    to,
    limit,
  })
  if (!res) return
  const now = trade().series
  const stillShown = now !== null && now.key === series.key
  set((s) => {
    const pendingNow = { ...s.pending }
    for (const ind of list) delete pendingNow[ind.key]
    return { pending: pendingNow }
  })
  if (!stillShown) return
  if (!res.ok) {
    reportError(`Could not compute indicators for ${series.symbol} ${series.timeframe}`, res.error, {
      label: 'Retry',
      run: () => refreshAll(),
    })
    return
  }
  const current = new Map((get().settings?.indicators ?? []).map((i) => [i.key, instanceSig(i)]))
  const data: Record<string, InstanceData> = { ...get().data }
  list.forEach((ind, i) => {
    const sig = instanceSig(ind)
    const values = res.value.instances[i]
    if (!values || current.get(ind.key) !== sig) return
    data[ind.key] = {
      seriesKey: series.key,
      sig,
      series: values,
      time: res.value.time,
      request: { to, limit },
    }
  })
  set({ data })
  restartLive()
}

/** (Re)opens `charting.live` for every instance that has values for the shown series. */
function restartLive(): void {
  liveFeed.close()
  const series = trade().series
  const settings = get().settings
  if (!series || !settings) return
  const info = findSymbol(trade().symbols, series)
  if (!info?.live) return
  const data = get().data
  const list = settings.indicators.filter(
    (i) => data[i.key]?.seriesKey === series.key && data[i.key]?.sig === instanceSig(i),
  )
  if (list.length === 0) return
  const keys = list.map((i) => i.key)
  const after = Math.min(...list.map((i) => data[i.key]!.request.to))
  const seriesKey = series.key
  liveFeed.open().follow(
    'charting.live',
    {
      source: series.source,
      symbol: series.symbol,
      timeframe: series.timeframe,
      instances: list.map((i) => ({ id: i.id, params: i.params })),
      from: series.columns.time[0]!,
      after,
    },
    (event) => {
      if (event.closed) noteClosed(event.time)
      set({ live: { seriesKey, keys, event } })
    },
    { endTitle: `Live indicator values stopped for ${series.symbol}` },
  )
}

// -- editing --------------------------------------------------------------------------------

export function openPicker(editing: string | null = null): void {
  set({ picker: { open: true, editing } })
}

export function closePicker(): void {
  set({ picker: { open: false, editing: null } })
}

export function addIndicator(
  id: string,
  params: Record<string, number | string>,
  colors: Record<string, string>,
): string {
  const settings = get().settings
  if (!settings) return ''
  const key = newKey(id)
  const ind: ChartIndicator = { key, id, params, colors, visible: true }
  commit({ ...settings, indicators: [...settings.indicators, ind] })
  void fetchValues([ind])
  return key
}

/** A key no other instance on the chart has. */
const newKey = (id: string): string =>
  `${id}-${Date.now().toString(36)}${crypto.getRandomValues(new Uint32Array(1))[0]!.toString(36)}`

export function editIndicator(
  key: string,
  params: Record<string, number | string>,
  colors: Record<string, string>,
): void {
  const settings = get().settings
  const old = settings?.indicators.find((i) => i.key === key)
  if (!settings || !old) return
  const next: ChartIndicator = { ...old, params, colors }
  commit({ ...settings, indicators: settings.indicators.map((i) => (i.key === key ? next : i)) })
  if (instanceSig(next) !== instanceSig(old)) {
    set((s) => {
      const data = { ...s.data }
      delete data[key]
      return { data }
    })
    void fetchValues([next])
  }
}

export function removeIndicator(key: string): void {
  const settings = get().settings
  if (!settings) return
  commit({ ...settings, indicators: settings.indicators.filter((i) => i.key !== key) })
  set((s) => {
    const data = { ...s.data }
    delete data[key]
    return { data }
  })
  restartLive()
}

export function toggleIndicator(key: string): void {
  const settings = get().settings
  if (!settings) return
  commit({
    ...settings,
    indicators: settings.indicators.map((i) => (i.key === key ? { ...i, visible: !i.visible } : i)),
  })
}

export function setVolumeShown(on: boolean): void {
  const settings = get().settings
  if (settings) commit({ ...settings, volume: on })
}

export function setMarkersShown(on: boolean): void {
  const settings = get().settings
  if (settings) commit({ ...settings, markers: on })
}

/**
 * Replaces the shown indicators (a named template applied): each gets a fresh key, their values
 * are fetched. Saved like any change: into the template, or the symbol's own set when pinned.
 */
export function replaceIndicators(list: readonly Omit<ChartIndicator, 'key'>[]): void {
  const settings = get().settings
  if (!settings) return
  const indicators = list.map((ind) => ({ ...ind, key: newKey(ind.id) }))
  commit({ ...settings, indicators })
  set({ data: {}, pending: {}, live: null })
  liveFeed.close()
  void fetchValues(indicators)
}

/**
 * Pins the shown indicators to this symbol (they stay with it while the template changes), or
 * unpins them: the symbol shows the template again.
 */
export async function setPinned(on: boolean): Promise<void> {
  const settings = get().settings
  const sel = trade().selected
  if (!settings || !sel || settings.pinned === on) return
  if (on) {
    commit({ ...settings, pinned: true })
    return
  }
  const key = symbolKey(sel.source, sel.symbol)
  const res = await client().invoke('charting.settings.unpin', sel)
  if (!res.ok) {
    reportError(`Could not unpin the indicators of ${sel.symbol}`, res.error)
    return
  }
  // The chart moved on meanwhile: its own settings were loaded for it.
  if (get().settingsFor !== key) return
  set({ settings: res.value, data: {}, pending: {}, live: null })
  liveFeed.close()
  refreshAll()
}

/** Shows the change at once and saves it for the symbol; a failed save is reported. */
function commit(next: ChartSettings): void {
  const sel = trade().selected
  if (!sel) return
  set({ settings: next })
  void save(sel.source, sel.symbol, next)
}

async function save(source: string, symbol: string, settings: ChartSettings): Promise<void> {
  const res = await client().invoke('charting.settings.set', { source, symbol, settings })
  if (!res.ok) reportError(`Could not save the chart settings of ${symbol}`, res.error)
}

// -- signal markers -------------------------------------------------------------------------

/** The signal scores of the shown bars (for the markers), then each new one as bars close. */
async function loadSignals(series: LoadedSeries): Promise<void> {
  const feed = signalFeed.open()
  set({ signals: null })
  const t = series.columns.time
  if (t.length === 0) return
  const res = await feed.invoke('signals.history', {
    source: series.source,
    symbol: series.symbol,
    timeframe: series.timeframe,
    from: t[0]!,
    to: t[t.length - 1]!,
    limit: Math.min(10_000, t.length),
  })
  if (!res || trade().series?.key !== series.key) return
  if (!res.ok) {
    // No signals for a source the engine does not score is normal: the toggle's tooltip says so.
    if (res.error.kind !== 'not_found' && res.error.kind !== 'unavailable') {
      reportError(`Could not load the signal markers of ${series.symbol}`, res.error)
    }
    return
  }
  // An empty list is normal too (a timeframe the profile does not score).
  set({ signals: { seriesKey: series.key, list: res.value.signals } })
  const info = findSymbol(trade().symbols, series)
  if (!info?.live) return
  // The signal panel follows the same stream for the same symbol: the window subscribes it once.
  followSignals(feed, series.source, series.symbol, (e) => {
    if (e.kind !== 'update') return
    const mine = e.signals.filter((s) => s.timeframe === series.timeframe)
    if (mine.length === 0) return
    set((s) => {
      if (!s.signals || s.signals.seriesKey !== series.key) return {}
      const last = s.signals.list[s.signals.list.length - 1]?.time ?? -Infinity
      const fresh = mine.filter((x) => x.time > last)
      return fresh.length ? { signals: { seriesKey: series.key, list: [...s.signals.list, ...fresh] } } : {}
    })
  })
}
