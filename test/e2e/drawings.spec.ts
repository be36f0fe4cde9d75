import type { Page, TestInfo } from '@playwright/test'
import type { Drawing } from '../../src/shared/contract/drawings'
import type { ChartProbe, HookGlobal } from '../../src/shared/testing/ui-hook'
import { expect, openDemoBtc, rpc, test } from './fixtures'

/*
 * Drawing on the chart as a trader does: a trend line and a horizontal line with the mouse,
 * kept over a reload and shown on another timeframe; selected, deleted, and back with Ctrl+Z.
 * Then the other tools once each (rectangle, Fibonacci, note, measure) for the screenshots.
 */

const BTC = { source: 'demo', symbol: 'BTC/USDT' }

const probe = (page: Page): Promise<ChartProbe> =>
  page.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.chart()!)
const items = async (page: Page) => (await probe(page)).drawings.items

/** Clicks at a share of the chart's price pane (0,0 top left; the scales are left out). */
async function clickAt(page: Page, fx: number, fy: number): Promise<void> {
  const box = (await page.getByTestId('chart').boundingBox())!
  await page.mouse.click(box.x + (box.width - 90) * fx, box.y + (box.height - 40) * fy)
}

async function screenshots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const [w, h] of [
    [1400, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    await page.evaluate(
      () =>
        new Promise((r) => {
          const raf = (globalThis as unknown as { requestAnimationFrame(f: () => void): void })
            .requestAnimationFrame
          raf(() => raf(() => r(null)))
        }),
    )
    const shot = await page.screenshot()
    await testInfo.attach(`${name}-${w}x${h}`, { body: shot, contentType: 'image/png' })
    if (process.env.CANDLEWORK_SCREENSHOTS) {
      await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/${name}-${w}x${h}.png` })
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 })
}

test('drawings: trend and horizontal line survive a reload and a timeframe, Delete and Ctrl+Z, every tool', async ({
  app: page,
  host,
}, testInfo) => {
  // A reload, a second timeframe and four screenshots: about 30 s here, twice that on a loaded machine.
  test.setTimeout(120_000)
  const stored = () => rpc<Drawing[]>(host, 'drawings.list', BTC)
  await openDemoBtc(page)

  // The "?" list has the drawing tools' keys.
  await page.keyboard.press('?')
  const help = page.getByTestId('shortcut-help')
  await expect(help.locator('[data-shortcut="draw.trend"]')).toContainText('Alt+T')
  await expect(help.locator('[data-shortcut="draw.undo"]')).toContainText('Ctrl+Z')
  await page.keyboard.press('Escape')
  await expect(help).toBeHidden()

  // Trend line from the toolbar: click, click.
  const trendButton = page.getByTestId('draw-tool-trend')
  await expect(trendButton).toHaveAttribute('title', 'Trend line (Alt+T)')
  await trendButton.click()
  await expect(trendButton).toHaveAttribute('aria-pressed', 'true')
  await clickAt(page, 0.35, 0.45)
  await clickAt(page, 0.65, 0.3)
  // Done: back to the pointer, the new line selected and stored.
  await expect(page.getByTestId('draw-tool-cursor')).toHaveAttribute('aria-pressed', 'true')
  await expect.poll(async () => (await stored()).map((d) => d.kind)).toEqual(['trend'])
  const trend = (await stored())[0]!
  expect(trend.points[0].time).toBeLessThan(trend.points[1]!.time)
  expect(trend.points[0].price).toBeLessThan(trend.points[1]!.price)

  // Horizontal line from its shortcut: one click.
  await page.keyboard.press('Alt+KeyH')
  await expect(page.getByTestId('draw-tool-hline')).toHaveAttribute('aria-pressed', 'true')
  await clickAt(page, 0.5, 0.7)
  await expect.poll(async () => (await stored()).map((d) => d.kind)).toEqual(['trend', 'hline'])
  const hline = (await stored())[1]!
  // At the market's precision (BTC/USDT: cents).
  expect(String(hline.points[0].price)).toMatch(/^\d+(\.\d{1,2})?$/)

  // Reload: both are there again, where they were.
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await page.waitForFunction(() => (globalThis as unknown as Partial<HookGlobal>).__candlework !== undefined)
  await page.evaluate(() =>
    (globalThis as unknown as HookGlobal).__candlework.whenChartPainted({ symbol: 'BTC/USDT' }),
  )
  await expect.poll(async () => (await items(page)).map((d) => d.kind)).toEqual(['trend', 'hline'])

  // Another timeframe: the same instants and prices, still in view.
  await page.getByTestId('tf-1h').click()
  await page.evaluate(() =>
    (globalThis as unknown as HookGlobal).__candlework.whenChartPainted({
      symbol: 'BTC/USDT',
      timeframe: '1h',
    }),
  )
  await expect.poll(async () => (await items(page)).length).toBe(2)
  const on1h = await items(page)
  expect(on1h.map((d) => d.points)).toEqual([trend.points, hline.points])
  const chartBox = (await page.getByTestId('chart').boundingBox())!
  for (const p of on1h[0]!.px) {
    expect(p.x).toBeGreaterThan(0)
    expect(p.x).toBeLessThan(chartBox.width)
  }

  // Select the horizontal line by clicking on it, Delete removes it, Ctrl+Z brings it back.
  // Where the line is at the moment of the click: the live bar can rescale the price axis by a
  // few pixels between reading the line's place and clicking, as it moves under a trader's mouse.
  await expect(async () => {
    const y = (await items(page))[1]!.px[0]!.y
    await page.mouse.click(chartBox.x + 60, chartBox.y + y)
    expect((await probe(page)).drawings.selected).toBe(hline.id)
  }).toPass({ timeout: 15_000 })
  await page.keyboard.press('Delete')
  await expect.poll(async () => (await stored()).map((d) => d.id)).toEqual([trend.id])
  expect((await items(page)).map((d) => d.kind)).toEqual(['trend'])
  await page.keyboard.press('Control+z')
  await expect.poll(async () => (await stored()).map((d) => d.id)).toEqual([trend.id, hline.id])
  await expect.poll(async () => (await items(page)).map((d) => d.kind)).toEqual(['trend', 'hline'])

  // Drag the trend line by its middle 40 px down: both ends move to lower prices, stored.
  const [a, b] = (await items(page))[0]!.px
  const mid = { x: chartBox.x + (a!.x + b!.x) / 2, y: chartBox.y + (a!.y + b!.y) / 2 }
  await page.mouse.move(mid.x, mid.y)
  await page.mouse.down()
  await page.mouse.move(mid.x, mid.y + 20, { steps: 3 })
  await page.mouse.move(mid.x, mid.y + 40, { steps: 3 })
  await page.mouse.up()
  await expect
    .poll(async () => (await stored())[0]!.points.map((p, i) => p.price < trend.points[i]!.price))
    .toEqual([true, true])

  // The other tools once each: a rectangle, a Fibonacci retracement, a ray, a note, then the measure.
  await page.getByTestId('draw-tool-rect').click()
  await clickAt(page, 0.1, 0.15)
  await clickAt(page, 0.25, 0.35)
  await page.keyboard.press('Alt+KeyF')
  await clickAt(page, 0.72, 0.8)
  await clickAt(page, 0.9, 0.2)
  await page.keyboard.press('Alt+KeyJ')
  await clickAt(page, 0.3, 0.12)
  await page.keyboard.press('Alt+KeyN')
  await clickAt(page, 0.4, 0.85)
  await page.getByTestId('drawing-note-input').fill('Support held twice')
  await page.getByTestId('drawing-note-input').press('Enter')
  await expect
    .poll(async () => (await stored()).map((d) => d.kind))
    .toEqual(['trend', 'hline', 'rect', 'fib', 'hray', 'note'])
  await page.keyboard.press('Alt+KeyM')
  await clickAt(page, 0.45, 0.6)
  await clickAt(page, 0.6, 0.4)
  const measured = (await probe(page)).drawings.measure
  expect(measured?.[0]).toMatch(/^\+[\d,]+\.\d{2} \(\+\d+\.\d{2}%\)$/)
  expect(measured?.[1]).toMatch(/^\d+ bars, \d+[dhm]/)
  // The measure is not kept.
  expect((await stored()).length).toBe(6)

  await screenshots(page, testInfo, 'drawings-dark')
  await page.emulateMedia({ colorScheme: 'light' })
  await screenshots(page, testInfo, 'drawings-light')
  // Escape clears the measure.
  await page.keyboard.press('Escape')
  expect((await probe(page)).drawings.measure).toBeNull()
})
