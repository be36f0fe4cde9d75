import { MINUTES_PER_DAY } from './calendar'
import type { DayInputs } from './daily'
import { Sfc32, streamKey, t4CappedSecondMoment } from './rng'
import type { SessionProfile } from './seasonality'

/**
 * The intraday layer: one UTC day of 1m bars for one symbol, generated on its own from the
 * day's inputs (open, close, regime; see daily.ts) and two counter-keyed random streams.
 *
 * Minute i's raw log return is
 *   r_i = σ_i·(λ·√g_i·f_i + √(1 − λ²)·√q_i·e_i),
 *   σ_i² = σ²·season_i·week·(regime interpolated across the day),
 * with f the market factor (one stream per day, shared by every symbol, so symbols co-move with
 * correlation λ_a·λ_b) and e the symbol's own shock, both unit-variance Student-t₄ (fat tails).
 * g (market) and q (symbol) are unit-mean GARCH(1,1) variance multipliers,
 *   g' = ω + β·g + α·g·min(f², CAP),   ω = 1 − β − α·E[min(f², CAP)],
 * so shocks raise volatility for the next tens of minutes (half-life ≈ 27 min). The shock is
 * capped at CAP inside the recursion only (not in the return) so that one t₄ outlier cannot set
 * off an absurd storm; ω is derived from the capped moment so E[g] stays exactly 1. Both start
 * at 1 at 00:00 UTC: persistence beyond hours lives in the daily regime, which is continuous.
 *
 * The day's path is then pinned to the daily layer's close with a bridge in "business time":
 * y_i = open + X_i − w_i·(X_N − D), X the cumulative raw return, D the day's return and w_i the
 * fraction of the day's variance elapsed by minute i. Because D is independent of X with the
 * same variance, the bridged increments have the same covariance as the raw ones (the
 * correction's cross terms cancel), so pinning adds no autocorrelation.
 *
 * High and low come from the exact law of the extremes of a Brownian bridge from 0 to c with
 * variance s² over the minute: P(max > m) = exp(−2m(m − c)/s²), so max = (c + √(c² − 2s²·ln U))/2
 * and min = (c − √(c² − 2s²·ln U′))/2. Volume = base × seasonal and weekday profile × activity
 * (grows with |r_i|) × noise, rounded to the symbol's power-of-two volume step.
 * Prices are rounded to the symbol's precision; a bar's open is the previous bar's close.
 */
export const GARCH_ALPHA = 0.06
export const GARCH_BETA = 0.92
export const GARCH_SHOCK_CAP = 16
export const GARCH_OMEGA = 1 - GARCH_BETA - GARCH_ALPHA * t4CappedSecondMoment(GARCH_SHOCK_CAP)

const SALT_FACTOR = 0x66616374
const SALT_MINUTES = 0x6d696e73

/** E|z| for a unit-variance t₄: E|T| = 1 for a raw t₄, scaled by 1/√2. */
const MEAN_ABS_SHOCK = Math.SQRT1_2

/** One day of 1m bars, column by column, minute i opening at day start + i minutes. */
export interface DayBars {
  readonly open: Float64Array
  readonly high: Float64Array
  readonly low: Float64Array
  readonly close: Float64Array
  readonly volume: Float64Array
}

export function newDayBars(): DayBars {
  return {
    open: new Float64Array(MINUTES_PER_DAY),
    high: new Float64Array(MINUTES_PER_DAY),
    low: new Float64Array(MINUTES_PER_DAY),
    close: new Float64Array(MINUTES_PER_DAY),
    volume: new Float64Array(MINUTES_PER_DAY),
  }
}

/** Per-symbol constants of the intraday model. */
export interface IntradayModel {
  /** Unconditional variance of a 1m log return: annualVol² / (365 × 1440). */
  readonly minuteVariance: number
  readonly loading: number
  readonly streamId: number
  readonly profile: SessionProfile
  /** 10^pricePrecision */
  readonly priceScale: number
  readonly baseVolume: number
  readonly volumeStep: number
}

// Scratch space for one day; generation is synchronous, so one set is enough.
const rawReturn = new Float64Array(MINUTES_PER_DAY)
const cumReturn = new Float64Array(MINUTES_PER_DAY)
const cumVariance = new Float64Array(MINUTES_PER_DAY)
const condVariance = new Float64Array(MINUTES_PER_DAY)
const baseSd = new Float64Array(MINUTES_PER_DAY)

/** The market factor of one day, shared by every symbol: per minute √g·f and g. */
export interface FactorDay {
  readonly shock: Float64Array
  readonly variance: Float64Array
}

export function newFactorDay(): FactorDay {
  return { shock: new Float64Array(MINUTES_PER_DAY), variance: new Float64Array(MINUTES_PER_DAY) }
}

/** The day's market-factor shocks f with their GARCH multiplier g (g = 1 at 00:00 UTC). */
export function generateFactorDay(seedLo: number, seedHi: number, day: number, out: FactorDay): void {
  const rng = new Sfc32(streamKey(seedLo, seedHi, SALT_FACTOR, day))
  let g = 1
  for (let i = 0; i < MINUTES_PER_DAY; i++) {
    const f = rng.studentT4()
    out.shock[i] = Math.sqrt(g) * f
    out.variance[i] = g
    const f2 = f * f
    g = GARCH_OMEGA + GARCH_BETA * g + GARCH_ALPHA * g * (f2 < GARCH_SHOCK_CAP ? f2 : GARCH_SHOCK_CAP)
  }
}

export function generateDayBars(
  model: IntradayModel,
  seedLo: number,
  seedHi: number,
  day: number,
  inp: DayInputs,
  factor: FactorDay,
  out: DayBars,
): void {
  const N = MINUTES_PER_DAY
  const own = new Sfc32(streamKey(seedLo, seedHi, SALT_MINUTES ^ (model.streamId * 0x10001), day))
  const lam = model.loading
  const idio = Math.sqrt(1 - lam * lam)
  const lam2 = lam * lam
  const idio2 = 1 - lam2
  const season = model.profile.variance
  const dayScale = model.minuteVariance * inp.weekVariance
  const vStart = inp.regimeStart
  const vSlope = inp.regimeEnd - inp.regimeStart
  const shock = factor.shock
  const g = factor.variance

  // Pass 1: raw GARCH returns and the day's variance clock.
  let q = 1
  let x = 0
  let cv = 0
  for (let i = 0; i < N; i++) {
    const v = dayScale * season[i]! * (vStart + (vSlope * (i + 0.5)) / N)
    const sd = Math.sqrt(v)
    const e = own.studentT4()
    const r = sd * (lam * shock[i]! + idio * Math.sqrt(q) * e)
    condVariance[i] = v * (lam2 * g[i]! + idio2 * q)
    const e2 = e * e
    q = GARCH_OMEGA + GARCH_BETA * q + GARCH_ALPHA * q * (e2 < GARCH_SHOCK_CAP ? e2 : GARCH_SHOCK_CAP)
    x += r
    cv += v
    rawReturn[i] = r
    cumReturn[i] = x
    cumVariance[i] = cv
    baseSd[i] = sd
  }

  // Pass 2: pin to the day's close, then extremes, rounding and volume.
  const open = inp.logOpen
  const miss = x - (inp.logClose - open)
  const invTotal = 1 / cv
  const scale = model.priceScale
  const step = model.volumeStep
  const volSeason = model.profile.volume
  const volScale = (model.baseVolume * inp.weekVolume) / step
  const activity = 0.5 / MEAN_ABS_SHOCK
  let yPrev = open
  let pPrev = Math.exp(open)
  let prevClose = Math.round(pPrev * scale) / scale
  for (let i = 0; i < N; i++) {
    // The last minute closes exactly on the daily layer's close, which is the next day's open.
    const y = i === N - 1 ? inp.logClose : open + cumReturn[i]! - cumVariance[i]! * invTotal * miss
    const c = y - yPrev
    const c2 = c * c
    const s2 = 2 * condVariance[i]!
    const up = 0.5 * (c + Math.sqrt(c2 - s2 * Math.log(own.uniform())))
    const down = 0.5 * (c - Math.sqrt(c2 - s2 * Math.log(own.uniform())))
    // Price by compounding the minute's move (drifts from e^y by ~1e-13 over a day, invisible
    // after rounding); the day's last close is exp(logClose) exactly, the next day's first open.
    const p = i === N - 1 ? Math.exp(y) : pPrev * expSmall(c)
    const close = Math.round(p * scale) / scale
    let high = Math.round(pPrev * expSmall(up) * scale) / scale
    let low = Math.round(pPrev * expSmall(down) * scale) / scale
    const top = close > prevClose ? close : prevClose
    const bottom = close < prevClose ? close : prevClose
    if (high < top) high = top
    if (low > bottom) low = bottom
    out.open[i] = prevClose
    out.high[i] = high
    out.low[i] = low
    out.close[i] = close

    // Activity: busier when the price moves. Noise: triangular on (0, 2), mean 1, sd 0.41.
    const act = 0.5 + (activity * Math.abs(rawReturn[i]!)) / baseSd[i]!
    const noise = own.uniform() + own.uniform()
    const units = Math.round(volScale * volSeason[i]! * act * noise)
    out.volume[i] = (units > 1 ? units : 1) * step

    pPrev = p
    prevClose = close
    yPrev = y
  }
}

/**
 * e^x for the small log moves inside one minute: Taylor series to x⁷ (relative error below
 * 1e-16 for |x| <= 0.03), Math.exp beyond. Several times faster than Math.exp, and made of
 * IEEE-rounded + and × only, so identical on every machine.
 */
function expSmall(x: number): number {
  if (x > 0.03 || x < -0.03) return Math.exp(x)
  return 1 + x * (1 + x * (0.5 + x * (INV_3F + x * (INV_4F + x * (INV_5F + x * (INV_6F + x * INV_7F))))))
}

const INV_3F = 1 / 6
const INV_4F = 1 / 24
const INV_5F = 1 / 120
const INV_6F = 1 / 720
const INV_7F = 1 / 5040
