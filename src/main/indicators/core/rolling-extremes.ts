/**
 * Highest and lowest value over the last `period` bars, O(1) amortised per bar, using a
 * monotonic deque (values with their bar index) held in fixed ring buffers: no allocation per
 * bar. On ties the most recent bar wins, as in TA-Lib's AROON. `step(x, false)` reports what
 * `step(x, true)` would, without changing state (for previews of a forming bar).
 *
 * One implementation serves both: it tracks the maximum of sign × x (`sign` 1 for the highest,
 * -1 for the lowest). Negation is exact and reverses every comparison, so the lowest comes out
 * bit for bit as a separate min deque would give it (same ties, same `at`).
 */
class RollingExtreme {
  /** Bar index (0-based count of steps) of the extreme found by the last step. */
  at = -1
  private readonly vals: Float64Array
  private readonly idx: Float64Array
  private head = 0
  private size = 0
  private t = 0

  constructor(
    readonly period: number,
    private readonly sign: 1 | -1,
  ) {
    this.vals = new Float64Array(period)
    this.idx = new Float64Array(period)
  }

  /** Extreme of the last `period` values including `value` (fewer during warm-up). */
  step(value: number, commit: boolean): number {
    const sign = this.sign
    const x = sign * value
    const cap = this.period
    const vals = this.vals
    const idx = this.idx
    const t = this.t
    let head = this.head
    let size = this.size
    // At most one entry leaves the window per bar: the one that entered `period` bars ago.
    if (size > 0 && idx[head]! <= t - cap) {
      head = head + 1 === cap ? 0 : head + 1
      size--
    }
    if (!commit) {
      if (size > 0 && vals[head]! > x) {
        this.at = idx[head]!
        return sign * vals[head]!
      }
      this.at = t
      return value
    }
    while (size > 0) {
      let back = head + size - 1
      if (back >= cap) back -= cap
      if (vals[back]! <= x) size--
      else break
    }
    let tail = head + size
    if (tail >= cap) tail -= cap
    vals[tail] = x
    idx[tail] = t
    size++
    this.head = head
    this.size = size
    this.t = t + 1
    this.at = idx[head]!
    return sign * vals[head]!
  }
}

/** Highest value over the last `period` bars (see RollingExtreme). */
export class RollingMax extends RollingExtreme {
  constructor(period: number) {
    super(period, 1)
  }
}

/** Lowest value over the last `period` bars (see RollingExtreme). */
export class RollingMin extends RollingExtreme {
  constructor(period: number) {
    super(period, -1)
  }
}

/**
 * For batch loops over a whole series. Max and min are exact, so any correct scan gives the very
 * values of RollingMax/RollingMin; on a whole series it is faster to keep the current extreme
 * and rescan the window only when that extreme leaves it, with none of the deque's
 * unpredictable pops:
 *
 *   if (h >= hh) { hh = h; hAt = i } else if (hAt <= i - period) { hAt = latestExtremeIndex(high, i - period + 1, i, 1); hh = high[hAt] }
 *
 * (That per-bar test stays written out in each loop: every helper for it measured 10-30% slower.)
 */

/**
 * Index of the largest (`sign` 1) or smallest (`sign` -1) of values[from..to]; the latest one on
 * ties. Compares sign × value: negation is exact and reverses every comparison.
 */
export function latestExtremeIndex(values: Float64Array, from: number, to: number, sign: 1 | -1): number {
  let at = from
  let best = sign * values[from]!
  for (let j = from + 1; j <= to; j++) {
    const v = sign * values[j]!
    if (v >= best) {
      best = v
      at = j
    }
  }
  return at
}
