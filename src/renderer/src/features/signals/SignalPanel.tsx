import './signals.css'
import { useEffect, type CSSProperties } from 'react'
import { useShallow } from 'zustand/react/shallow'
import {
  SIGNAL_COMPONENTS,
  type Signal,
  type SignalComponent,
  type SignalProfile,
} from '../../../../shared/domain/signals'
import { TIMEFRAMES, type Timeframe } from '../../../../shared/domain/timeframes'
import { formatBarTime } from '../../lib/format'
import { zoneLabel } from '../../lib/time'
import { symbolKey, useTradeStore } from '../chart/store'
import { selectSignalTimeframe, watchSignals } from './actions'
import { formatConfidence, formatScore, heatColour } from './heat'
import { detailTimeframe, selectSignal, useSignalsStore } from './store'

const SCORE_HELP =
  'Score 0 (strong sell) to 100 (strong buy), 50 neutral, from closed bars only: trend, momentum, volatility and volume, each timeframe confirmed or damped by the higher ones.'

/**
 * The signal panel of the Trade view: the score of every timeframe as a heat strip (click one
 * to chart it), then the direction, confidence, components and reasons of the chart's timeframe.
 */
export function SignalPanel() {
  const source = useTradeStore((s) => s.selected?.source ?? null)
  const symbol = useTradeStore((s) => s.selected?.symbol ?? null)
  const chartTf = useTradeStore((s) => s.timeframe)
  // After the chart's bars: an exchange's symbol has no stored history until its chart fetched it.
  const loaded = useTradeStore(
    (s) => source !== null && symbol !== null && s.historyFor === symbolKey(source, symbol),
  )
  useEffect(() => {
    if (source === null || symbol === null || !loaded) return
    return watchSignals(source, symbol)
  }, [source, symbol, loaded])

  const { state, timeframes, profile } = useSignalsStore(
    useShallow((s) => ({ state: s.state, timeframes: s.timeframes, profile: s.activeProfile })),
  )
  const detailTf = detailTimeframe(timeframes, chartTf, TIMEFRAMES)

  return (
    <aside className="signals" aria-label="Signals" data-testid="signal-panel" data-state={state}>
      <div className="panel-title">
        <span>Signals</span>
        {profile && (
          <span className="panel-title-note sig-profile" title={profile.description || profile.name}>
            {profile.name}
          </span>
        )}
      </div>
      {symbol === null && <div className="panel-empty">No symbol selected.</div>}
      {symbol !== null && state === 'loading' && <div className="panel-empty">Computing signals…</div>}
      {symbol !== null && state === 'error' && <div className="panel-empty">Signals are unavailable.</div>}
      {state === 'ready' && timeframes.length === 0 && (
        <div className="panel-empty">The active profile scores none of this symbol’s timeframes.</div>
      )}
      {state === 'ready' && timeframes.length > 0 && (
        <>
          <HeatStrip timeframes={timeframes} chartTf={chartTf} />
          {detailTf && <Detail tf={detailTf} profile={profile} chartTf={chartTf} />}
        </>
      )}
    </aside>
  )
}

function HeatStrip({ timeframes, chartTf }: { timeframes: Timeframe[]; chartTf: Timeframe }) {
  return (
    <div
      className="sig-strip"
      role="group"
      aria-label="Signal score by timeframe"
      data-testid="signal-strip"
      style={{ '--sig-cells': timeframes.length } as CSSProperties}
    >
      {timeframes.map((tf) => (
        <HeatCell key={tf} tf={tf} active={tf === chartTf} />
      ))}
    </div>
  )
}

function HeatCell({ tf, active }: { tf: Timeframe; active: boolean }) {
  const signal = useSignalsStore(selectSignal(tf))
  const title = signal
    ? `${tf}: ${signal.score.toFixed(1)} (${signal.direction}), confidence ${formatConfidence(signal.confidence)}. ${SCORE_HELP} Click to chart ${tf}.`
    : `${tf}: not enough closed bars yet to score. Click to chart ${tf}.`
  return (
    <button
      type="button"
      className={`sig-cell${signal ? '' : ' sig-cell-warming'}`}
      aria-pressed={active}
      data-testid="signal-cell"
      data-timeframe={tf}
      data-score={signal?.score ?? ''}
      data-direction={signal?.direction ?? ''}
      title={title}
      style={signal ? { background: heatColour(signal.score) } : undefined}
      onClick={() => selectSignalTimeframe(tf)}
    >
      <span className="sig-cell-tf">{tf}</span>
      <span className="sig-cell-score num" data-testid={`signal-score-${tf}`}>
        {signal ? formatScore(signal.score) : '—'}
      </span>
    </button>
  )
}

const COMPONENT_LABELS: Record<SignalComponent, string> = {
  trend: 'Trend',
  momentum: 'Momentum',
  volatility: 'Volatility',
  volume: 'Volume',
}

/** What each component reads, from the active profile's parameters (the tooltip). */
function componentHelp(c: SignalComponent, p: SignalProfile | null): string {
  if (!p) return COMPONENT_LABELS[c]
  const total = p.weights.trend + p.weights.momentum + p.weights.volatility + p.weights.volume
  const weight = `weight ${Math.round((p.weights[c] / total) * 100)}%`
  switch (c) {
    case 'trend':
      return `Trend (${weight}): close vs EMA${p.trend.emaSlow} (full at 2 ATR), EMA${p.trend.emaFast} vs EMA${p.trend.emaSlow} (full at 1 ATR), +DI vs -DI; scaled by ADX${p.trend.adxPeriod} (a fifth at ADX ≤ 15, all from 35). ATR${p.atrPeriod}.`
    case 'momentum':
      return `Momentum (${weight}): RSI${p.momentum.rsiPeriod} (full at 70/30, fading to half by 90/10), MACD ${p.momentum.macd.fast}/${p.momentum.macd.slow}/${p.momentum.macd.signal} histogram (full at ${p.momentum.macdScale} ATR)${p.momentum.terms.stoch > 0 ? `, Stoch %K ${p.momentum.stoch.period}` : ''}.`
    case 'volatility':
      return `Volatility (${weight}): Bollinger ${p.volatility.bbPeriod}/${p.volatility.bbMult} position read as mean reversion (upper band = sell), off as the bands widen to 2× their ${p.volatility.widthAverage}-bar average width.`
    case 'volume':
      return `Volume (${weight}): MFI${p.volume.mfiPeriod} (full at 80/20) and net on-balance volume over ${p.volume.obvLookback} bars as a share of all volume.`
  }
}

function Detail({
  tf,
  profile,
  chartTf,
}: {
  tf: Timeframe
  profile: SignalProfile | null
  chartTf: Timeframe
}) {
  const signal = useSignalsStore(selectSignal(tf))
  if (!signal) {
    return (
      <div className="sig-detail" data-testid="signal-detail" data-timeframe={tf}>
        <div className="panel-empty">Not enough closed {tf} bars yet to score.</div>
      </div>
    )
  }
  const moved = signal.score !== signal.raw
  return (
    <div className="sig-detail" data-testid="signal-detail" data-timeframe={tf}>
      {tf !== chartTf && (
        <div className="sig-note">
          The profile does not score {chartTf}; showing {tf}.
        </div>
      )}
      <div className="sig-head">
        <span className="sig-head-tf">{tf}</span>
        <span className={`sig-dir sig-dir-${signal.direction}`} data-testid="signal-direction">
          {signal.direction.toUpperCase()}
        </span>
        <span className="sig-head-score num" title={SCORE_HELP} style={{ color: heatText(signal.score) }}>
          {signal.score.toFixed(1)}
        </span>
        <Confidence value={signal.confidence} />
      </div>
      <div
        className="sig-mtf num"
        title="This timeframe alone, then after the higher timeframes confirmed or damped it"
      >
        {moved ? (
          <>
            own {signal.raw.toFixed(1)} → {signal.score.toFixed(1)} with higher timeframes
          </>
        ) : (
          <>own {signal.raw.toFixed(1)}, no higher timeframe applied</>
        )}
      </div>
      <div className="sig-components">
        {SIGNAL_COMPONENTS.map((c) => (
          <ComponentRow
            key={c}
            label={COMPONENT_LABELS[c]}
            value={signal.components[c]}
            help={componentHelp(c, profile)}
          />
        ))}
      </div>
      <Reasons signal={signal} />
      <div className="sig-foot" title="Signals are computed when a bar closes, never from the forming bar">
        {tf} bar of {formatBarTime(signal.time, tf)} {['1d', '1w', '1M'].includes(tf) ? 'UTC' : zoneLabel()} ·
        closed bars only
      </div>
    </div>
  )
}

/** Score text colour: the heat colour pushed lighter so it reads on the panel background. */
function heatText(score: number): string {
  return score >= 60 ? 'var(--up)' : score <= 40 ? 'var(--down)' : 'var(--text-strong)'
}

function Confidence({ value }: { value: number }) {
  const pips = Math.round(value * 5)
  return (
    <span
      className="sig-conf"
      data-testid="signal-confidence"
      data-value={value}
      title="Confidence 0-100%: how much the components agree, how much the higher timeframes agree, and how strong the trend is (ADX)"
    >
      <span className="sig-conf-pips" aria-hidden="true">
        {[0, 1, 2, 3, 4].map((i) => (
          <span key={i} className={i < pips ? 'sig-pip sig-pip-on' : 'sig-pip'} />
        ))}
      </span>
      <span className="num">{formatConfidence(value)}</span>
    </span>
  )
}

function ComponentRow({ label, value, help }: { label: string; value: number | null; help: string }) {
  if (value === null) {
    return (
      <div className="sig-comp sig-comp-off" title={`${help} Not used by this profile.`}>
        <span className="sig-comp-label">{label}</span>
        <span className="sig-comp-track" />
        <span className="sig-comp-value num">off</span>
      </div>
    )
  }
  // The fill grows from the centre (50) toward the side the component leans to.
  const left = Math.min(value, 50)
  const width = Math.abs(value - 50)
  return (
    <div className="sig-comp" title={help}>
      <span className="sig-comp-label">{label}</span>
      <span className="sig-comp-track">
        <span
          className="sig-comp-fill"
          style={{ left: `${left}%`, width: `${width}%`, background: heatColour(value) }}
        />
      </span>
      <span className="sig-comp-value num">{formatScore(value)}</span>
    </div>
  )
}

function Reasons({ signal }: { signal: Signal }) {
  return (
    <ul
      className="sig-reasons"
      data-testid="signal-reasons"
      aria-label={`Why ${signal.timeframe} scores ${formatScore(signal.score)}`}
    >
      {signal.reasons.map((r) => (
        <li key={r.text} className={`sig-reason sig-reason-${r.tone}`} data-testid="signal-reason">
          <span className="sig-reason-dot" aria-hidden="true" />
          <span>{r.text}</span>
        </li>
      ))}
      {signal.reasons.length === 0 && <li className="sig-reason sig-reason-neutral">Nothing stands out.</li>}
    </ul>
  )
}
