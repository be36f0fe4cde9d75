import type { Locator, Page } from '@playwright/test'
import type { HookGlobal } from '../../src/shared/testing/ui-hook'
import { expect, openConnected, test } from './fixtures'

/** Resolves when the chart has painted the given series (the app's own test hook). */
function painted(page: Page, match: { symbol?: string; timeframe?: string } = {}) {
  return page.evaluate((m) => (globalThis as unknown as HookGlobal).__candlework.whenChartPainted(m), match)
}

const probe = (page: Page) => page.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.chart())

/** Relative luminance (0 black … 1 white) of a CSS `rgb()` colour or of [r, g, b]. */
function luminance(c: string | number[]): number {
  const [r, g, b] = typeof c === 'string' ? c.match(/\d+/g)!.map(Number) : c
  return (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255
}

// Run in the page (as text: the tests compile without the DOM library).

/** The page's background as the trader sees it (the top bar's panel colour). */
const pageBackground = (page: Page): Promise<string> =>
  page.evaluate<string>(`getComputedStyle(document.querySelector('.topbar')).backgroundColor`)

/** The most frequent colour of the chart's main canvas: its background. */
const chartBackground = (page: Page): Promise<number[]> =>
  page.evaluate<number[]>(`(() => {
    const canvases = Array.from(document.querySelectorAll('[data-testid="chart"] canvas'))
    const main = canvases.sort((a, b) => b.width * b.height - a.width * a.height)[0]
    const { data } = main.getContext('2d').getImageData(0, 0, main.width, main.height)
    const counts = new Map()
    for (let i = 0; i < data.length; i += 16) {
      const c = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2]
      counts.set(c, (counts.get(c) ?? 0) + 1)
    }
    const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0]
    return [top >> 16, (top >> 8) & 255, top & 255]
  })()`)

const blurFocus = (page: Page): Promise<unknown> => page.evaluate(`document.activeElement?.blur()`)
const pageWidth = (page: Page): Promise<number> =>
  page.evaluate<number>(`document.documentElement.scrollWidth`)

/** `HH:mm` of `ms` in `zone`, computed here, independently of the app. */
function hhmm(ms: number, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms)
}

test('theme and time zone follow the system, change in Settings, and every window follows', async ({
  app: page,
  host,
}) => {
  // Two windows, each starting the app and charting (about 15 s apiece on a loaded CI machine).
  test.setTimeout(120_000)
  await painted(page)
  // The OS asks for dark (the config's colour scheme): panels and chart are dark.
  expect(luminance(await pageBackground(page))).toBeLessThan(0.2)
  expect(luminance(await chartBackground(page))).toBeLessThan(0.2)

  // The OS switches to light: the app follows, chart included, without a reload.
  await page.emulateMedia({ colorScheme: 'light' })
  await expect.poll(async () => luminance(await pageBackground(page))).toBeGreaterThan(0.8)
  await expect.poll(async () => luminance(await chartBackground(page))).toBeGreaterThan(0.8)

  // A second window on the same engine, its OS still dark.
  const other = await page.context().newPage()
  await openConnected(other, host)
  await painted(other)
  expect(luminance(await chartBackground(other))).toBeLessThan(0.2)

  // Light chosen in Settings: stored by the engine, so the other window turns light too.
  await page.getByTestId('nav-settings').click()
  await page.getByTestId('settings-theme').selectOption('light')
  await expect.poll(async () => luminance(await chartBackground(other))).toBeGreaterThan(0.8)
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect.poll(async () => luminance(await pageBackground(page))).toBeGreaterThan(0.8)

  // The time zone moves the chart's axis and crosshair labels, the legend and the status bar:
  // chosen here, seen on the other window's Trade view.
  const tickIn = async (zone: string): Promise<boolean> => {
    const p = await probe(other)
    return p?.timeLabels != null && p.lastTime !== null && p.timeLabels.tick === hhmm(p.lastTime, zone)
  }
  await page.getByTestId('settings-timezone').selectOption('Asia/Tokyo')
  await expect(other.getByTestId('status-zone')).toHaveText('Times in Asia/Tokyo')
  await expect.poll(() => tickIn('Asia/Tokyo')).toBe(true)
  const tokyo = (await probe(other))!
  await expect(other.locator('.legend-time')).toContainText(hhmm(tokyo.lastTime!, 'Asia/Tokyo'))
  await page.getByTestId('settings-timezone').selectOption('UTC')
  await expect(other.getByTestId('status-zone')).toHaveText('Times in UTC')
  await expect.poll(() => tickIn('UTC')).toBe(true)
  const utc = (await probe(other))!
  expect(utc.timeLabels!.crosshair).toContain(hhmm(utc.lastTime!, 'UTC'))
  // Tokyo is nine hours ahead: the label really moved.
  expect(hhmm(utc.lastTime!, 'UTC')).not.toBe(hhmm(utc.lastTime!, 'Asia/Tokyo'))

  // Both survive a reload (the engine's copy).
  await page.reload()
  await expect(page.getByTestId('status-zone')).toHaveText('Times in UTC')
  await expect.poll(async () => luminance(await pageBackground(page))).toBeGreaterThan(0.8)
  await other.close()
})

/** Asserts `el` lies wholly inside the window. */
async function inWindow(el: Locator, width: number, height: number): Promise<void> {
  const box = await el.boundingBox()
  expect(box, `${String(el)} is laid out`).not.toBeNull()
  expect(box!.x, String(el)).toBeGreaterThanOrEqual(0)
  expect(box!.y, String(el)).toBeGreaterThanOrEqual(0)
  expect(box!.x + box!.width, String(el)).toBeLessThanOrEqual(width + 0.5)
  expect(box!.y + box!.height, String(el)).toBeLessThanOrEqual(height + 0.5)
}

test('at 1024x700 nothing is cut off, and the desk works from the keyboard', async ({ app: page }) => {
  // Five views and some twenty keys, each waiting for what the trader sees: a minute under load.
  test.setTimeout(120_000)
  await page.setViewportSize({ width: 1024, height: 700 })
  await painted(page)
  for (const view of ['trade', 'alerts', 'journal', 'health', 'settings']) {
    await page.getByTestId(`nav-${view}`).click()
    for (const id of ['nav-trade', 'nav-settings', 'connection', 'status-zone', 'notices-bell'])
      await inWindow(page.getByTestId(id), 1024, 700)
    expect(await pageWidth(page)).toBeLessThanOrEqual(1024)
  }
  await page.getByTestId('nav-trade').click()
  await painted(page)
  for (const id of ['chart-symbol', 'chart-last', 'tf-1m', 'tf-1d', 'chart', 'trading-panel'])
    await inWindow(page.getByTestId(id), 1024, 700)
  await inWindow(page.getByTestId('symbol-row').last(), 1024, 700)
  // Four charts fall back to two readable ones here (the active one and the next), inside the window.
  await page.getByTestId('layout-4').click()
  await expect(page.getByTestId('layout-room')).toHaveText('2 of 4')
  await expect(page.getByTestId('layout-chart')).toHaveCount(1)
  for (const el of [
    page.getByTestId('layout-chart'),
    page.getByTestId('chart'),
    page.getByTestId('layout-4'),
  ])
    await inWindow(el, 1024, 700)
  await page.getByTestId('layout-1').click()
  await expect(page.getByTestId('layout-chart')).toHaveCount(0)
  // The ticket folds to a rail by itself in a window this small.
  const ticket = page.getByTestId('trading-panel')
  await expect(ticket).toHaveAttribute('data-folded', 'true')

  const blur = () => blurFocus(page)
  // "?" lists the shortcuts; Escape closes the list.
  await blur()
  await page.keyboard.press('?')
  const help = page.getByTestId('shortcut-help')
  await expect(help).toBeVisible()
  await expect(help.locator('[data-shortcut="ticket"]')).toContainText('F9')
  await page.keyboard.press('Escape')
  await expect(help).toBeHidden()

  // F9 opens the ticket with the cursor in the size; keys typed there are text, not shortcuts.
  await page.keyboard.press('F9')
  await expect(ticket).toHaveAttribute('data-folded', 'false')
  await expect(page.locator('#tk-size')).toBeFocused()
  await page.keyboard.press('?')
  await expect(help).toBeHidden()
  await page.locator('#tk-size').fill('')
  // F9 again folds it; S opens it on the sell side.
  await page.keyboard.press('F9')
  await expect(ticket).toHaveAttribute('data-folded', 'true')
  await page.keyboard.press('s')
  await expect(page.locator('.tk-form')).toHaveAttribute('data-side', 'sell')
  await expect(page.locator('#tk-size')).toBeFocused()
  await page.keyboard.press('F9')
  await expect(ticket).toHaveAttribute('data-folded', 'true')

  // Arrows through the symbols from the charted one, Enter charts the row.
  await blur()
  const rows = page.getByTestId('symbol-row')
  await page.keyboard.press('ArrowDown')
  await expect(rows.nth(0)).toBeFocused()
  await page.keyboard.press('ArrowDown')
  await expect(rows.nth(1)).toBeFocused()
  const second = await rows.nth(1).getAttribute('data-symbol')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('chart-header')).toHaveAttribute('data-symbol', second!)
  // 4: the fourth timeframe of the toolbar.
  await page.keyboard.press('4')
  await expect(page.getByTestId('chart-header')).toHaveAttribute('data-timeframe', '1h')
  const before = await painted(page, { symbol: second!, timeframe: '1h' })

  // The chart scrolls and zooms from the keyboard, and End brings the latest bar back.
  await page.keyboard.press('ArrowLeft')
  await expect.poll(async () => before.view!.to - (await probe(page))!.view!.to).toBeCloseTo(10, 0)
  await page.keyboard.press('-')
  await expect
    .poll(async () => {
      const v = (await probe(page))!.view!
      return v.to - v.from
    })
    .toBeGreaterThan(before.view!.to - before.view!.from + 5)
  await page.keyboard.press('End')
  // The latest bar is back in view, at the right edge.
  await expect.poll(async () => (await probe(page))!.view!.to).toBeGreaterThan(before.bars - 1)

  // Alt+8: the eighth view, Settings, which lists the same shortcuts.
  await page.keyboard.press('Alt+8')
  await expect(page.locator('main')).toHaveAttribute('data-view', 'settings')
  await expect(page.getByTestId('shortcut-list').locator('[data-shortcut="symbols"]')).toBeVisible()
})
