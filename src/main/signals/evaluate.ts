import type { Signal, SignalProfile, SignalReason } from '../../shared/domain/signals'
import type { Timeframe } from '../../shared/domain/timeframes'
import {
  adxConfidence,
  componentAgreement,
  confirmByHigher,
  directionOf,
  round,
  timeframeAgreement,
  toScore,
} from './mapping'
import { reasonsFor } from './reasons'
import type { HigherView, Readings } from './state'

/**
 * The higher timeframes' weighted deviation H: the k-th next higher timeframe weighs
 * `mtf.weights[k]`; timeframes without a signal yet are left out and the weights renormalised.
 * Null when none is available (the top timeframe, or during their warm-up).
 */
export function higherBias(higher: readonly HigherView[], weights: readonly number[]): number | null {
  let sum = 0
  let total = 0
  for (let k = 0; k < higher.length && k < weights.length; k++) {
    const h = higher[k]!
    const w = weights[k]!
    if (h.dev === null || !(w > 0)) continue
    sum += w * h.dev
    total += w
  }
  return total > 0 ? sum / total : null
}

/** A component's published score: 0..100 with one decimal, null when it has no weight. */
function componentScore(dev: number): number | null {
  return dev === dev ? round(toScore(dev), 1) : null
}

export interface SignalKey {
  source: string
  symbol: string
  timeframe: Timeframe
  profile: SignalProfile
}

/**
 * The published signal of one bar: the raw deviation confirmed or damped by the higher
 * timeframes, the direction from the rounded score, the confidence, and the reasons.
 */
export function evaluate(key: SignalKey, r: Readings, higher: readonly HigherView[]): Signal {
  const p = key.profile
  const H = higherBias(higher, p.mtf.weights)
  const finalDev = H === null ? r.raw : confirmByHigher(r.raw, H, p.mtf.strength)
  const score = round(toScore(finalDev), 1)

  const w = p.weights
  const c = p.confidence
  const parts = [
    componentAgreement(
      [r.devs.trend, r.devs.momentum, r.devs.volatility, r.devs.volume],
      [w.trend, w.momentum, w.volatility, w.volume],
    ),
    H === null ? 0 : timeframeAgreement(r.raw, H),
    adxConfidence(r.adx),
  ]
  const partWeights = [c.components, H === null ? 0 : c.timeframes, c.adx]
  let sum = 0
  let total = 0
  for (let i = 0; i < 3; i++) {
    sum += partWeights[i]! * parts[i]!
    total += partWeights[i]!
  }
  const confidence = total > 0 ? round(sum / total, 3) : 0

  const reasons: SignalReason[] = reasonsFor(key.timeframe, p, r, higher, H)
  return {
    source: key.source,
    symbol: key.symbol,
    timeframe: key.timeframe,
    time: r.time,
    profile: p.id,
    score,
    raw: round(toScore(r.raw), 1),
    components: {
      trend: componentScore(r.devs.trend),
      momentum: componentScore(r.devs.momentum),
      volatility: componentScore(r.devs.volatility),
      volume: componentScore(r.devs.volume),
    },
    direction: directionOf(score, p.thresholds.buy, p.thresholds.sell),
    confidence,
    reasons,
  }
}
