/**
 * The one place the chart reads a price or an amount that came over the wire (an order's price,
 * stop price and size, a position's entry and amount, a P&L). The wire carries numbers today and
 * exact decimal strings later; the chart draws in pixels, where a double is exact enough, so
 * either is read here and nowhere else.
 */
export function toChartPrice(x: number | string): number {
  return typeof x === 'number' ? x : Number(x)
}

/** Like `toChartPrice`, for a field that may be absent (null on the wire). */
export function toChartPriceOrNull(x: number | string | null | undefined): number | null {
  if (x === null || x === undefined) return null
  const n = toChartPrice(x)
  return Number.isFinite(n) ? n : null
}
