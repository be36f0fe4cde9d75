import type { Page } from '@playwright/test'
import type { ChartProbe, HookGlobal } from '../../src/shared/testing/ui-hook'
import { expect, test } from './fixtures'

/** Resolves when the chart has painted the given series (the app's own test hook). */
function painted(page: Page, match: { symbol?: string; timeframe?: string } = {}) {
  return page.evaluate((m) => (globalThis as unknown as HookGlobal).__candlework.whenChartPainted(m), match)
}

const probe = async (page: Page): Promise<ChartProbe> =>
  (await page.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.chart()))!

const blurFocus = (page: Page): Promise<unknown> => page.evaluate(`document.activeElement?.blur()`)

test('scrolling left loads older bars in place, and "Latest" brings the view back', async ({
  app: page,
}, testInfo) => {
  // Dozens of key presses and two paints of 12,000 bars: a loaded CI machine needs the room.
  test.setTimeout(120_000)
  const first = await painted(page, { timeframe: '15m' })
  const loaded = first.bars
  await expect(page.getByTestId('chart-jump-latest')).toBeHidden()
  await blurFocus(page)

  // A screen at a time (Shift+←) towards the first bar, until the chart asks for older bars.
  let before: ChartProbe | null = null
  for (let i = 0; i < 60 && before === null; i++) {
    await page.keyboard.press('Shift+ArrowLeft')
    const p = await probe(page)
    // The chart asks for older bars 1,000 bars before its first (HISTORY_MARGIN).
    if (p.bars > loaded || (p.view && p.view.from < 1000)) before = p
  }
  expect(before, 'the view reached the left edge').not.toBeNull()
  await expect.poll(async () => (await probe(page)).bars, { timeout: 15_000 }).toBeGreaterThan(loaded)
  await expect.poll(async () => (await probe(page)).prepend !== null).toBe(true)
  const after = await probe(page)
  // The older page went in front, and the bars in view stayed in view: no jump.
  expect(after.firstTime!).toBeLessThan(first.firstTime!)
  expect(after.view!.firstTime).toBe(before!.view!.firstTime)
  expect(after.view!.from).toBeGreaterThan(after.prepend!.bars - 1)
  const { bars, fetchMs, paintMs } = after.prepend!
  testInfo.annotations.push({
    type: 'older page',
    description: `${bars} bars: engine ${fetchMs.toFixed(0)} ms, joined and painted ${paintMs.toFixed(0)} ms`,
  })
  // The goal is under 150 ms; on a machine shared by many jobs the figure swings by seconds
  // (a fresh chart painting as many bars swung from 0.7 to 3 s), so it is reported, not asserted.

  // Far from the latest bar: the button takes the view back to it.
  const latest = page.getByTestId('chart-jump-latest')
  await expect(latest).toBeVisible()
  await latest.click()
  await expect(latest).toBeHidden()
  const back = await probe(page)
  expect(back.view!.to).toBeGreaterThanOrEqual(back.bars - 1)
})

test('a monthly chart has no negative prices; chart types, log scale, favourites, weeks and compare', async ({
  app: page,
}) => {
  await painted(page)
  // 1M is in the menu of every timeframe (not a default favourite).
  await expect(page.getByTestId('tf-1M')).toHaveCount(0)
  await page.getByTestId('tf-more').selectOption('1M')
  const monthly = await painted(page, { timeframe: '1M' })
  expect(monthly.bars).toBeGreaterThan(2)
  expect(monthly.volumeShown).toBe(true)
  expect(monthly.priceBottom!).toBeGreaterThanOrEqual(0)

  // Starred, 1M stays in the toolbar on another timeframe; the choice survives a reload.
  await page.getByTestId('tf-favourite').click()
  await page.getByTestId('tf-1d').click()
  await painted(page, { timeframe: '1d' })
  await expect(page.getByTestId('tf-1M')).toBeVisible()

  for (const type of ['heikin-ashi', 'line', 'hollow']) {
    await page.getByTestId('chart-type').selectOption(type)
    await expect.poll(async () => (await probe(page)).chartType).toBe(type)
  }
  await page.getByTestId('price-log').click()
  await expect.poll(async () => (await probe(page)).priceMode).toBe('log')
  await expect(page.getByTestId('chart-countdown')).toHaveText(/^\d+(d )?[\d:]+$/)

  await page.reload()
  await painted(page, { timeframe: '1d' })
  await expect(page.getByTestId('tf-1M')).toBeVisible()
  await expect(page.getByTestId('chart-type')).toHaveValue('hollow')
  const p = await probe(page)
  expect([p.chartType, p.priceMode]).toEqual(['hollow', 'log'])

  // A weekly chart from the menu: every bar opens on a Monday at 00:00 UTC.
  await page.getByTestId('tf-more').selectOption('1w')
  const weekly = await painted(page, { timeframe: '1w' })
  expect(weekly.bars).toBeGreaterThan(5)
  expect(new Set(weekly.recentTimes.map((t) => new Date(t).toISOString().slice(10)))).toEqual(
    new Set(['T00:00:00.000Z']),
  )
  expect(new Set(weekly.recentTimes.map((t) => new Date(t).getUTCDay()))).toEqual(new Set([1]))

  // Compare: ETH/USDT from the symbol search, a percent line with its own legend entry, kept
  // for the chart across a reload, and removed with its ×.
  await page.getByTestId('compare-add').click()
  await page.getByTestId('symbol-search-input').fill('ETH/USDT')
  await page.getByTestId('symbol-search-input').press('Enter')
  const entry = page.getByTestId('compare-entry')
  await expect(entry).toHaveAttribute('data-symbol', 'ETH/USDT')
  await expect(entry).toHaveAttribute('data-state', 'ready')
  await expect(entry.getByTestId('compare-value')).toHaveText(/^[+−]?\d+[.,]\d\d%$/)
  // A point at each of the chart's weeks (both demo symbols have every week).
  await expect
    .poll(async () => {
      const p = await probe(page)
      return p.compare['demo\u0000ETH/USDT'] === p.bars
    })
    .toBe(true)
  await expect(page.getByTestId('price-percent')).toHaveAttribute('aria-pressed', 'true')
  await page.reload()
  await painted(page, { timeframe: '1w' })
  await expect(entry).toHaveAttribute('data-state', 'ready')
  await entry.getByTestId('compare-remove').click()
  await expect(entry).toHaveCount(0)
  await expect.poll(async () => Object.keys((await probe(page)).compare)).toEqual([])
})
