import { create } from 'zustand'
import type { Timeframe } from '../../../../shared/domain/timeframes'
import { showSeries } from './actions'
import {
  parseLayout,
  withActiveSlot,
  withCount,
  type ChartSlot,
  type Layout,
  type LayoutCount,
} from './layout'
import { findSymbol, nearestTimeframe, offeredTimeframes, useTradeStore } from './store'

/** Kept in this window's storage beside the chart's other choices (`persist.ts`, `chart-style.ts`). */
const KEY = 'candlework.trade.layout.v1'

function readLayout(): Layout {
  try {
    return parseLayout(localStorage.getItem(KEY))
  } catch {
    return parseLayout(null)
  }
}

function saveLayout(layout: Layout): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(layout))
  } catch {
    // Storage full or disabled: the layout lasts until the window closes.
  }
}

export const useLayoutStore = create<Layout>()(() => readLayout())

const get = useLayoutStore.getState
const trade = useTradeStore.getState

function update(next: Layout): void {
  if (next === get()) return
  useLayoutStore.setState(next, true)
  saveLayout(next)
}

/** The active chart's series: the trade store's selection. */
function activeSlot(): ChartSlot | null {
  const { selected, timeframe } = trade()
  return selected ? { ...selected, timeframe } : null
}

/** The symbol's timeframe nearest to `wanted` (its own list where the symbol is listed). */
function fit(slot: ChartSlot, wanted: Timeframe): Timeframe {
  const { symbols, allSymbols } = trade()
  const info = findSymbol(symbols, slot) ?? findSymbol(allSymbols, slot)
  return (info && nearestTimeframe(offeredTimeframes(info), wanted)) ?? wanted
}

export function setLayoutCount(count: LayoutCount): void {
  update(withCount(get(), count, activeSlot()))
}

export function setLinkSymbol(on: boolean): void {
  const next = { ...get(), linkSymbol: on }
  const slot = activeSlot()
  // Linking shows the active chart's symbol everywhere at once, as TradingView's sync does.
  update(slot && on ? withActiveSlot(next, slot, fit) : next)
}

export function setLinkCrosshair(on: boolean): void {
  update({ ...get(), linkCrosshair: on })
}

/**
 * Makes chart `index` the active one (a click on it): the symbol list, toolbar, indicators,
 * drawings and ticket now act on its series. Its series becomes the trade store's selection.
 */
export function focusChart(index: number): void {
  const layout = get()
  if (index === layout.active || index >= layout.count) return
  const slot = layout.charts[index]
  const now = activeSlot()
  update({ ...layout, active: index })
  const same =
    now &&
    slot &&
    now.source === slot.source &&
    now.symbol === slot.symbol &&
    now.timeframe === slot.timeframe
  // The same series as the chart was showing: nothing to load again. One the listed market
  // lacks (an exchange account's market shown meanwhile) is not charted: the chart keeps the
  // active one's series, as a symbol picked from the list would.
  if (!slot || same) return
  if (findSymbol(trade().symbols, slot)) showSeries(slot.source, slot.symbol, slot.timeframe)
  else {
    const kept = activeSlot()
    if (kept) update(withActiveSlot(get(), kept, fit))
  }
}

/**
 * Keeps the active chart's series in the layout as the trader changes it (a symbol from the list,
 * a timeframe, an alert's chart), and with the symbol linked, the others' symbol. Returns the
 * function that stops following.
 */
export function followActiveChart(): () => void {
  const sync = (): void => {
    const slot = activeSlot()
    if (slot) update(withActiveSlot(get(), slot, fit))
  }
  sync()
  return useTradeStore.subscribe((s, prev) => {
    if (s.selected !== prev.selected || s.timeframe !== prev.timeframe) sync()
  })
}
