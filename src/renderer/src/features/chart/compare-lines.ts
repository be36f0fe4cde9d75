import {
  LineSeries,
  LineStyle,
  type IChartApi,
  type ISeriesApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts'
import { alignToChart, percentFrom, type ComparePoint } from './compare-model'

/** What the chart needs of one compared symbol (compare-store's CompareLine). */
export interface CompareInput {
  key: string
  symbol: string
  color: string
  times: readonly number[]
  closes: readonly number[]
  rev: number
}

interface Drawn {
  series: ISeriesApi<'Line'>
  input: CompareInput
  rev: number
  points: ComparePoint[]
  /** The input's bar count when drawn: a live bar appended since is drawn by `update`. */
  count: number
  lastClose: number | undefined
}

const toLine = (p: ComparePoint) => ({ time: (p.time / 1000) as UTCTimestamp, value: p.value })

/**
 * The compare lines on a chart: one line series per symbol on the bars' own (right) price
 * scale, which is in percent while any is shown, so every series starts at 0% at its first bar
 * in view. Points only at the chart's own bar times (`alignToChart`).
 */
export class CompareLines {
  private readonly drawn = new Map<string, Drawn>()

  constructor(
    private readonly chart: IChartApi,
    /** The chart's bar open times in ms, oldest first (the forming bar last). */
    private readonly chartTimes: () => readonly number[],
    /** Told when lines come or go: the price scale turns to percent and back. */
    private readonly onCount: (count: number) => void,
  ) {}

  get count(): number {
    return this.drawn.size
  }

  /** Draws `inputs` (a new load in full, a live change by its last bar), removing the others. */
  sync(inputs: readonly CompareInput[]): void {
    const before = this.drawn.size
    const keep = new Set(inputs.map((i) => i.key))
    for (const [key, d] of this.drawn) {
      if (keep.has(key)) continue
      this.chart.removeSeries(d.series)
      this.drawn.delete(key)
    }
    for (const input of inputs) {
      let d = this.drawn.get(input.key)
      if (!d) {
        const series = this.chart.addSeries(LineSeries, {
          color: input.color,
          lineWidth: 2,
          title: input.symbol,
          priceLineVisible: false,
          crosshairMarkerRadius: 3,
          lineStyle: LineStyle.Solid,
        })
        d = { series, input, rev: -1, points: [], count: 0, lastClose: undefined }
        this.drawn.set(input.key, d)
      }
      d.input = input
      if (d.rev !== input.rev) this.draw(d, input)
      else this.updateLast(d, input)
    }
    if (this.drawn.size !== before) this.onCount(this.drawn.size)
  }

  /** The chart's bars changed (a new load, an older page): every line is aligned again. */
  realign(): void {
    for (const d of this.drawn.values()) this.draw(d, d.input)
  }

  /** Each line's change in percent from the first bar in view (`fromTime`) to the bar at `atTime`. */
  valuesAt(fromTime: number, atTime: number): Record<string, number | null> {
    const out: Record<string, number | null> = {}
    for (const [key, d] of this.drawn) out[key] = percentFrom(d.points, fromTime, atTime)
    return out
  }

  /** Points drawn per line (the test probe). */
  pointCounts(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [key, d] of this.drawn) out[key] = d.points.length
    return out
  }

  dispose(): void {
    for (const d of this.drawn.values()) this.chart.removeSeries(d.series)
    this.drawn.clear()
  }

  private draw(d: Drawn, input: CompareInput): void {
    d.points = alignToChart(this.chartTimes(), input.times, input.closes)
    d.series.setData(d.points.map(toLine))
    d.rev = input.rev
    d.count = input.times.length
    d.lastClose = input.closes.at(-1)
  }

  /** A live bar of the compared symbol: drawn when the chart has a bar at its time. */
  private updateLast(d: Drawn, input: CompareInput): void {
    const n = input.times.length
    const close = input.closes[n - 1]
    if (n === 0 || (n === d.count && close === d.lastClose)) return
    d.count = n
    d.lastClose = close
    const time = input.times[n - 1]!
    if (!hasTime(this.chartTimes(), time)) return
    const point = { time, value: close! }
    const last = d.points.at(-1)
    if (last && last.time === time) d.points[d.points.length - 1] = point
    else if (!last || last.time < time) d.points.push(point)
    else return
    d.series.update(toLine(point) as { time: Time; value: number })
  }
}

/** Whether sorted `times` holds `time`, searched from the end (a live bar is among the last). */
function hasTime(times: readonly number[], time: number): boolean {
  for (let i = times.length - 1; i >= 0; i--) {
    if (times[i] === time) return true
    if (times[i]! < time) return false
  }
  return false
}
