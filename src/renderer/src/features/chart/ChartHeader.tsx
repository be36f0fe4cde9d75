import { useShallow } from 'zustand/react/shallow'
import { SourceBadge } from '../../components/SourceBadge'
import { direction, formatPercent, formatPrice } from '../../lib/format'
import { IndicatorToolbar } from '../indicators/IndicatorToolbar'
import { LayoutBar } from './LayoutBar'
import { openSymbolSearch } from '../search/store'
import { usePreferences } from '../settings/store'
import { useCompare } from './compare-store'
import { useShellStore } from '../shell/store'
import { selectTimeframe, setChartPrefs, toggleFavourite } from './actions'
import { CHART_TYPE_LABELS, CHART_TYPES, type ChartType, type PriceMode } from './chart-style'
import { useNow } from './market-scope'
import { FEED_DELAYED_MS, offeredTimeframes, selectSelectedInfo, symbolKey, useTradeStore } from './store'

export function ChartHeader() {
  const info = useTradeStore(selectSelectedInfo)
  const timeframe = useTradeStore((s) => s.timeframe)
  const online = useShellStore((s) => s.connection === 'open')
  const { last, change } = useTradeStore(
    useShallow((s) => {
      const sel = s.selected
      const t = sel ? s.tickers[symbolKey(sel.source, sel.symbol)] : undefined
      return { last: t?.last ?? null, change: t?.change24h ?? null }
    }),
  )
  const scope = useTradeStore((s) => s.scope)
  const prefs = useTradeStore((s) => s.prefs)
  const favourites = usePreferences((s) => s.prefs.favouriteTimeframes)
  const comparing = useCompare((s) => s.lines.length > 0)
  if (!info) {
    return (
      <div className="chart-header" data-testid="chart-header">
        <span className="ch-symbol ch-placeholder">
          {scope && scope.state !== 'ready' ? `${scope.label}: no markets loaded` : 'No symbol selected'}
        </span>
      </div>
    )
  }
  const offered = offeredTimeframes(info)
  return (
    <div
      className="chart-header"
      data-testid="chart-header"
      data-source={info.source}
      data-symbol={info.symbol}
      data-timeframe={timeframe}
    >
      <div className="ch-title">
        <span className="ch-symbol" data-testid="chart-symbol">
          {info.symbol}
        </span>
        <span className="ch-tf" data-testid="chart-timeframe">
          {timeframe}
        </span>
        <SourceBadge label={info.sourceLabel} simulated={info.simulated} />
        {info.live && online && <FeedBadge />}
        {info.live && !online && (
          <span className="hist-tag" title="Not connected to the engine: prices are not updating">
            NOT UPDATING
          </span>
        )}
        {!info.live && (
          <span className="hist-tag" title="A stored history: no live feed">
            HISTORY
          </span>
        )}
      </div>
      <div className="ch-tfs" role="group" aria-label="Timeframe">
        {offered
          .filter((tf) => favourites.includes(tf) || tf === timeframe)
          .map((tf) => (
            <button
              key={tf}
              type="button"
              className="tf-btn"
              aria-pressed={tf === timeframe}
              data-testid={`tf-${tf}`}
              onClick={() => selectTimeframe(tf)}
            >
              {tf}
            </button>
          ))}
        <select
          className="tf-more"
          aria-label="All timeframes"
          data-testid="tf-more"
          value=""
          onChange={(e) => {
            const tf = offered.find((x) => x === e.target.value)
            if (tf) selectTimeframe(tf)
          }}
        >
          <option value="" disabled>
            ⋯
          </option>
          {offered.map((tf) => (
            <option key={tf} value={tf}>
              {favourites.includes(tf) ? `★ ${tf}` : tf}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="tf-btn tf-star"
          aria-pressed={favourites.includes(timeframe)}
          data-testid="tf-favourite"
          title={
            favourites.includes(timeframe)
              ? `Remove ${timeframe} from the toolbar`
              : `Keep ${timeframe} in the toolbar`
          }
          onClick={() => toggleFavourite(timeframe)}
        >
          {favourites.includes(timeframe) ? '★' : '☆'}
        </button>
      </div>
      <div className="ch-style" role="group" aria-label="Chart style">
        <select
          aria-label="Chart type"
          data-testid="chart-type"
          value={prefs.type}
          onChange={(e) => setChartPrefs({ type: e.target.value as ChartType })}
        >
          {CHART_TYPES.map((t) => (
            <option key={t} value={t}>
              {CHART_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
        {(['log', 'percent'] as PriceMode[]).map((m) => (
          <button
            key={m}
            type="button"
            className="tf-btn"
            aria-pressed={prefs.priceMode === m || (m === 'percent' && comparing)}
            disabled={comparing}
            data-testid={`price-${m}`}
            title={
              comparing
                ? 'The scale is in percent while symbols are compared'
                : m === 'log'
                  ? 'Logarithmic price scale'
                  : 'Percent price scale (from the first bar in view)'
            }
            onClick={() => setChartPrefs({ priceMode: prefs.priceMode === m ? 'normal' : m })}
          >
            {m === 'log' ? 'log' : '%'}
          </button>
        ))}
      </div>
      <button
        type="button"
        className="tf-btn"
        data-testid="compare-add"
        title="Compare with another symbol (a percent line over the chart)"
        onClick={() => openSymbolSearch('', 'compare')}
      >
        + Compare
      </button>
      <IndicatorToolbar />
      <LayoutBar />
      <div className="ch-quote">
        {info.live && (
          <>
            <span className="ch-last num" data-testid="chart-last">
              {formatPrice(last ?? info.last, info.pricePrecision)}
            </span>
            <span className={`ch-change num ${direction(change ?? info.change24h)}`}>
              {formatPercent(change ?? info.change24h)} <span className="ch-change-label">24h</span>
            </span>
          </>
        )}
      </div>
    </div>
  )
}

/**
 * Whether the chart's prices are moving: `Streaming` while its live feed brings updates,
 * `Delayed` when it has been silent for a minute, `Stopped` when it ended. (LIVE is kept for
 * accounts that trade real money.)
 */
function FeedBadge() {
  const feed = useTradeStore((s) => s.feed)
  const now = useNow(feed !== null && !feed.stopped)
  const silentMs = feed ? now - feed.at : 0
  const state = !feed
    ? 'streaming'
    : feed.stopped
      ? 'stopped'
      : silentMs > FEED_DELAYED_MS
        ? 'delayed'
        : 'streaming'
  if (state === 'stopped') {
    return (
      <span
        className="hist-tag"
        data-testid="feed-state"
        data-state={state}
        title="The live feed ended: reload the chart"
      >
        STOPPED
      </span>
    )
  }
  if (state === 'delayed') {
    return (
      <span
        className="feed-tag feed-delayed"
        data-testid="feed-state"
        data-state={state}
        title={`No price update for ${Math.round(silentMs / 1000)} s`}
      >
        DELAYED
      </span>
    )
  }
  return (
    <span
      className="live-tag"
      data-testid="feed-state"
      data-state={state}
      title="Prices stream in as they change"
    >
      <span className="live-dot" aria-hidden="true" />
      STREAMING
    </span>
  )
}
