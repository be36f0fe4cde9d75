/**
 * Chart benchmarks against the test build (out-test/, made here first: the product plus the
 * renderer's test hook; see test/support/app-build.ts): a headless host on a temp data folder,
 * the system Chromium, and the hook's `window.__candlework.benchPaint`.
 *
 * - "chart: 100k candles to first paint": columns handed to the chart (conversion included)
 *   until the first animation frame after lightweight-charts has painted them. Goal < 500 ms.
 * - "ws: fetch 100k 1m candles": invoke('market.candles', limit 100000) over the WebSocket in
 *   the page until the columns are parsed, and the same from Node for comparison.
 * - "chart: 100k candles + 5 indicators to first paint": the same with SMA 20, EMA 50,
 *   Bollinger 20/2, RSI 14 and MACD 12/26/9 (eleven outputs, two panes) drawn with the bars;
 *   "ws: charting.series ..." is fetching their values for the 100k bars.
 */
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH, rpc, startHost, tempDataDir } from '../test/e2e/host'
import { buildApp } from '../test/support/app-build'
import type { BenchPaintResult, HookGlobal } from '../src/shared/testing/ui-hook'
import { reportSpread } from './harness'

const BARS = 100_000
const RUNS = 7
const INDICATORS = [
  { id: 'sma', params: { period: 20 } },
  { id: 'ema', params: { period: 50 } },
  { id: 'bbands' },
  { id: 'rsi' },
  { id: 'macd' },
]

export async function run(): Promise<void> {
  await buildApp('test')
  const dir = tempDataDir('candlework-bench-')
  const host = await startHost(dir.path)
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
    await page.goto(host.appUrl)
    await page.waitForFunction(
      () => (globalThis as unknown as Partial<HookGlobal>).__candlework !== undefined,
    )
    // The app opens on the Dashboard: the chart is on the Trade view.
    await page.getByTestId('nav-trade').click()
    // Let the app's own chart settle so it does not compete with the measurement.
    await page.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.whenChartPainted())

    const results: BenchPaintResult[] = []
    // One warm-up run (JIT, first allocation of the big arrays), then the measured ones.
    for (let i = 0; i <= RUNS; i++) {
      const r = await page.evaluate(
        (n) => (globalThis as unknown as HookGlobal).__candlework.benchPaint(n),
        BARS,
      )
      if (r.bars !== BARS) throw new Error(`benchPaint drew ${r.bars} bars, expected ${BARS}`)
      if (i > 0) results.push(r)
    }
    reportSpread(
      'chart: 100k candles to first paint',
      results.map((r) => r.paintMs),
      { goal: 500 },
    )
    reportSpread(
      'ws: fetch 100k 1m candles (browser)',
      results.map((r) => r.fetchMs),
    )

    const withIndicators: BenchPaintResult[] = []
    for (let i = 0; i <= RUNS; i++) {
      const r = await page.evaluate(
        ([n, inds]) => (globalThis as unknown as HookGlobal).__candlework.benchPaint(n, 'BTC/USDT', inds),
        [BARS, INDICATORS] as const,
      )
      if (r.indicatorPoints < BARS * 10)
        throw new Error(`benchPaint drew ${r.indicatorPoints} indicator points`)
      if (i > 0) withIndicators.push(r)
    }
    reportSpread(
      'chart: 100k candles + 5 indicators to first paint',
      withIndicators.map((r) => r.paintMs),
      { goal: 500 },
    )
    reportSpread(
      'ws: charting.series, 5 indicators over 100k 1m bars (browser)',
      withIndicators.map((r) => r.indicatorFetchMs),
    )

    const node: number[] = []
    for (let i = 0; i <= RUNS; i++) {
      const t0 = performance.now()
      const res = await rpc<{ candles: { time: number[] } }>(host, 'market.candles', {
        source: 'demo',
        symbol: 'BTC/USDT',
        timeframe: '1m',
        limit: BARS,
      })
      const dt = performance.now() - t0
      if (res.candles.time.length !== BARS) throw new Error(`got ${res.candles.time.length} bars`)
      if (i > 0) node.push(dt)
    }
    reportSpread('ws: fetch 100k 1m candles (node, incl. connect)', node)
  } finally {
    await browser.close()
    await host.stop()
    dir.remove()
  }
}
