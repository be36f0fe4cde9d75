import { Decimal } from '../../src/shared/decimal/decimal'
import type { Locator, Page, TestInfo } from '@playwright/test'
import { expect, rpc, test, usePassphraseEnv, type Host } from './fixtures'
import { startSimulator } from '../simulator/server'
import type { HookGlobal } from '../../src/shared/testing/ui-hook'
import type { Account, Order } from '../../src/shared/domain/trading'

/** A price as the engine writes it: canonical decimal text (`60000.50` -> `60000.5`). */
const canon = (text: string | null | undefined): string => Decimal.parse(text!).toString()

/*
 * Orders and the position on the chart, on the Demo paper account: a line per working order
 * that can be dragged to a new price and canceled from its label, the position's entry with its
 * P&L, and Shift-click and the context menu filling the ticket.
 */

const DEMO = 'demo-paper'
const LIVE = 'test-live'
const SIM_KEY = 'e2eCHARTkey0123456789abcdefghijklmnopqrstuvwxyz'
const SIM_SECRET = 'e2eCHARTsecret-0123456789abcdef'
const ordersOf = (host: Host, accountId = DEMO) => rpc<Order[]>(host, 'trading.orders', { accountId })

// The live test's host keeps the simulator's API keys in a passphrase-encrypted file.
usePassphraseEnv('e2e-chart-orders-passphrase')

async function openBtc(page: Page): Promise<void> {
  await page.locator('[data-testid="symbol-row"][data-source="demo"][data-symbol="BTC/USDT"]').click()
  await page.evaluate(() =>
    (globalThis as unknown as HookGlobal).__candlework.whenChartPainted({
      source: 'demo',
      symbol: 'BTC/USDT',
    }),
  )
  await expect(page.getByTestId('ticket-symbol')).toHaveText('BTC/USDT')
  await expect(page.getByTestId('account-select')).toHaveValue(DEMO)
}

/** The chart's price pane: its box on the page (the price scale is on its right). */
async function pane(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const layer = page.getByTestId('order-lines')
  const box = await layer.boundingBox()
  if (box && box.width > 0 && box.height > 0) return box
  // No line drawn yet: the layer has no size; the chart's box less the scales' rough size.
  const chart = (await page.getByTestId('chart').boundingBox())!
  return { x: chart.x, y: chart.y, width: chart.width - 80, height: chart.height - 30 }
}

/** Shift-click at a share of the price pane's height (0 top, 1 bottom), 40% across. */
async function shiftClickAt(page: Page, share: number): Promise<void> {
  const p = await pane(page)
  await page.keyboard.down('Shift')
  await page.mouse.click(p.x + p.width * 0.4, p.y + p.height * share)
  await page.keyboard.up('Shift')
}

const lineOf = (page: Page, id: string): Locator =>
  page.locator(`[data-testid="order-line"][data-client-order-id="${id}"]`)

async function screenshots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const [w, h] of [
    [1400, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    // Two frames: the chart repaints for the new size, and the labels follow.
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
    // Labels stay inside the price pane (left of the price scale) and do not overlap each other.
    const p = await pane(page)
    const boxes = (
      await Promise.all((await page.locator('.ol-label:not([hidden])').all()).map((l) => l.boundingBox()))
    ).filter((b): b is NonNullable<typeof b> => b !== null)
    for (const b of boxes) expect(b.x + b.width).toBeLessThanOrEqual(p.x + p.width + 0.5)
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!
        const b = boxes[j]!
        const overlap = a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5
        expect(overlap, 'two labels overlap').toBe(false)
      }
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 })
}

test('orders on the chart: place from a Shift-click, drag to a new price, Escape, cancel from the line', async ({
  app: page,
  host,
}, testInfo) => {
  await openBtc(page)

  // Shift-click low in the pane, below every candle: a buy limit at that price, at the tick.
  await shiftClickAt(page, 0.9)
  await expect(page.getByTestId('ticket-type-limit')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('ticket-buy')).toHaveAttribute('aria-pressed', 'true')
  const typed = await page.getByTestId('ticket-price').inputValue()
  expect(typed).toMatch(/^\d+\.\d{2}$/)
  // The cursor waits in the size field.
  await expect(page.getByTestId('ticket-size')).toBeFocused()
  await page.getByTestId('ticket-size').fill('0.01')
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Open')
  const [order] = await ordersOf(host)
  expect(order).toMatchObject({
    type: 'limit',
    side: 'buy',
    status: 'open',
    price: canon(typed),
    amount: '0.01',
  })
  const id = order!.clientOrderId

  // Its line: side, type, size and price on the label, right of the pane, with a cancel button.
  const label = lineOf(page, id)
  await expect(label).toBeVisible()
  await expect(label).toHaveAttribute('data-price', typed)
  await expect(label).toContainText('BUY LIMIT 0.01 @')
  await expect(label.getByTestId('order-line-cancel')).toBeEnabled()

  // Drag the label 30 px up: the label shows the new price while dragging; letting go moves the order.
  const box = (await label.boundingBox())!
  await page.mouse.move(box.x + 20, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(box.x + 20, box.y + box.height / 2 - 15, { steps: 4 })
  await page.mouse.move(box.x + 20, box.y + box.height / 2 - 30, { steps: 4 })
  await expect(label).toHaveAttribute('data-state', 'dragging')
  await expect(label).toContainText('→')
  const dragged = await label.getAttribute('data-price')
  expect(Number(dragged)).toBeGreaterThan(Number(typed))
  await page.mouse.up()
  await expect
    .poll(async () => (await ordersOf(host)).find((o) => o.clientOrderId === id)?.price)
    .toBe(canon(dragged))
  await expect(label).toHaveAttribute('data-price', dragged!)
  await expect(label).toHaveAttribute('data-state', 'idle')
  // Same order (paper amends in place), new price in the blotter.
  await page.getByTestId('blotter-tab-open').click()
  const row = page.locator(`[data-testid="open-order-row"][data-id="${id}"]`)
  await expect(row).toContainText(Number(dragged).toLocaleString('en-US', { minimumFractionDigits: 2 }))

  // Escape during a drag gives it up: the order keeps its price.
  const box2 = (await label.boundingBox())!
  await page.mouse.move(box2.x + 20, box2.y + box2.height / 2)
  await page.mouse.down()
  await page.mouse.move(box2.x + 20, box2.y + box2.height / 2 + 25, { steps: 5 })
  await expect(label).toHaveAttribute('data-state', 'dragging')
  await page.keyboard.press('Escape')
  await expect(label).toHaveAttribute('data-state', 'idle')
  await page.mouse.up()
  await expect(label).toHaveAttribute('data-price', dragged!)
  expect((await ordersOf(host)).find((o) => o.clientOrderId === id)?.price).toBe(canon(dragged))

  // The line itself can be grabbed too, away from its label.
  const p = await pane(page)
  const lineY = Number(await label.getAttribute('data-line-y'))
  await page.mouse.move(p.x + p.width * 0.2, p.y + lineY)
  await page.mouse.down()
  await page.mouse.move(p.x + p.width * 0.2, p.y + lineY - 20, { steps: 5 })
  const byLine = await label.getAttribute('data-price')
  expect(Number(byLine)).toBeGreaterThan(Number(dragged))
  await page.mouse.up()
  await expect
    .poll(async () => (await ordersOf(host)).find((o) => o.clientOrderId === id)?.price)
    .toBe(canon(byLine))

  await screenshots(page, testInfo, 'chart-order-line')

  // The cancel button on the line cancels the order.
  await label.getByTestId('order-line-cancel').click()
  await expect(label).toHaveCount(0)
  await expect(row).toHaveCount(0)
  expect((await ordersOf(host)).find((o) => o.clientOrderId === id)?.status).toBe('canceled')
})

test('the position’s entry line with its P&L, and orders from a Shift-click or the context menu', async ({
  app: page,
}, testInfo) => {
  await openBtc(page)
  // A market buy: the position's line at its average entry, with its unrealised P&L.
  await page.getByTestId('ticket-size').fill('0.02')
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Filled')
  const position = page.getByTestId('position-line')
  await expect(position).toBeVisible()
  await expect(position).toContainText(/^LONG 0\.0\d+ @ [\d,]+\.\d{2}\s*[+−]?[\d,]+\.\d{2} USDT$/, {
    useInnerText: true,
  })
  await expect(position.getByTestId('order-line-cancel')).toBeHidden()

  // A protective stop below, from the context menu: labelled SL, with the P&L it would realise.
  const p = await pane(page)
  await page.mouse.click(p.x + p.width * 0.4, p.y + p.height * 0.9, { button: 'right' })
  const menu = page.getByTestId('chart-order-menu')
  await expect(menu).toBeVisible()
  await expect(page.getByTestId('chart-menu-limit')).toContainText('Buy limit at')
  await expect(page.getByTestId('chart-menu-stop')).toContainText('Sell stop at')
  const menuPrice = await menu.getAttribute('data-price')
  await page.getByTestId('chart-menu-stop').click()
  await expect(menu).toHaveCount(0)
  await expect(page.getByTestId('ticket-type-stop')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('ticket-sell')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('ticket-stop')).toHaveValue(menuPrice!)
  await page.getByTestId('ticket-size').fill('0.01')
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Open')
  const sl = page.locator('[data-testid="order-line"][data-field="stopPrice"]')
  await expect(sl).toContainText(/^SELL SL 0\.01 @ [\d,]+\.\d{2}\s*−[\d,]+\.\d{2}/, { useInnerText: true })

  // Shift-click above every candle: a sell limit there.
  await shiftClickAt(page, 0.03)
  await expect(page.getByTestId('ticket-type-limit')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('ticket-sell')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('ticket-price')).toHaveValue(/^\d+\.\d{2}$/)

  await screenshots(page, testInfo, 'chart-position-line')
})

test('a live order moved on the chart waits for an explicit confirmation; Keep puts the line back', async ({
  app: page,
  host,
}) => {
  const sim = await startSimulator({ apiKey: SIM_KEY, secret: SIM_SECRET, autoMatch: false })
  try {
    await openBtc(page)
    // The simulator trades at the demo chart's price, so the live order's line is in view.
    const last = await page.evaluate(
      () => (globalThis as unknown as HookGlobal).__candlework.chart()!.lastClose!,
    )
    sim.market.setPrice('BTCUSDT', last, { freeze: true })
    await rpc<Account>(host, 'trading.saveAccount', {
      id: LIVE,
      name: 'Test exchange',
      mode: 'live',
      exchangeId: 'binance',
      apiUrl: sim.url,
    })
    await rpc(host, 'exchange.setKeys', {
      exchange: 'binance',
      apiKey: SIM_KEY,
      secret: SIM_SECRET,
      verify: true,
    })
    // The switch goes on only once the keys have checked.
    await rpc<Account>(host, 'trading.saveAccount', {
      id: LIVE,
      name: 'Test exchange',
      mode: 'live',
      liveEnabled: true,
    })
    const price = (Math.round(last * 0.997 * 100) / 100).toFixed(2)
    const placed = await rpc<Order>(host, 'trading.placeOrder', {
      accountId: LIVE,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '0.001',
      price,
      confirm: true,
    })
    expect(placed.status).toBe('open')
    // The page learns of the new account when it loads.
    await page.reload()
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
    await openBtc(page)
    await page.getByTestId('account-select').selectOption(LIVE)
    await expect(page.getByTestId('account-mode')).toHaveText('LIVE')
    const label = lineOf(page, placed.clientOrderId)
    await expect(label).toBeVisible()

    const drag = async (dy: number): Promise<string> => {
      const box = (await label.boundingBox())!
      await page.mouse.move(box.x + 20, box.y + box.height / 2)
      await page.mouse.down()
      await page.mouse.move(box.x + 20, box.y + box.height / 2 + dy, { steps: 5 })
      const to = (await label.getAttribute('data-price'))!
      await page.mouse.up()
      return to
    }

    // Down, away from the market: the chart is the simulator's, whose scale spans its own history
    // and today's price, so a few pixels up could carry the buy through the market.
    // Let go: nothing is sent until the trader confirms; Keep (here Escape) puts the line back.
    const dialog = page.getByTestId('move-confirm')
    let first = ''
    // A drag that caught the line while the chart rescaled (live bars arriving) moves nothing and
    // sends nothing: it is tried again.
    await expect(async () => {
      first = await drag(20)
      await expect(dialog).toBeVisible({ timeout: 2_000 })
    }).toPass({ timeout: 20_000 })
    await expect(dialog.getByTestId('move-confirm-order')).toHaveText('BUY LIMIT 0.001 BTC')
    await expect(dialog.getByTestId('move-confirm-prices')).toContainText(
      `→ ${Number(first).toLocaleString('en-US', { minimumFractionDigits: 2 })}`,
    )
    await expect(label).toHaveAttribute('data-price', first)
    if (process.env.CANDLEWORK_SCREENSHOTS) {
      await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/chart-move-live-confirm.png` })
    }
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
    await expect(label).toHaveAttribute('data-price', price)
    expect(sim.state.requests({ kind: 'cancelReplace' })).toHaveLength(0)

    // Confirmed: Binance replaces it (one cancel-replace); the replacement's line takes its place.
    const second = await drag(20)
    await expect(dialog).toBeVisible()
    await dialog.getByTestId('move-confirm-send').click()
    const replacement = lineOf(page, `${placed.clientOrderId}-r1`)
    await expect(replacement).toHaveAttribute('data-price', second)
    await expect(label).toHaveCount(0)
    expect(sim.state.requests({ kind: 'cancelReplace' })).toHaveLength(1)
    const orders = await ordersOf(host, LIVE)
    expect(orders.find((o) => o.clientOrderId === placed.clientOrderId)?.status).toBe('canceled')
    expect(orders.find((o) => o.clientOrderId === `${placed.clientOrderId}-r1`)).toMatchObject({
      status: 'open',
      price: canon(second),
    })
  } finally {
    await page.close()
    await sim.close()
  }
})
