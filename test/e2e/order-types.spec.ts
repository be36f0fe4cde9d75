import type { Page } from '@playwright/test'
import { expect, rpc, showTicket, test, type Host } from './fixtures'
import type { HookGlobal } from '../../src/shared/testing/ui-hook'
import type { Order } from '../../src/shared/domain/trading'

const DEMO = 'demo-paper'

/** Opens BTC/USDT (demo) and waits for its chart and the ticket. */
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

/** The last price the ticket seeded a limit with (the chart's). */
async function lastPrice(page: Page): Promise<number> {
  await page.getByTestId('ticket-type-limit').click()
  const price = page.getByTestId('ticket-price')
  await expect(price).not.toHaveValue('')
  return Number((await price.inputValue()).replace(/,/g, ''))
}

const ordersOf = (host: Host) => rpc<Order[]>(host, 'trading.orders', { accountId: DEMO })

async function shoot(page: Page, name: string, testInfo: { outputPath: (n: string) => string }) {
  for (const [w, h] of [
    [1400, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    // A narrow window folds the ticket: open it, as a trader would to see it.
    await showTicket(page)
    await page.screenshot({ path: testInfo.outputPath(`${name}-${w}x${h}.png`) })
    if (process.env.CANDLEWORK_SCREENSHOTS)
      await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/${name}-${w}x${h}.png` })
  }
}

test('a bracket on a paper account: the entry fills and its take-profit and stop-loss stand as an OCO', async ({
  app: page,
  host,
}, testInfo) => {
  await openBtc(page)
  const last = await lastPrice(page)
  await page.getByTestId('ticket-type-market').click()
  await page.getByTestId('ticket-size').fill('0.01')
  await page.getByTestId('ticket-tp-on').check()
  await page.getByTestId('ticket-sl-on').check()
  // A take-profit below the price of a buy is on the wrong side: said as it is typed.
  await page.getByTestId('ticket-tp').fill(String(Math.round(last * 0.97)))
  await page.getByTestId('ticket-sl').fill(String(Math.round(last * 0.95)))
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'invalid')
  await expect(page.getByTestId('ticket-error')).toContainText('take-profit')
  await expect(page.getByTestId('ticket-error')).toContainText('must be above the entry price')
  await expect(page.getByTestId('ticket-tp')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.getByTestId('ticket-submit')).toBeDisabled()

  await page.getByTestId('ticket-tp').fill(String(Math.round(last * 1.05)))
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
  await expect(page.getByTestId('preview-legs')).toContainText('TP')
  await expect(page.getByTestId('preview-legs')).toContainText('SL')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toHaveAttribute('data-kind', 'placed')

  // The legs: one take-profit limit and one stop, both open, for the amount bought net of the fee.
  await expect
    .poll(async () =>
      (await ordersOf(host))
        .filter((o) => o.parentClientOrderId !== null)
        .map((o) => `${o.type}:${o.status}`)
        .sort(),
    )
    .toEqual(['limit:open', 'stop:open'])
  const legs = (await ordersOf(host)).filter((o) => o.parentClientOrderId !== null)
  expect(new Set(legs.map((l) => l.ocoGroup)).size).toBe(1)

  await page.getByTestId('blotter-tab-open').click()
  const rows = page.getByTestId('open-order-row')
  await expect(rows).toHaveCount(2)
  // Rows are newest first; the two legs were written together, in either order.
  await expect
    .poll(async () =>
      (await page.getByTestId('open-orders').getByTestId('order-leg').allTextContents()).sort(),
    )
    .toEqual(['SL', 'TP'])
  await expect(rows.filter({ hasText: 'Stop market' })).toContainText('SL')
  await expect(rows.filter({ hasText: 'Limit' })).toContainText('PO')
  await shoot(page, 'order-types-bracket', testInfo)

  // Canceling one leg cancels the OCO.
  await page.setViewportSize({ width: 1400, height: 900 })
  await rows.first().getByTestId('cancel-order').click()
  await expect(rows).toHaveCount(0)
  await expect
    .poll(async () =>
      (await ordersOf(host)).filter((o) => o.parentClientOrderId !== null).map((o) => o.status),
    )
    .toEqual(['canceled', 'canceled'])
})

test('the ticket offers the conditional types; a trailing stop shows its distance and trigger in the blotter', async ({
  app: page,
  host,
}, testInfo) => {
  await openBtc(page)
  const last = await lastPrice(page)
  // Something to sell first.
  await page.getByTestId('ticket-type-market').click()
  await page.getByTestId('ticket-size').fill('0.02')
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toHaveAttribute('data-kind', 'placed')

  await page.getByTestId('ticket-sell').click()
  // A sell stop-limit above the market is refused as it is typed, naming the market price.
  await page.getByTestId('ticket-type-more').selectOption('stop_limit')
  await expect(page.getByTestId('ticket-type-more')).toHaveValue('stop_limit')
  await page.getByTestId('ticket-stop').fill(String(Math.round(last * 1.05)))
  await page.getByTestId('ticket-price').fill(String(Math.round(last * 1.04)))
  await page.getByTestId('ticket-size').fill('0.01')
  await expect(page.getByTestId('ticket-error')).toContainText('must be below the market price')
  await expect(page.getByTestId('ticket-stop')).toHaveAttribute('aria-invalid', 'true')

  await page.getByTestId('ticket-type-more').selectOption('trailing_stop')
  await page.getByTestId('ticket-trailing').fill('2')
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toHaveAttribute('data-kind', 'placed')
  await page.getByTestId('blotter-tab-open').click()
  const row = page.getByTestId('open-order-row')
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('Trailing stop')
  await expect(row).toContainText('(2%)')
  const [trailing] = (await ordersOf(host)).filter((o) => o.type === 'trailing_stop')
  expect(trailing).toMatchObject({ status: 'open', trailingPercent: '2', emulated: false })
  expect(Number(trailing!.waterMark)).toBeGreaterThan(0)

  await page.getByTestId('ticket-type-more').selectOption('oco')
  await expect(page.getByTestId('ticket-tp')).toBeVisible()
  await expect(page.getByTestId('ticket-sl')).toBeVisible()
  await shoot(page, 'order-types-trailing', testInfo)
})
