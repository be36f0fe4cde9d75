/**
 * Walk-forward windows: the bars cut into `folds` out-of-sample windows, each preceded by its
 * in-sample window (rolling: the same length just before it; anchored: everything from the
 * first bar). The optimiser picks parameters on each in-sample window and tests them on the
 * following out-of-sample one; the out-of-sample equity curves are stitched into one.
 */

export interface Window {
  /** In-sample bars [isFrom, isTo) and out-of-sample bars [oosFrom, oosTo), indices into the series. */
  isFrom: number
  isTo: number
  oosFrom: number
  oosTo: number
}

/**
 * `folds` windows over `bars` bars: the series is split into folds + 1 equal parts (the last one
 * takes the remainder); window k trains on part k (rolling) or parts 0..k (anchored) and tests
 * on part k + 1.
 */
export function walkForwardWindows(
  bars: number,
  folds: number,
  mode: 'rolling' | 'anchored' = 'rolling',
): Window[] {
  if (!Number.isInteger(folds) || folds < 1)
    throw new Error('walk-forward: folds must be a whole number from 1')
  const part = Math.floor(bars / (folds + 1))
  if (part < 2) throw new Error(`walk-forward: ${bars} bars are too few for ${folds} folds`)
  const out: Window[] = []
  for (let k = 0; k < folds; k++) {
    const oosFrom = (k + 1) * part
    out.push({
      isFrom: mode === 'rolling' ? k * part : 0,
      isTo: oosFrom,
      oosFrom,
      oosTo: k === folds - 1 ? bars : oosFrom + part,
    })
  }
  return out
}

/**
 * Out-of-sample equity curves chained into one: each window's curve is scaled so it starts where
 * the previous one ended (its returns kept), the first starting at `start`.
 */
export function stitchEquity(
  curves: readonly { time: ArrayLike<number>; value: ArrayLike<number> }[],
  start: number,
): { time: number[]; value: number[] } {
  const time: number[] = []
  const value: number[] = []
  let level = start
  for (const c of curves) {
    if (c.value.length === 0) continue
    const scale = level / c.value[0]!
    for (let i = 0; i < c.value.length; i++) {
      time.push(c.time[i]!)
      value.push(c.value[i]! * scale)
    }
    level = value.at(-1)!
  }
  return { time, value }
}
