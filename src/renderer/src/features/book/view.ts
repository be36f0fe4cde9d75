import { decimalsOf } from '../../../../shared/domain/book'

export { bookView, depthCurves, type BookView } from '../../../../shared/domain/book-view'

/** A price with at least the tick's decimals ("76621.9" -> "76621.90" at a 0.01 tick). */
export function atTickDecimals(price: string, tick: string): string {
  const want = decimalsOf(tick)
  const have = decimalsOf(price)
  if (have >= want) return price
  return (have === 0 ? `${price}.` : price) + '0'.repeat(want - have)
}

/** A size for the eye: fewer decimals the larger it is (the exact value is in the row's title). */
export function shortSize(size: string): string {
  const n = Number(size)
  const digits = n >= 1000 ? 0 : n >= 10 ? 2 : n >= 1 ? 3 : 5
  return n.toLocaleString(undefined, { maximumFractionDigits: digits, minimumFractionDigits: 0 })
}
