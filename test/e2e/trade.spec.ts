import type { Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { candlePixelShare, expect, ROOT, test } from './fixtures'
import type { HookGlobal } from '../../src/shared/testing/ui-hook'

const TF_MS: Record<string, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
}

/** Resolves when the chart has painted the given series (the app's own test hook). */
function painted(page: Page, match: { symbol?: string; timeframe?: string } = {}) {
  return page.evaluate((m) => (globalThis as unknown as HookGlobal).__candlework.whenChartPainted(m), match)
}

const probe = (page: Page) => page.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.chart())

test('the Trade view charts the demo market, marked as simulated', async ({ app: page }, testInfo) => {
  const list = page.getByTestId('symbol-list')
  for (const s of ['BTC/USDT', 'ETH/USDT', 'SOL/USDT']) {
    await expect(list.locator(`[data-testid="symbol-row"][data-symbol="${s}"]`)).toBeVisible()
  }
  // Simulated data is labelled on the list and on the chart.
  await expect(list.locator('[data-source="demo"] [data-testid="source-badge"]')).toHaveText(
    'Demo (simulated)',
  )
  await expect(page.getByTestId('chart-header').getByTestId('source-badge')).toHaveText('Demo (simulated)')

  const p = await painted(page)
  expect(p.bars).toBeGreaterThan(100)
  expect(p.source).toBe('demo')
  await expect(page.getByTestId('chart-header')).toHaveAttribute('data-symbol', p.symbol!)

  // Not blank: the pane shows both candle colours and plenty of distinct colours.
  const pixels = await candlePixelShare(page)
  expect(pixels.up).toBeGreaterThan(0.002)
  expect(pixels.down).toBeGreaterThan(0.002)
  expect(pixels.distinct).toBeGreaterThan(4)

  // Host kind and version from system.info in the status bar.
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  await expect(page.getByTestId('host-info')).toHaveText(`Headless host · v${version}`)

  // The legend shows OHLCV with the symbol's precision (2 decimals for the demo pairs).
  await expect(page.getByTestId('legend-close')).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2}$/)
  const box = (await page.getByTestId('chart').boundingBox())!
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.4)
  await expect(page.getByTestId('legend')).toHaveAttribute('data-latest', 'false')
  await page.mouse.move(0, 0)

  const shot = await page.screenshot()
  await testInfo.attach('trade-view', { body: shot, contentType: 'image/png' })
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/trade-view.png` })
  }
})

test('switching symbol and timeframe shows the new series with the right bar spacing', async ({
  app: page,
}) => {
  await painted(page)
  const header = page.getByTestId('chart-header')

  await page.locator('[data-testid="symbol-row"][data-symbol="ETH/USDT"]').click()
  await expect(header).toHaveAttribute('data-symbol', 'ETH/USDT')
  await expect(page.getByTestId('chart-symbol')).toHaveText('ETH/USDT')

  for (const tf of ['1h', '5m', '1d']) {
    await page.getByTestId(`tf-${tf}`).click()
    await expect(page.getByTestId('chart-timeframe')).toHaveText(tf)
    const p = await painted(page, { symbol: 'ETH/USDT', timeframe: tf })
    expect(p.bars).toBeGreaterThan(100)
    const steps = p.recentTimes.slice(1).map((t, i) => t - p.recentTimes[i]!)
    // The demo crypto pairs trade around the clock: every step is exactly one bar.
    expect(new Set(steps)).toEqual(new Set([TF_MS[tf]]))
  }
})

test('fast switching never leaves the wrong series on the chart', async ({ app: page }) => {
  await painted(page)
  const clicks: [string, string][] = [
    ['SOL/USDT', '4h'],
    ['BTC/USDT', '1m'],
    ['ETH/USDT', '15m'],
    ['SOL/USDT', '1h'],
  ]
  for (const [symbol, tf] of clicks) {
    await page.locator(`[data-testid="symbol-row"][data-symbol="${symbol}"]`).click({ noWaitAfter: true })
    await page.getByTestId(`tf-${tf}`).click({ noWaitAfter: true })
  }
  const p = await painted(page, { symbol: 'SOL/USDT', timeframe: '1h' })
  const steps = p.recentTimes.slice(1).map((t, i) => t - p.recentTimes[i]!)
  expect(new Set(steps)).toEqual(new Set([TF_MS['1h']]))
  await expect(page.getByTestId('chart-header')).toHaveAttribute('data-symbol', 'SOL/USDT')
  await expect(page.getByTestId('chart-header')).toHaveAttribute('data-timeframe', '1h')
  // Still the same series once every request has settled.
  await expect(page.getByTestId('chart')).toHaveAttribute('data-state', 'ready')
  const after = await probe(page)
  expect([after?.symbol, after?.timeframe]).toEqual(['SOL/USDT', '1h'])
})

test('the last candle and the ticker move live', async ({ app: page }) => {
  await page.locator('[data-testid="symbol-row"][data-symbol="BTC/USDT"]').click()
  await page.getByTestId('tf-1m').click()
  const start = await painted(page, { symbol: 'BTC/USDT', timeframe: '1m' })
  const ticker = page.locator(
    '[data-testid="symbol-row"][data-symbol="BTC/USDT"] [data-testid="symbol-last"]',
  )
  const firstTicker = await ticker.textContent()
  // Ticks arrive every 250 ms: within a few seconds the forming bar or the ticker must change.
  await expect
    .poll(
      async () => {
        const now = await probe(page)
        const barMoved =
          now !== null && (now.lastClose !== start.lastClose || now.lastTime !== start.lastTime)
        return barMoved || (await ticker.textContent()) !== firstTicker
      },
      { timeout: 10_000 },
    )
    .toBe(true)
  const later = (await probe(page))!
  expect(later.liveUpdates).toBeGreaterThan(0)
  expect(later.lastTime!).toBeGreaterThanOrEqual(start.lastTime!)
})

test('the chosen symbol and timeframe, and a two-chart layout, survive a restart', async ({ app: page }) => {
  await painted(page)
  await page.locator('[data-testid="symbol-row"][data-symbol="SOL/USDT"]').click()
  await page.getByTestId('tf-4h').click()
  await painted(page, { symbol: 'SOL/USDT', timeframe: '4h' })

  // Two charts: the second starts as a copy of the first, draws its bars, and a click makes it
  // the active one, which the symbol list and the toolbar then drive.
  await page.getByTestId('layout-2').click()
  const first = page.locator('[data-testid="layout-chart"][data-index="0"]')
  const second = page.locator('[data-testid="layout-chart"][data-index="1"]')
  await expect(second).toHaveAttribute('data-symbol', 'SOL/USDT')
  await expect(second).toHaveAttribute('data-state', 'ready')
  await page
    .locator('[data-testid="layout-chart"][data-index="1"] [data-testid="layout-chart-caption"]')
    .click()
  await expect(page.getByTestId('layout-active')).toHaveAttribute('data-index', '1')
  await page.locator('[data-testid="symbol-row"][data-symbol="ETH/USDT"]').click()
  await page.getByTestId('tf-1h').click()
  await painted(page, { symbol: 'ETH/USDT', timeframe: '1h' })
  // The first chart kept its own series.
  await expect(first).toHaveAttribute('data-symbol', 'SOL/USDT')
  await expect(first).toHaveAttribute('data-timeframe', '4h')
  await expect(first).toHaveAttribute('data-state', 'ready')
  // Symbol linked: the first chart shows ETH/USDT too, at its own timeframe.
  await page.getByTestId('layout-link-symbol').click()
  await expect(first).toHaveAttribute('data-symbol', 'ETH/USDT')
  await expect(first).toHaveAttribute('data-timeframe', '4h')

  await page.reload()
  await expect(page.getByTestId('chart-header')).toHaveAttribute('data-symbol', 'ETH/USDT')
  await expect(page.getByTestId('chart-header')).toHaveAttribute('data-timeframe', '1h')
  await painted(page, { symbol: 'ETH/USDT', timeframe: '1h' })
  await expect(page.getByTestId('layout-active')).toHaveAttribute('data-index', '1')
  await expect(first).toHaveAttribute('data-timeframe', '4h')
  await expect(first).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('layout-link-symbol')).toHaveAttribute('aria-pressed', 'true')
  // Back to one chart: the other chart (and its live feed) goes, the active one stays.
  await page.getByTestId('layout-1').click()
  await expect(page.getByTestId('layout-chart')).toHaveCount(0)
  await expect(page.getByTestId('chart-header')).toHaveAttribute('data-symbol', 'ETH/USDT')
})

test('navigation reaches every section, each a working view', async ({ app: page, host }) => {
  await painted(page)
  // Backtest, Risk and Health are built (backtest.spec.ts, risk.spec.ts and health.spec.ts walk them).
  for (const [id, title] of [
    ['backtest', 'Backtest'],
    ['risk', 'Risk'],
    ['health', 'Health'],
  ] as const) {
    await page.getByTestId(`nav-${id}`).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(title)
  }
  await expect(page.getByTestId('health-view')).toBeVisible()
  await page.getByTestId('nav-settings').click()
  await expect(page.getByTestId('settings-data-dir')).toHaveText(host.dataDir)
  await page.getByTestId('nav-trade').click()
  // Leaving and coming back rebuilt the chart (the old one disposed, no errors thrown): it shows
  // the series it left at once, then its fresh bars, and is never blank in between.
  await expect
    .poll(async () => (await probe(page))?.loads ?? 0, { timeout: 10_000 })
    .toBeGreaterThanOrEqual(2)
  const back = await painted(page)
  expect(back.clears).toBe(0)
  expect(back.bars).toBeGreaterThan(100)
})
