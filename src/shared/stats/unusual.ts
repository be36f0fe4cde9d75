import { robustStats, robustZ, type RobustStats } from './robust'

/**
 * Unusual-activity flags: a trade's return, or a bar's return or volume, far from the same
 * symbol's own history in robust z-scores (robust.ts). The method and thresholds are stated in
 * docs/JOURNAL.md ("Unusual activity"); the reason is always written out in words, with the
 * figures it rests on.
 */

/** |robust z| at or above this is flagged (Iglewicz and Hoaglin's modified z-score threshold). */
export const UNUSUAL_Z = 3.5
/** Fewer values than this in the history and nothing is flagged: too little to say what is usual. */
export const MIN_HISTORY = 20

export interface UnusualFlag {
  /** What is unusual: a trade's return, a bar's return or its volume. */
  measure: 'trade-return' | 'bar-return' | 'bar-volume'
  /** The robust z-score (signed: below the median is negative). */
  z: number
  /** The reason in words, with the value, the distance in robust σ and the median it is measured from. */
  reason: string
}

/** The figures a flag compares with; null when the history is too short to say. */
export function historyOf(values: ArrayLike<number>): RobustStats | null {
  const s = robustStats(values)
  return s && s.n >= MIN_HISTORY ? s : null
}

/** A signed percentage as the reason writes it: `+1.2 %`, `−8.2 %` (a true minus sign). */
export function pctText(v: number): string {
  const t = Math.abs(v).toFixed(Math.abs(v) >= 100 ? 0 : 1)
  return `${v < 0 && t !== '0.0' && t !== '0' ? '−' : v > 0 && t !== '0.0' && t !== '0' ? '+' : ''}${t} %`
}

function volumeText(v: number): string {
  return v.toLocaleString('en-US', { maximumSignificantDigits: 4 })
}

function distance(z: number): string {
  return `${Math.abs(z).toFixed(1)} robust σ ${z < 0 ? 'below' : 'above'}`
}

/**
 * A closed trade's return % against the returns of the symbol's closed trades: flagged when
 * |z| >= UNUSUAL_Z. "Return −8.2 % is 4.1 robust σ below this symbol's median trade (+0.3 %, 42 trades)".
 */
export function tradeReturnFlag(returnPct: number | null, history: RobustStats | null): UnusualFlag | null {
  if (returnPct === null || history === null) return null
  const z = robustZ(returnPct, history)
  if (z === null || Math.abs(z) < UNUSUAL_Z) return null
  return {
    measure: 'trade-return',
    z,
    reason: `Return ${pctText(returnPct)} is ${distance(z)} this symbol's median trade (${pctText(history.median)}, ${history.n} trades)`,
  }
}

/** What `barFlags` looks at: the bars of one series, oldest first, the last one the bar judged. */
export interface BarSeries {
  close: ArrayLike<number>
  volume: ArrayLike<number>
}

/**
 * The last bar of a series against the bars before it (at most `lookback` of them; the judged bar
 * is not part of its own history): its return (close over the previous close, in %) and its
 * volume, each flagged when |z| >= UNUSUAL_Z. `bar` names the bar in the reason ("1h bar").
 */
export function barFlags(series: BarSeries, bar: string, lookback = 500): UnusualFlag[] {
  const n = series.close.length
  if (n < 3) return []
  const from = Math.max(1, n - 1 - lookback)
  const returns: number[] = []
  const volumes: number[] = []
  for (let i = from; i < n - 1; i++) {
    const prev = series.close[i - 1]!
    if (prev > 0) returns.push((series.close[i]! / prev - 1) * 100)
    volumes.push(series.volume[i]!)
  }
  const flags: UnusualFlag[] = []
  const prev = series.close[n - 2]!
  const ret = prev > 0 ? (series.close[n - 1]! / prev - 1) * 100 : NaN
  const rh = historyOf(returns)
  const rz = rh && robustZ(ret, rh)
  if (rh && rz !== null && rz !== undefined && Math.abs(rz) >= UNUSUAL_Z)
    flags.push({
      measure: 'bar-return',
      z: rz,
      reason: `Move ${pctText(ret)} is ${distance(rz)} this symbol's median ${bar} (${pctText(rh.median)}, ${rh.n} bars)`,
    })
  const vol = series.volume[n - 1]!
  const vh = historyOf(volumes)
  const vz = vh && robustZ(vol, vh)
  if (vh && vz !== null && vz !== undefined && Math.abs(vz) >= UNUSUAL_Z)
    flags.push({
      measure: 'bar-volume',
      z: vz,
      reason: `Volume ${volumeText(vol)} is ${distance(vz)} this symbol's median ${bar} (${volumeText(vh.median)}, ${vh.n} bars)`,
    })
  return flags
}
