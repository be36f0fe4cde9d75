/** Installs `window.__candlework` (see hook-types.ts); it changes no state of the app. */
import { client } from '../connection'
import { CandleChart } from '../features/trade/candle-chart'
import type { BenchPaintResult, CandleworkTestHook, ChartMatch, ChartProbe } from '../../../shared/testing/ui-hook'

declare global {
  interface Window {
    __candlework?: CandleworkTestHook
  }
}

let active: CandleChart | null = null
const waiters = new Set<() => void>()

/** The Trade view registers its chart here while mounted. */
export function registerChart(chart: CandleChart): () => void {
  active = chart
  const off = chart.onPainted(() => {
    for (const w of [...waiters]) w()
  })
  for (const w of [...waiters]) w()
  return () => {
    off()
    if (active === chart) active = null
  }
}

function matches(p: ChartProbe, m: ChartMatch): boolean {
  return (
    p.painted &&
    (m.source === undefined || p.source === m.source) &&
    (m.symbol === undefined || p.symbol === m.symbol) &&
    (m.timeframe === undefined || p.timeframe === m.timeframe)
  )
}

function whenChartPainted(match: ChartMatch = {}, timeoutMs = 15_000): Promise<ChartProbe> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const p = active?.probe()
      if (p && matches(p, match)) {
        cleanup()
        resolve(p)
      }
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`chart did not paint ${JSON.stringify(match)} within ${timeoutMs} ms`))
    }, timeoutMs)
    const cleanup = (): void => {
      clearTimeout(timer)
      waiters.delete(check)
    }
    waiters.add(check)
    check()
  })
}

async function benchPaint(n: number, symbol = 'BTC/USDT'): Promise<BenchPaintResult> {
  const t0 = performance.now()
  const res = await client().invoke('market.candles', { source: 'demo', symbol, timeframe: '1m', limit: n })
  const fetchMs = performance.now() - t0
  if (!res.ok) throw new Error(`${res.error.kind}: ${res.error.message}`)

  const host = document.createElement('div')
  host.style.cssText = 'position:fixed;inset:0;z-index:9999;background:#0d1117'
  document.body.appendChild(host)
  const chart = new CandleChart(host)
  try {
    // Let the empty chart settle its size first: creating it is not part of the measurement.
    await nextFrame()
    await nextFrame()
    const painted = new Promise<number>((resolve) => chart.onPainted(() => resolve(performance.now())))
    const t1 = performance.now()
    chart.setSeries({
      key: 'bench',
      source: 'demo',
      symbol,
      timeframe: '1m',
      precision: 2,
      columns: res.value.candles,
    })
    const t2 = await painted
    return { bars: chart.probe().bars, fetchMs, paintMs: t2 - t1 }
  } finally {
    chart.dispose()
    host.remove()
  }
}

const nextFrame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()))

export function installTestHook(): void {
  window.__candlework = {
    chart: () => active?.probe() ?? null,
    whenChartPainted,
    benchPaint,
  }
}
