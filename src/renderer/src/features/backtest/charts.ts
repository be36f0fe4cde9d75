import { createChart, type IChartApi, type UTCTimestamp } from 'lightweight-charts'
import { themedChartOptions } from '../chart/candle-chart'

/** A chart in the app's theme and time zone as they are when it is drawn, sized by its box. */
export function themedChart(el: HTMLElement): IChartApi {
  const chart = createChart(el, {
    autoSize: true,
    layout: { fontSize: 10, attributionLogo: false },
    timeScale: { timeVisible: true },
  })
  chart.applyOptions(themedChartOptions(true))
  return chart
}

/** Points at strictly increasing whole seconds (the chart's time axis); a repeated second keeps its last value. */
export function points(
  time: readonly number[],
  value: readonly number[],
): { time: UTCTimestamp; value: number }[] {
  const out: { time: UTCTimestamp; value: number }[] = []
  for (let i = 0; i < time.length; i++) {
    const t = Math.floor(time[i]! / 1000) as UTCTimestamp
    const v = value[i]!
    if (!Number.isFinite(v)) continue
    if (out.length > 0 && out.at(-1)!.time >= t) out.at(-1)!.value = v
    else out.push({ time: t, value: v })
  }
  return out
}

export const COMPARE_COLORS = ['#4f8cff', '#c9a227'] as const
