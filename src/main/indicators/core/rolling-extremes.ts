/**
 * Highest and lowest value over the last `period` bars, O(1) amortised per bar, using a
 * monotonic deque (values with their bar index) held in fixed ring buffers: no allocation per
 * bar. On ties the most recent bar wins, as in TA-Lib's AROON. `step(x, false)` reports what
 * `step(x, true)` would, without changing state (for previews of a forming bar).
 */
export class RollingMax {
  /** Bar index (0-based count of steps) of the maximum found by the last step. */
  at = -1
  private readonly vals: Float64Array
  private readonly idx: Float64Array
  private head = 0
  private size = 0
  private t = 0

  constructor(readonly period: number) {
    this.vals = new Float64Array(period)
    this.idx = new Float64Array(period)
  }

  /** Maximum of the last `period` values including `x` (fewer during warm-up). */
  step(x: number, commit: boolean): number {
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
        return vals[head]!
      }
      this.at = t
      return x
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
    return vals[head]!
  }
}

/** Mirror of RollingMax for the lowest value. */
export class RollingMin {
  at = -1
  private readonly vals: Float64Array
  private readonly idx: Float64Array
  private head = 0
  private size = 0
  private t = 0

  constructor(readonly period: number) {
    this.vals = new Float64Array(period)
    this.idx = new Float64Array(period)
  }

  step(x: number, commit: boolean): number {
    const cap = this.period
    const vals = this.vals
    const idx = this.idx
    const t = this.t
    let head = this.head
    let size = this.size
    if (size > 0 && idx[head]! <= t - cap) {
      head = head + 1 === cap ? 0 : head + 1
      size--
    }
    if (!commit) {
      if (size > 0 && vals[head]! < x) {
        this.at = idx[head]!
        return vals[head]!
      }
      this.at = t
      return x
    }
    while (size > 0) {
      let back = head + size - 1
      if (back >= cap) back -= cap
      if (vals[back]! >= x) size--
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
    return vals[head]!
  }
}

/**
 * For batch loops over a whole series. Max and min are exact, so any correct scan gives the very
 * values of RollingMax/RollingMin; on a whole series it is faster to keep the current extreme
 * and rescan the window only when that extreme leaves it, with none of the deque's
 * unpredictable pops:
 *
 *   if (h >= hh) { hh = h; hAt = i } else if (hAt <= i - period) { hAt = latestMaxIndex(high, i - period + 1, i); hh = high[hAt] }
 */

/** Index of the largest of values[from..to]; the latest one on ties. */
export function latestMaxIndex(values: Float64Array, from: number, to: number): number {
  let at = from
  let m = values[from]!
  for (let j = from + 1; j <= to; j++) {
    const v = values[j]!
    if (v >= m) {
      m = v
      at = j
    }
  }
  return at
}

/** Index of the smallest of values[from..to]; the latest one on ties. */
export function latestMinIndex(values: Float64Array, from: number, to: number): number {
  let at = from
  let m = values[from]!
  for (let j = from + 1; j <= to; j++) {
    const v = values[j]!
    if (v <= m) {
      m = v
      at = j
    }
  }
  return at
}
