/**
 * Installs `window.__candlework` (typed in src/shared/testing/ui-hook.ts); it changes no state of
 * the app (`scrollChart` moves the view as the arrow keys do). Test build only: every call into this module sits behind `__CANDLEWORK_TEST_HOOK__`,
 * so the production bundle leaves it out (see electron.vite.config.ts).
 */
import { client } from '../connection'
import type { LayerInstance } from '../features/indicators/indicator-layer'
import { CandleChart } from '../features/chart/candle-chart'
import type { CandleColumns } from '../../../shared/domain/candles'
import type {
  BenchPanResult,
  BenchPaintResult,
  CandleworkTestHook,
  ChartMatch,
  ChartProbe,
  FrameTimes,
} from '../../../shared/testing/ui-hook'

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
  const wake = (): void => {
    for (const w of [...waiters]) w()
  }
  const off = chart.onPainted(wake)
  // Indicator values arrive after the bars: wake waiters once they are drawn.
  const offIndicators = chart.indicators.onChange(() => requestAnimationFrame(wake))
  wake()
  return () => {
    off()
    offIndicators()
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
  return waitFor((p) => matches(p, match), `chart did not paint ${JSON.stringify(match)}`, timeoutMs)
}

function whenIndicatorsReady(count: number, timeoutMs = 15_000): Promise<ChartProbe> {
  return waitFor(
    (p) => p.painted && p.indicators.length === count && p.indicators.every((i) => i.ready),
    `chart did not show ${count} indicators with values`,
    timeoutMs,
  )
}

function waitFor(ok: (p: ChartProbe) => boolean, what: string, timeoutMs: number): Promise<ChartProbe> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const p = active?.probe()
      if (p && ok(p)) {
        cleanup()
        resolve(p)
      }
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`${what} within ${timeoutMs} ms`))
    }, timeoutMs)
    const cleanup = (): void => {
      clearTimeout(timer)
      waiters.delete(check)
    }
    waiters.add(check)
    check()
  })
}

async function benchPaint(
  n: number,
  symbol = 'BTC/USDT',
  indicators: { id: string; params?: Record<string, number> }[] = [],
): Promise<BenchPaintResult> {
  const t0 = performance.now()
  const res = await client().invoke('market.candles', { source: 'demo', symbol, timeframe: '1m', limit: n })
  const fetchMs = performance.now() - t0
  if (!res.ok) throw new Error(`${res.error.kind}: ${res.error.message}`)
  let layers: LayerInstance[] = []
  let indicatorFetchMs = 0
  if (indicators.length > 0) {
    const t = res.value.candles.time
    const t1 = performance.now()
    const [values, catalogue] = await Promise.all([
      client().invoke('charting.series', {
        source: 'demo',
        symbol,
        timeframe: '1m',
        instances: indicators,
        to: t[t.length - 1]!,
        limit: t.length,
      }),
      client().invoke('charting.indicators', {}),
    ])
    indicatorFetchMs = performance.now() - t1
    if (!values.ok) throw new Error(`${values.error.kind}: ${values.error.message}`)
    if (!catalogue.ok) throw new Error(`${catalogue.error.kind}: ${catalogue.error.message}`)
    layers = values.value.instances.map((series, i) => ({
      key: `bench-${i}`,
      info: catalogue.value.find((d) => d.id === series.id)!,
      params: series.params,
      colors: {},
      visible: true,
      data: series,
      dataTime: values.value.time,
      request: null,
    }))
  }

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
    if (layers.length > 0) chart.indicators.sync(layers)
    const t2 = await painted
    const probe = chart.probe()
    const indicatorPoints = probe.indicators.reduce(
      (s, i) => s + i.outputs.reduce((a, o) => a + o.points, 0),
      0,
    )
    return { bars: probe.bars, fetchMs, paintMs: t2 - t1, indicatorFetchMs, indicatorPoints }
  } finally {
    chart.dispose()
    host.remove()
  }
}

const nextFrame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()))

/**
 * Frame times for `frames` frames (or until `ms` have passed), `onFrame` run at the start of
 * each; the first `skip` frames are not counted. Each frame's work ends at a message posted from
 * its callback: that task runs right after the frame's rendering. Our callback is asked for
 * before `onFrame` runs, so in the next frame it comes before the chart's own draw callback
 * (which `onFrame`'s change asks for) and the draw falls inside the measured work.
 */
function frameTimes(
  until: { frames: number } | { ms: number },
  onFrame: () => void = () => undefined,
  skip = 0,
): Promise<FrameTimes> {
  return new Promise((resolve) => {
    const starts: number[] = []
    const ends: number[] = []
    const stamps: number[] = []
    const channel = new MessageChannel()
    const t0 = performance.now()
    let done = false
    const finish = (): void => {
      channel.port1.close()
      // A frame ends at its message, or where the next frame began if that came first (the
      // scheduler may run a due frame before the message).
      const work: number[] = []
      const intervals: number[] = []
      for (let i = skip; i < starts.length; i++) {
        work.push(Math.min(ends[i] ?? Infinity, starts[i + 1] ?? Infinity) - starts[i]!)
        if (i > skip) intervals.push(stamps[i]! - stamps[i - 1]!)
      }
      resolve({ work, intervals })
    }
    channel.port1.onmessage = (e: MessageEvent<number>): void => {
      ends[e.data] = performance.now()
      if (done && e.data === starts.length - 1) finish()
    }
    const tick = (ts: number): void => {
      const start = performance.now()
      const frame = starts.length
      starts.push(start)
      stamps.push(ts)
      done = 'frames' in until ? frame + 1 >= until.frames : start - t0 >= until.ms
      if (!done) requestAnimationFrame(tick)
      onFrame()
      channel.port2.postMessage(frame)
    }
    requestAnimationFrame(tick)
  })
}

/** `n` 1m bars of a seeded random walk ending now: the chart only sees columns. */
function syntheticColumns(n: number): CandleColumns {
  const cols: CandleColumns = { time: [], open: [], high: [], low: [], close: [], volume: [] }
  const minute = 60_000
  const first = Math.floor(Date.now() / minute) * minute - (n - 1) * minute
  let seed = 1
  const rnd = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
  let price = 30_000
  for (let i = 0; i < n; i++) {
    const open = price
    const close = Math.max(1, open * (1 + (rnd() - 0.5) * 0.004))
    cols.time.push(first + i * minute)
    cols.open.push(open)
    cols.high.push(Math.max(open, close) * (1 + rnd() * 0.001))
    cols.low.push(Math.min(open, close) * (1 - rnd() * 0.001))
    cols.close.push(close)
    cols.volume.push(rnd() * 10)
    price = close
  }
  return cols
}

async function benchPan(n: number, frames: number, step: number): Promise<BenchPanResult> {
  const columns = syntheticColumns(n)
  const host = document.createElement('div')
  host.style.cssText = 'position:fixed;inset:0;z-index:9999;background:#0d1117'
  document.body.appendChild(host)
  const chart = new CandleChart(host)
  try {
    await nextFrame()
    await nextFrame()
    const painted = new Promise<number>((resolve) => chart.onPainted(() => resolve(performance.now())))
    const t1 = performance.now()
    chart.setSeries({
      key: 'bench-pan',
      source: 'demo',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      precision: 2,
      columns,
    })
    const paintMs = (await painted) - t1
    const from = chart.probe().view?.from ?? 0
    const skip = 5
    const times = await frameTimes({ frames: frames + skip }, () => chart.scrollBars(-step), skip)
    const p = chart.probe()
    return {
      bars: p.bars,
      paintMs,
      visibleBars: chart.barsPerScreen(),
      panned: Math.round(from - (p.view?.from ?? 0)),
      ...times,
    }
  } finally {
    chart.dispose()
    host.remove()
  }
}

export function installTestHook(): void {
  window.__candlework = {
    chart: () => active?.probe() ?? null,
    whenChartPainted,
    whenIndicatorsReady,
    benchPaint,
    scrollChart: (bars) => active?.scrollBars(bars),
    benchPan,
    measureFrames: (ms) => frameTimes({ ms }),
  }
}
