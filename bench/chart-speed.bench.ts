/**
 * Issue 19's chart speed goals, measured in the system Chromium against the test build (a
 * headless host on a temp data folder, the renderer's test hook `window.__candlework`):
 *
 * - "chart.history-page": the Trade chart on 1m is scrolled (as the arrow keys do) until the view
 *   is near its first bar; the chart's own history-on-scroll path asks `market.candles` for the
 *   10,000 bars before it and joins them in front. Measured from that ask until the first frame
 *   after the joined bars are painted (the probe's `prepend`: engine `fetchMs` + `paintMs`).
 *   Goal < 150 ms.
 * - "chart.pan-1m-bars": 1,000,000 synthetic 1m bars in one chart over the whole window, panned
 *   back a few bars every animation frame; per-frame main-thread work (callbacks, the chart's
 *   draw, style, layout, paint). Goal: median < 16 ms.
 * - "chart.book-4-charts": the Trade view with four charts (1440x900) and the order book open,
 *   live candles on every chart and the demo book's updates (sampled at its 250 ms price tick: 4 a
 *   second, not the goal's 10; `bookRenders` counts them); frame work over 5 s.
 *   Goal: median < 16 ms.
 *
 * Frame work is measured in the page (see `frameTimes` in src/renderer/src/testing/hook.ts);
 * `intervals` are the gaps between frames (16.7 ms at 60 Hz when none is dropped).
 */
import { chromium, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH, startHost, tempDataDir } from '../test/e2e/host'
import { buildApp } from '../test/support/app-build'
import type { ChartProbe, FrameTimes, HookGlobal } from '../src/shared/testing/ui-hook'
import { percentile, report } from './harness'

const PAGES = 6
const PAN_BARS = 1_000_000
const PAN_FRAMES = 240
const BOOK_MS = 5_000

const probe = async (page: Page): Promise<ChartProbe> =>
  (await page.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.chart()))!

const tenth = (x: number): number => Math.round(x * 10) / 10

function reportFrames(name: string, t: FrameTimes, goal: number, extra: Record<string, unknown> = {}): void {
  const work = [...t.work].sort((a, b) => a - b)
  const gaps = [...t.intervals].sort((a, b) => a - b)
  report({
    name,
    value: tenth(percentile(work, 50)),
    unit: 'ms',
    goal,
    met: percentile(work, 50) < goal,
    p95: tenth(percentile(work, 95)),
    max: tenth(work.at(-1) ?? NaN),
    frames: work.length,
    intervalMedian: tenth(percentile(gaps, 50)),
    intervalP95: tenth(percentile(gaps, 95)),
    over16: work.filter((w) => w >= 16).length,
    ...extra,
  })
}

/** Scrolls the Trade chart to near its first bar and waits for the older page to be painted. */
async function onePage(page: Page): Promise<NonNullable<ChartProbe['prepend']>> {
  const before = await probe(page)
  // The chart asks for older bars within 1,000 bars of its first (HISTORY_MARGIN).
  await page.evaluate(
    (bars) => (globalThis as unknown as HookGlobal).__candlework.scrollChart(bars),
    -Math.max(0, before.view!.from - 500),
  )
  await page.waitForFunction(
    (n) => {
      const p = (globalThis as unknown as HookGlobal).__candlework.chart()
      return p !== null && p.bars > n && p.painted && p.prepend !== null && p.bars - p.prepend.bars === n
    },
    before.bars,
    { timeout: 30_000, polling: 20 },
  )
  return (await probe(page)).prepend!
}

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
    await page.getByTestId('nav-trade').click()
    await page.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.whenChartPainted())

    // 1. Older history on scroll, 1m bars (the demo market keeps 180 days: 259,200 of them).
    await page.getByTestId('tf-1m').click()
    await page.evaluate(() =>
      (globalThis as unknown as HookGlobal).__candlework.whenChartPainted({ timeframe: '1m' }),
    )
    const pages: { bars: number; fetchMs: number; paintMs: number }[] = []
    // Per measured page: bars on the chart after it joined, and ms from the ask to its paint
    // (lightweight-charts re-reads the whole series on each page, so this grows with the total).
    const perPage: [number, number][] = []
    for (let i = 0; i <= PAGES; i++) {
      const p = await onePage(page)
      if (i === 0) continue // a warm-up (JIT, first big arrays)
      pages.push(p)
      perPage.push([(await probe(page)).bars, tenth(p.fetchMs + p.paintMs)])
    }
    const total = pages.map((p) => p.fetchMs + p.paintMs).sort((a, b) => a - b)
    const engine = pages.map((p) => p.fetchMs).sort((a, b) => a - b)
    const paint = pages.map((p) => p.paintMs).sort((a, b) => a - b)
    report({
      name: 'chart.history-page',
      value: tenth(percentile(total, 50)),
      unit: 'ms',
      goal: 150,
      met: percentile(total, 50) < 150,
      best: tenth(total[0]!),
      max: tenth(total.at(-1)!),
      bars: pages[0]!.bars,
      engineMs: tenth(percentile(engine, 50)),
      paintMs: tenth(percentile(paint, 50)),
      barsAfter: (await probe(page)).bars,
      pages: pages.length,
      perPage,
      timeframe: '1m',
    })

    // 2. A million bars, panned.
    const pan = await page.evaluate(
      ([n, f]) => (globalThis as unknown as HookGlobal).__candlework.benchPan(n, f, 3),
      [PAN_BARS, PAN_FRAMES] as const,
    )
    if (pan.bars !== PAN_BARS) throw new Error(`benchPan drew ${pan.bars} bars`)
    reportFrames('chart.pan-1m-bars', pan, 16, {
      bars: pan.bars,
      firstPaintMs: tenth(pan.paintMs),
      visibleBars: pan.visibleBars,
      panned: pan.panned,
    })

    // 3. Four charts and the order book live (the window must be 1280x760 at least for four).
    await page.getByTestId('layout-4').click()
    await page.getByTestId('layout-chart').nth(2).waitFor()
    const fold = page.getByTestId('book-fold')
    if ((await fold.getAttribute('aria-expanded')) !== 'true') await fold.click()
    await page.getByTestId('book-level').first().waitFor()
    // Book renders seen: one MutationObserver callback per update that changed the bid rows (the
    // bench's tsconfig has no DOM types, hence the string).
    await page.evaluate(`{
      globalThis.__bookRenders = 0
      new MutationObserver(() => globalThis.__bookRenders++).observe(
        document.querySelector('[data-testid="book-bids"]'),
        { subtree: true, characterData: true, childList: true, attributes: true },
      )
    }`)
    const frames = await page.evaluate(
      (ms) => (globalThis as unknown as HookGlobal).__candlework.measureFrames(ms),
      BOOK_MS,
    )
    const bookRenders = await page.evaluate(
      () => (globalThis as unknown as { __bookRenders: number }).__bookRenders,
    )
    const charts =
      (await page.getByTestId('layout-chart').count()) + (await page.getByTestId('layout-active').count())
    reportFrames('chart.book-4-charts', frames, 16, { charts, seconds: BOOK_MS / 1000, bookRenders })
  } finally {
    await browser.close()
    await host.stop()
    dir.remove()
  }
}
