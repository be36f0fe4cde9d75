import type { Page, TestInfo } from '@playwright/test'
import type { Alert, Firing } from '../../src/shared/contract/alerts'
import type { HookGlobal } from '../../src/shared/testing/ui-hook'
import { expect, rpc, test } from './fixtures'

/*
 * Alerts as a trader meets them: one added from the chart's context menu at a price, drawn as a
 * line that moves with a drag, listed on the Alerts view with how often it would have fired; and
 * one added the same way and edited to fire on the demo market, seen as a toast, the nav's unread
 * count, the history and a browser notification.
 */

async function openBtc(page: Page): Promise<void> {
  await page.locator('[data-testid="symbol-row"][data-source="demo"][data-symbol="BTC/USDT"]').click()
  await page.evaluate(() =>
    (globalThis as unknown as HookGlobal).__candlework.whenChartPainted({
      source: 'demo',
      symbol: 'BTC/USDT',
    }),
  )
}

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const [width, height] of [
    [1400, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height })
    await page.waitForTimeout(150) // the chart redraws on the next frame after a resize
    const body = await page.screenshot()
    await testInfo.attach(`${name}-${width}x${height}`, { body, contentType: 'image/png' })
    if (process.env.CANDLEWORK_SCREENSHOTS)
      await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/${name}-${width}x${height}.png` })
  }
  await page.setViewportSize({ width: 1400, height: 900 })
}

test('the chart’s context menu adds an alert at the price, drawn as a line that drags; the Alerts view lists it with its preview', async ({
  app: page,
  host,
}, testInfo) => {
  await page.setViewportSize({ width: 1400, height: 900 })
  await openBtc(page)
  const chart = (await page.getByTestId('chart').boundingBox())!
  await page.mouse.click(chart.x + chart.width * 0.4, chart.y + chart.height * 0.3, { button: 'right' })
  const menu = page.getByTestId('chart-order-menu')
  const price = (await menu.getAttribute('data-price'))!
  const shown = Number(price).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  await expect(page.getByTestId('chart-menu-alert')).toHaveText(`Add alert at ${shown}`)
  await page.getByTestId('chart-menu-alert').click()
  await expect(menu).toHaveCount(0)
  await expect(page.getByTestId('notice').filter({ hasText: 'Alert added' })).toContainText(
    `BTC/USDT: last price crossing ${shown}, once`,
  )

  // Created at once on the chart's series: last price crossing that exact price.
  const [alert] = await rpc<Alert[]>(host, 'alerts.list', {})
  expect(alert!.series).toMatchObject({ source: 'demo', symbol: 'BTC/USDT' })
  expect(alert!.condition).toEqual({
    type: 'compare',
    left: { kind: 'price', field: 'last' },
    op: 'crossing',
    right: { kind: 'value', value: Number(price) },
  })

  // Its line, with a bell label at the price; dragged up, the alert's level follows.
  const line = page.getByTestId('alert-line')
  await expect(line).toHaveAttribute('data-price', price)
  await shoot(page, testInfo, 'chart-alert-line')
  // The chart may still be rescaling as live bars arrive, moving the line under the pointer: a
  // drag that caught it mid-move is tried again (a second drag only moves the level further up).
  await expect(async () => {
    const layer = (await page.getByTestId('order-lines').boundingBox())!
    const y = layer.y + Number(await line.getAttribute('data-line-y'))
    await page.mouse.move(layer.x + layer.width * 0.3, y)
    await page.mouse.down()
    await page.mouse.move(layer.x + layer.width * 0.3, y - 40, { steps: 5 })
    await page.mouse.up()
    await expect
      .poll(
        async () => {
          const [a] = await rpc<Alert[]>(host, 'alerts.list', {})
          return a!.condition.type === 'compare' && a!.condition.right.kind === 'value'
            ? a!.condition.right.value
            : 0
        },
        { timeout: 3_000 },
      )
      .toBeGreaterThan(Number(price))
  }).toPass({ timeout: 20_000 })
  const moved = (await line.getAttribute('data-price'))!
  expect(Number(moved)).toBeGreaterThan(Number(price))

  // Listed on the Alerts view; editing it shows how often it would have fired.
  await page.getByTestId('nav-alerts').click()
  const row = page.getByTestId('alert-row')
  await expect(row).toHaveCount(1)
  await expect(row.getByTestId('alert-description')).toContainText('BTC/USDT')
  await expect(row.getByTestId('alert-status')).toHaveText('Active')
  await row.getByTestId('alert-edit').click()
  const preview = page.getByTestId('alert-preview')
  await expect(preview).toHaveAttribute('data-state', 'ready')
  await expect(preview).toContainText(/^Would have fired (no times|once|[\d,]+ times) in the last 30 days/)
  await shoot(page, testInfo, 'alerts-view-edit')

  // A field the engine refuses is named at its field.
  await page.getByTestId('alert-expires').fill('2001-01-01T00:00')
  await page.getByTestId('alert-save').click()
  await expect(page.locator('[data-field="expiresAt"] [data-testid="alert-field-error"]')).toContainText(
    'the expiry is in the past',
  )
})

test('an alert added from the chart’s menu and edited to fire on the demo market shows a toast, the unread count, its history and a browser notification', async ({
  app: page,
  host,
  context,
}, testInfo) => {
  await context.grantPermissions(['notifications'])
  // Count the notifications the page creates (the browser's own would show outside the page).
  await page.addInitScript(() => {
    const w = globalThis as unknown as { Notification: unknown; __notified: string[] }
    const Real = w.Notification as new (title: string, o?: object) => object
    w.__notified = []
    class Counted extends Real {
      constructor(title: string, o?: object) {
        super(title, o)
        w.__notified.push(title)
      }
    }
    Object.defineProperty(Counted, 'permission', {
      get: () => (Real as unknown as { permission: string }).permission,
    })
    w.Notification = Counted
  })
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await page.getByTestId('nav-alerts').click()
  await expect(page.getByTestId('alerts-notify-state')).toHaveText('Browser notifications on')

  // Added from the chart's context menu (last price crossing a level), then edited on the Alerts
  // view to "greater than 0", which the next live update meets; its preview shows first.
  await page.getByTestId('nav-trade').click()
  await page.setViewportSize({ width: 1400, height: 900 })
  await openBtc(page)
  // Near the top or the bottom, whichever is farther from the price, so the level is not crossed
  // while the alert is being edited.
  const box = (await page.getByTestId('chart').boundingBox())!
  const menu = page.getByTestId('chart-order-menu')
  const menuPriceAt = async (share: number): Promise<number> => {
    await page.mouse.click(box.x + box.width * 0.4, box.y + box.height * share, { button: 'right' })
    const price = Number(await menu.getAttribute('data-price'))
    await page.keyboard.press('Escape')
    await expect(menu).toHaveCount(0)
    return price
  }
  const last = await page.evaluate(
    () => (globalThis as unknown as HookGlobal).__candlework.chart()!.lastClose!,
  )
  const [high, low] = [await menuPriceAt(0.15), await menuPriceAt(0.85)]
  const share = Math.abs(high - last) > Math.abs(low - last) ? 0.15 : 0.85
  await page.mouse.click(box.x + box.width * 0.4, box.y + box.height * share, { button: 'right' })
  await page.getByTestId('chart-menu-alert').click()
  await expect(page.getByTestId('notice').filter({ hasText: 'Alert added' })).toBeVisible()
  await page.getByTestId('nav-alerts').click()
  await page.getByTestId('alert-row').getByTestId('alert-edit').click()
  await page.getByTestId('alert-op').selectOption('greater')
  await page.getByTestId('condition.right-value').fill('0')
  const editing = page.getByTestId('alert-preview')
  await expect(editing).toHaveAttribute('data-state', 'ready')
  await expect(editing).toContainText(/^Would have fired [\d,]+ times in the last 30 days/)
  await page.getByTestId('alert-save').click()
  await expect(page.getByTestId('alert-form')).toHaveCount(0)
  const [saved] = await rpc<Alert[]>(host, 'alerts.list', {})
  expect(saved!.condition).toMatchObject({ op: 'greater', right: { kind: 'value', value: 0 } })
  const name = saved!.name
  expect(name).toContain('BTC/USDT')

  await expect(page.getByTestId('notice').filter({ hasText: `Alert: ${name}` })).toBeVisible({
    timeout: 15_000,
  })
  await expect(page.getByTestId('alerts-unread')).toHaveText('1')
  const firing = page.getByTestId('alert-firing')
  await expect(firing).toHaveCount(1)
  await expect(firing).toHaveAttribute('data-read', 'false')
  await expect(firing.getByTestId('alert-firing-values')).toContainText('left')
  await expect(page.getByTestId('alert-row').getByTestId('alert-status')).toHaveText('Fired (once)')
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as { __notified: string[] }).__notified))
    .toEqual([name])
  await shoot(page, testInfo, 'alerts-view-fired')

  await page.getByTestId('alerts-mark-all-read').click()
  await expect(page.getByTestId('alerts-unread')).toHaveCount(0)
  await expect(firing).toHaveAttribute('data-read', 'true')
  const [stored] = await rpc<Firing[]>(host, 'alerts.history', {})
  expect(stored!.read).toBe(true)

  // The history filters by kind: a price alert's firing is not an order's.
  await page.getByTestId('alerts-filter-kind').selectOption('order')
  await expect(page.getByTestId('alerts-history-empty')).toHaveText('No firing matches the filter.')
  await page.getByTestId('alerts-filter-kind').selectOption('compare')
  await expect(firing).toHaveCount(1)

  // Its preview, shown on the chart: a marker on each bar it would have fired on.
  await page.getByTestId('alert-row').getByTestId('alert-edit').click()
  await expect(page.getByTestId('alert-preview')).toHaveAttribute('data-state', 'ready')
  const fired = Number(await page.getByTestId('alert-preview').getAttribute('data-fired'))
  expect(fired).toBeGreaterThan(1_000)
  await page.getByTestId('alert-preview-chart').click()
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.chart()?.markers ?? 0))
    .toBeGreaterThanOrEqual(Math.min(fired, 1_000))
  await shoot(page, testInfo, 'chart-alert-preview-markers')
})
