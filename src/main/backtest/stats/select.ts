// Order statistics without sorting: Floyd-Rivest selection in place, so the percentiles and the
// conditional value at risk of a million returns cost two linear passes instead of a sort.

/** Rearranges a[left..right] so that a[k] holds the value a sorted copy would hold there, every
 *  element before k is <= a[k] and every element after is >= a[k]. No NaN in the range. */
export function selectInPlace(a: Float64Array, k: number, left = 0, right = a.length - 1): void {
  while (right > left) {
    if (right - left > 600) {
      // Floyd-Rivest: narrow [left, right] to a sample's bracket around k first.
      const n = right - left + 1
      const i = k - left + 1
      const z = Math.log(n)
      const s = 0.5 * Math.exp((2 * z) / 3)
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (i - n / 2 < 0 ? -1 : 1)
      const newLeft = Math.max(left, Math.floor(k - (i * s) / n + sd))
      const newRight = Math.min(right, Math.floor(k + ((n - i) * s) / n + sd))
      selectInPlace(a, k, newLeft, newRight)
    }
    const t = a[k]!
    let i = left
    let j = right
    swap(a, left, k)
    if (a[right]! > t) swap(a, left, right)
    while (i < j) {
      swap(a, i, j)
      i++
      j--
      while (a[i]! < t) i++
      while (a[j]! > t) j--
    }
    if (a[left] === t) swap(a, left, j)
    else {
      j++
      swap(a, j, right)
    }
    if (j <= k) left = j + 1
    if (k <= j) right = j - 1
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!
  a[i] = a[j]!
  a[j] = t
}

/** Smallest value of a[from..to] (inclusive); +Infinity for an empty range. */
export function minOf(a: Float64Array, from: number, to: number): number {
  let m = Infinity
  for (let i = from; i <= to; i++) if (a[i]! < m) m = a[i]!
  return m
}

/** numpy's default ("linear") percentile interpolation between neighbours a (lower) and b. */
export function lerp(a: number, b: number, t: number): number {
  const d = b - a
  // numpy switches to b - d*(1-t) from t >= 0.5 so the result is exact at t = 1.
  return t >= 0.5 ? b - d * (1 - t) : a + d * t
}
