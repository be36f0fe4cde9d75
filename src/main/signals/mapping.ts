/**
 * How indicator readings become scores. Every function here is pure and maps its inputs to a
 * deviation in [-1, 1] (-1 = strongest sell, 0 = neutral, +1 = strongest buy); a component's
 * score on the 0..100 scale is `50 + 50 × deviation` (`toScore`). The README in this folder
 * walks through the same rules with worked examples; test/signals/mapping.test.ts checks each
 * against hand-computed cases.
 */

export const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x)

/** 0..100 from a deviation in [-1, 1]. */
export const toScore = (dev: number): number => 50 + 50 * dev

/** The deviation of a 0..100 score. */
export const toDeviation = (score: number): number => (score - 50) / 50

const sign = (x: number): number => (x > 0 ? 1 : x < 0 ? -1 : 0)

// ---------------------------------------------------------------------------------------------
// Trend

/** Close against the slow EMA in ATRs: two ATRs above counts fully. `clamp((close - emaSlow) / (2 × atr), -1, 1)`. */
export function trendPriceTerm(close: number, emaSlow: number, atr: number): number {
  return atr > 0 ? clamp((close - emaSlow) / (2 * atr), -1, 1) : 0
}

/** Fast EMA against the slow EMA in ATRs: one ATR apart counts fully. `clamp((emaFast - emaSlow) / atr, -1, 1)`. */
export function trendCrossTerm(emaFast: number, emaSlow: number, atr: number): number {
  return atr > 0 ? clamp((emaFast - emaSlow) / atr, -1, 1) : 0
}

/** Directional movement: `(+DI - -DI) / (+DI + -DI)`, 0 when both are 0. Already in [-1, 1]. */
export function trendDiTerm(plusDI: number, minusDI: number): number {
  const sum = plusDI + minusDI
  return sum > 0 ? (plusDI - minusDI) / sum : 0
}

/**
 * How much of the trend bias counts, from ADX: `clamp((adx - 10) / 25, 0.2, 1)`. At ADX 10 or
 * less only a fifth of it (a market without a trend), all of it from ADX 35.
 */
export function adxStrength(adx: number): number {
  return clamp((adx - 10) / 25, 0.2, 1)
}

// ---------------------------------------------------------------------------------------------
// Momentum

/**
 * An oscillator centred on 50 with overbought/oversold bands `50 ± band`, read as momentum with
 * exhaustion: inside the bands linear, `(x - 50) / band` (so the band edge counts fully); past
 * a band the reading fades back linearly to half strength over the next 20 points, because an
 * overbought market is strong but stretched.
 * RSI uses band 20 (70/30): RSI 60 → +0.5, 70 → +1, 78 → +0.8, 90 and above → +0.5.
 */
export function oscillatorTerm(x: number, band: number): number {
  const u = x - 50
  const a = Math.abs(u)
  if (a <= band) return u / band
  return sign(u) * (1 - 0.5 * clamp((a - band) / 20, 0, 1))
}

/** RSI: `oscillatorTerm(rsi, 20)`, overbought at 70 and oversold at 30. */
export const rsiTerm = (rsi: number): number => oscillatorTerm(rsi, 20)

/** Slow stochastic %K: `oscillatorTerm(k, 30)`, overbought at 80 and oversold at 20. */
export const stochTerm = (k: number): number => oscillatorTerm(k, 30)

/** MACD histogram in ATRs: `clamp(histogram / (scale × atr), -1, 1)`; scale 0.3 by default. */
export function macdTerm(histogram: number, atr: number, scale: number): number {
  return atr > 0 ? clamp(histogram / (scale * atr), -1, 1) : 0
}

// ---------------------------------------------------------------------------------------------
// Volatility

/**
 * Bollinger position read as mean reversion, switched off as the bands expand:
 * `-clamp(2 × (percentB - 0.5), -1, 1) × clamp(2 - widthRatio, 0, 1)`, where widthRatio is the
 * bandwidth over its recent average. On the upper band (%B 1) in normal volatility → -1 (sell);
 * on the lower band → +1; bands 1.5× their average width → half; 2× or more → 0 (a breakout,
 * where fading the move fails).
 */
export function bollingerTerm(percentB: number, widthRatio: number): number {
  const position = clamp(2 * (percentB - 0.5), -1, 1)
  const damping = widthRatio === widthRatio ? clamp(2 - widthRatio, 0, 1) : 1
  return position === 0 || damping === 0 ? 0 : -position * damping
}

// ---------------------------------------------------------------------------------------------
// Volume

/** Money Flow Index as buying/selling pressure: `clamp((mfi - 50) / 30, -1, 1)`; MFI 80 → +1, 20 → -1. */
export function mfiTerm(mfi: number): number {
  return clamp((mfi - 50) / 30, -1, 1)
}

/**
 * Net on-balance volume over the last n bars as a share of all volume traded in them:
 * `(obv[t] - obv[t-n]) / Σ volume[t-n+1..t]`. +1 when every bar closed up, -1 when every bar
 * closed down; 0 when no volume traded.
 */
export function obvTerm(obvChange: number, volumeSum: number): number {
  return volumeSum > 0 ? clamp(obvChange / volumeSum, -1, 1) : 0
}

// ---------------------------------------------------------------------------------------------
// Combining

/** Σ weight × value / Σ weight over the entries with weight > 0; NaN when none has weight. */
export function weightedMean(values: readonly number[], weights: readonly number[]): number {
  let sum = 0
  let total = 0
  for (let i = 0; i < values.length; i++) {
    const w = weights[i]!
    if (w > 0) {
      sum += w * values[i]!
      total += w
    }
  }
  return total > 0 ? sum / total : NaN
}

/**
 * A lower timeframe confirmed or damped by the higher ones: with d the timeframe's own
 * deviation, H the weighted deviation of the higher timeframes and s the profile's strength,
 * `clamp(d × (1 + s × H × sign(d)), -1, 1)`. Agreement pushes d further from 0 (at most by a
 * factor 1 + s), disagreement pulls it toward 0 (at most by 1 - s); it never flips its sign.
 */
export function confirmByHigher(d: number, higher: number, strength: number): number {
  return clamp(d * (1 + strength * higher * sign(d)), -1, 1)
}

/**
 * How much the components agree: `|Σ w × dev| / Σ w × |dev|`. 1 when all point the same way,
 * 0 when they cancel out or are all exactly neutral.
 */
export function componentAgreement(devs: readonly number[], weights: readonly number[]): number {
  let net = 0
  let gross = 0
  for (let i = 0; i < devs.length; i++) {
    const w = weights[i]!
    if (w > 0) {
      net += w * devs[i]!
      gross += w * Math.abs(devs[i]!)
    }
  }
  return gross > 0 ? Math.abs(net) / gross : 0
}

/**
 * How much the higher timeframes agree with this one's direction: `(1 + sign(d) × H) / 2`.
 * 1 when they lean fully the same way, 0.5 when they are neutral (or d is 0), 0 when opposed.
 */
export function timeframeAgreement(d: number, higher: number): number {
  return (1 + sign(d) * higher) / 2
}

/** Trend strength for the confidence: `clamp((adx - 15) / 25, 0, 1)`; ADX 15 → 0, 40 → 1. */
export function adxConfidence(adx: number): number {
  return clamp((adx - 15) / 25, 0, 1)
}

/** buy at or above the buy threshold, sell at or below the sell threshold, else neutral. */
export function directionOf(score: number, buy: number, sell: number): 'buy' | 'sell' | 'neutral' {
  return score >= buy ? 'buy' : score <= sell ? 'sell' : 'neutral'
}

/** Rounds half away from zero to `digits` decimals; the values the engine publishes. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits
  return (Math.sign(x) * Math.round(Math.abs(x) * f)) / f
}
