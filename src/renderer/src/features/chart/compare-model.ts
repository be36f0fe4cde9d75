import { z } from 'zod'

/**
 * Compare: other symbols drawn over the chart as lines on a percent scale, as on TradingView.
 * Each line and the chart's own bars start at 0% at their first bar in view (lightweight-charts'
 * percentage mode takes every series from its own first visible close), so a symbol whose
 * history starts later starts at 0% where it begins. The pure part: which symbols, their
 * colours, how their bars meet the chart's, and the percent the legend shows.
 */
export interface CompareItem {
  source: string
  symbol: string
  color: string
}

/** Lines at most on one chart: more is noise on a percent scale. */
export const MAX_COMPARES = 5

/** Distinct from the up and down colours and from each other, on dark and light backgrounds. */
export const COMPARE_COLORS = ['#f0a020', '#a070ff', '#20b8d0', '#e0508a', '#70b030'] as const

export const compareKey = (i: { source: string; symbol: string }): string => `${i.source}\u0000${i.symbol}`

/** The first colour no line of `items` uses (the first again once all are taken). */
export function nextCompareColor(items: readonly CompareItem[]): string {
  return COMPARE_COLORS.find((c) => !items.some((i) => i.color === c)) ?? COMPARE_COLORS[0]
}

/**
 * `items` with `add` appended, unless it is the chart's own symbol, already there, or the list
 * is full: then the reason, in words.
 */
export function withCompare(
  items: readonly CompareItem[],
  add: { source: string; symbol: string },
  chart: { source: string; symbol: string } | null,
): CompareItem[] | string {
  if (chart && compareKey(chart) === compareKey(add)) return `${add.symbol} is the chart's own symbol`
  if (items.some((i) => compareKey(i) === compareKey(add))) return `${add.symbol} is already compared`
  if (items.length >= MAX_COMPARES) return `At most ${MAX_COMPARES} symbols can be compared on one chart`
  return [...items, { source: add.source, symbol: add.symbol, color: nextCompareColor(items) }]
}

export interface ComparePoint {
  /** Bar open time, ms. */
  time: number
  value: number
}

/**
 * The other symbol's closes at the chart's own bar times only, oldest first: a bar time the
 * chart lacks (a weekend of a crypto symbol over a stock) would add a slot to the chart's time
 * scale and move every bar index the chart, its drawings and its legend rely on. Both inputs
 * sorted ascending.
 */
export function alignToChart(
  chartTimes: ArrayLike<number>,
  times: ArrayLike<number>,
  closes: ArrayLike<number>,
): ComparePoint[] {
  const out: ComparePoint[] = []
  let j = 0
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!
    while (j < chartTimes.length && chartTimes[j]! < t) j++
    if (j === chartTimes.length) break
    if (chartTimes[j] === t) out.push({ time: t, value: closes[i]! })
  }
  return out
}

/**
 * The change in percent from the line's first point at or after `fromTime` (the first bar in
 * view) to its point at `atTime` (the bar under the crosshair): the number its line shows there.
 * Null when it has no point at `atTime` or none in view before it.
 */
export function percentFrom(
  points: readonly ComparePoint[],
  fromTime: number,
  atTime: number,
): number | null {
  const base = points[firstAtOrAfter(points, fromTime)]
  const at = points[firstAtOrAfter(points, atTime)]
  if (!base || !at || at.time !== atTime || base.time > atTime || base.value === 0) return null
  return (at.value / base.value - 1) * 100
}

/** Index of the first point at or after `time` (binary search: the legend asks on every move). */
function firstAtOrAfter(points: readonly ComparePoint[], time: number): number {
  let lo = 0
  let hi = points.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (points[mid]!.time < time) lo = mid + 1
    else hi = mid
  }
  return lo
}

const itemsSchema = z
  .array(z.object({ source: z.string().min(1), symbol: z.string().min(1), color: z.string().min(1) }))
  .max(MAX_COMPARES)

const KEY = 'candlework.chart.compare.v1'

/** The chart's compared symbols, kept in this window's storage (`chart` names the chart). */
export function readCompares(chart = 'main'): CompareItem[] {
  try {
    const parsed = itemsSchema.safeParse(JSON.parse(localStorage.getItem(`${KEY}:${chart}`) ?? '[]'))
    return parsed.success ? parsed.data : []
  } catch {
    return []
  }
}

export function saveCompares(items: readonly CompareItem[], chart = 'main'): void {
  try {
    localStorage.setItem(`${KEY}:${chart}`, JSON.stringify(items))
  } catch {
    // Storage full or disabled: the lines last until the window closes.
  }
}
