import { MINUTES_PER_DAY } from './calendar'

/**
 * When a market is busy. `crypto` follows the 24/7 crypto cycle by UTC hour: quiet in the
 * late Asian night (03–06), a European bump (08–09) and the peak around the US open (13–16),
 * with a smaller bump at the 00:00 UTC daily close; weekends calmer. `fx` (euro, gold) follows
 * the forex sessions: flat and quiet in Asia, rising at the London open, peaking in the
 * London/New York overlap (13–15), fading after; weekends nearly still (the underlying market
 * is closed, the token still trades).
 */
export type Session = 'crypto' | 'fx'

/** Relative volatility by UTC hour, at the middle of each hour. */
const HOURLY_VOL: Record<Session, readonly number[]> = {
  crypto: [
    1.05, 0.97, 0.9, 0.84, 0.78, 0.76, 0.8, 0.88, 0.98, 1.0, 0.97, 0.95, 1.02, 1.18, 1.35, 1.32, 1.2, 1.1,
    1.02, 0.97, 0.95, 0.92, 0.9, 0.95,
  ],
  fx: [
    0.6, 0.58, 0.6, 0.6, 0.58, 0.6, 0.75, 1.0, 1.25, 1.2, 1.1, 1.05, 1.2, 1.45, 1.5, 1.35, 1.15, 1.0, 0.9,
    0.85, 0.75, 0.65, 0.6, 0.6,
  ],
}

/** Weekend variance and volume relative to the weekly mean, before normalisation. */
const WEEKEND: Record<Session, { variance: number; volume: number }> = {
  crypto: { variance: 0.75, volume: 0.7 },
  fx: { variance: 0.2, volume: 0.3 },
}

export interface SessionProfile {
  /** Variance multiplier per minute of the UTC day; mean exactly 1 over the day. */
  readonly variance: Float64Array
  /** Volume multiplier per minute of the UTC day, volatility^1.5 (busy hours busier still); mean 1. */
  readonly volume: Float64Array
  /** Variance multiplier by weekday (0 = Sunday); mean 1 over the week. */
  readonly weekVariance: readonly number[]
  /** Volume multiplier by weekday (0 = Sunday); mean 1 over the week. */
  readonly weekVolume: readonly number[]
}

/** Hour values are placed at each hour's middle and interpolated linearly, so there are no steps. */
function perMinute(hourly: readonly number[]): Float64Array {
  const out = new Float64Array(MINUTES_PER_DAY)
  for (let i = 0; i < MINUTES_PER_DAY; i++) {
    const pos = (i + 0.5) / 60 - 0.5
    const h0 = Math.floor(pos)
    const frac = pos - h0
    const a = hourly[(h0 + 24) % 24]!
    const b = hourly[(h0 + 1) % 24]!
    out[i] = a + (b - a) * frac
  }
  return out
}

function normaliseMean(values: Float64Array): Float64Array {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i]!
  const k = values.length / sum
  for (let i = 0; i < values.length; i++) values[i] = values[i]! * k
  return values
}

function week(weekend: number): number[] {
  const weekday = (7 - 2 * weekend) / 5
  return [weekend, weekday, weekday, weekday, weekday, weekday, weekend]
}

function build(session: Session): SessionProfile {
  const vol = perMinute(HOURLY_VOL[session])
  const variance = normaliseMean(vol.map((v) => v * v))
  // v·√v rather than Math.pow: sqrt is exactly rounded by IEEE 754, pow is not specified to be.
  const volume = normaliseMean(vol.map((v) => v * Math.sqrt(v)))
  return {
    variance,
    volume,
    weekVariance: week(WEEKEND[session].variance),
    weekVolume: week(WEEKEND[session].volume),
  }
}

const PROFILES: Record<Session, SessionProfile> = { crypto: build('crypto'), fx: build('fx') }

export function sessionProfile(session: Session): SessionProfile {
  return PROFILES[session]
}

/** The configured relative volatility by UTC hour (for tests and tooltips). */
export function hourlyVolatility(session: Session): readonly number[] {
  return HOURLY_VOL[session]
}
