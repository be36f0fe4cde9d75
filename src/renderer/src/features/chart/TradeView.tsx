import { useEffect } from 'react'
import { usePreferences } from '../settings/store'
import { SignalPanel } from '../signals/SignalPanel'
import { TradingPanel } from '../desk/TradingPanel'
import { SymbolSearch } from '../search/SymbolSearch'
import { openSymbolSearch } from '../search/store'
import { useShortcut, type KeyPress } from '../shell/shortcuts'
import { openTrade, selectTimeframe } from './actions'
import { ChartHeader } from './ChartHeader'
import { ChartLayout } from './ChartLayout'
import { offeredTimeframes, selectSelectedInfo, useTradeStore } from './store'
import { onSymbolKey, SymbolList } from './SymbolList'

/** 1 … 9: the n-th timeframe of the toolbar. */
function onTimeframeKey(e: KeyPress): void {
  // The toolbar's favourites, in its order (by default 1m, 5m, 15m, 1h, 4h, 1d).
  const state = useTradeStore.getState()
  const starred = usePreferences.getState().prefs.favouriteTimeframes
  const favourites = offeredTimeframes(selectSelectedInfo(state)).filter((tf) => starred.includes(tf))
  const tf = favourites[Number(e.key) - 1]
  if (tf) selectTimeframe(tf)
}

function onSearchKey(): void {
  openSymbolSearch()
}

/** A letter typed on the Trade view starts a search with it, as on TradingView. */
function onSearchLetter(e: KeyPress): void {
  openSymbolSearch(e.key.toUpperCase())
}

export function TradeView() {
  useEffect(() => openTrade(), [])
  useShortcut('timeframe', onTimeframeKey)
  useShortcut('symbols', onSymbolKey)
  useShortcut('search', onSearchKey)
  useShortcut('search.type', onSearchLetter)
  return (
    <div className="trade">
      <SymbolList />
      <section className="chart-area" aria-label="Chart">
        <ChartHeader />
        <ChartLayout />
      </section>
      <SignalPanel />
      <TradingPanel />
      <SymbolSearch />
    </div>
  )
}
