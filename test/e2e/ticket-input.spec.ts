import type { Page } from '@playwright/test'
import { expect, rpc, test, type Host } from './fixtures'
import type { HookGlobal } from '../../src/shared/testing/ui-hook'
import type { Order } from '../../src/shared/domain/trading'

/**
 * The order ticket's number fields and its submit button (issue 12, findings 2 and 7): `0,1`
 * is a tenth, never 1; an order the ticket knows is wrong cannot be sent, and the ticket says
 * why next to the button.
 */

const DEMO = 'demo-paper'
const ordersOf = (host: Host) => rpc<Order[]>(host, 'trading.orders', { accountId: DEMO })

async function openSymbol(page: Page, symbol: string): Promise<void> {
  await page.locator(`[data-testid="symbol-row"][data-source="demo"][data-symbol="${symbol}"]`).click()
  await page.evaluate(
    (s) => (globalThis as unknown as HookGlobal).__candlework.whenChartPainted({ source: 'demo', symbol: s }),
    symbol,
  )
  const open = page.getByTestId('ticket-open')
  if (await open.isVisible()) await open.click()
  await expect(page.getByTestId('ticket-symbol')).toHaveText(symbol)
  await expect(page.getByTestId('account-select')).toHaveValue(DEMO)
}

async function buyTenthTyped(page: Page, host: Host, typed: string): Promise<void> {
  await openSymbol(page, 'ETH/USDT')
  await expect(page.getByTestId('ticket-type-market')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('ticket-buy')).toHaveAttribute('aria-pressed', 'true')
  await page.getByTestId('ticket-size').fill(typed)
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
  await expect(page.getByTestId('preview-amount')).toHaveAttribute('data-value', '0.1')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toHaveAttribute('data-kind', 'placed')

  const orders = await ordersOf(host)
  expect(orders).toHaveLength(1)
  expect(orders[0]).toMatchObject({ symbol: 'ETH/USDT', side: 'buy', type: 'market', amount: '0.1' })
}

test('0,1 typed in the amount of a paper market buy is 0.1 ETH, not 1', async ({ app: page, host }) => {
  await buyTenthTyped(page, host, '0,1')
})

test.describe('in a German browser', () => {
  test.use({ locale: 'de-DE' })

  test('0,1 is 0.1 ETH, and 1.234 is refused as ambiguous rather than guessed', async ({
    app: page,
    host,
  }) => {
    await openSymbol(page, 'ETH/USDT')
    await page.getByTestId('ticket-size').fill('1.234')
    await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'invalid')
    await expect(page.getByTestId('ticket-error')).toHaveText('Amount: Ambiguous: write 1234 or 1,234')
    await expect(page.getByTestId('ticket-submit')).toBeDisabled()
    await expect(page.getByTestId('ticket-size')).toHaveAttribute('aria-invalid', 'true')
    await page.getByTestId('ticket-size').fill('')
    await buyTenthTyped(page, host, '  0,1 ')
  })
})

test('a stop on the wrong side disables submit, with the reason beside it, as it is typed', async ({
  app: page,
  host,
}) => {
  await openSymbol(page, 'BTC/USDT')
  await page.getByTestId('ticket-type-stop').click()
  const stop = page.getByTestId('ticket-stop')
  // It starts from the last price: a buy stop there would trigger at once.
  await expect(stop).not.toHaveValue('')
  const last = Number((await stop.inputValue()).replace(',', '.'))
  await page.getByTestId('ticket-size').fill('0.001')
  // Well below the last price: a buy stop must be above it.
  await stop.fill(String(Math.floor(last * 0.9)))

  const submit = page.getByTestId('ticket-submit')
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'invalid')
  await expect(submit).toBeDisabled()
  const reason = page.getByTestId('ticket-error')
  await expect(reason).toBeVisible()
  // Both prices at the market's precision (2 decimals, grouped), not the raw number.
  await expect(reason).toHaveText(
    /^A buy stop must be above the last price: \d{1,3}(,\d{3})*\.00 is at or below \d{1,3}(,\d{3})*\.\d{2} and would trigger at once$/,
  )
  // The same sentence is the button's title (the last price in it moves with the market).
  await expect(submit).toHaveAttribute(
    'title',
    /^A buy stop must be above the last price: [\d,.]+ is at or below/,
  )
  await expect(submit).toHaveAttribute('aria-describedby', 'tk-reason')
  await expect(reason).toHaveAttribute('id', 'tk-reason')
  // Enter in a field does not send it either.
  await page.getByTestId('ticket-size').press('Enter')
  await expect(page.getByTestId('ticket-outcome')).toHaveCount(0)
  expect(await ordersOf(host)).toEqual([])

  // Above the last price it is valid, and it rests.
  await stop.fill(String(Math.ceil(last * 1.1)))
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
  await expect(submit).toBeEnabled()
  await expect(submit).not.toHaveAttribute('title')
  await submit.click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Open')
  const orders = await ordersOf(host)
  expect(orders).toHaveLength(1)
  expect(orders[0]).toMatchObject({ type: 'stop', status: 'open', amount: '0.001' })
})

test('an amount over the balance disables submit with the engine’s reason, formatted', async ({
  app: page,
  host,
}) => {
  await openSymbol(page, 'BTC/USDT')
  await page.getByTestId('ticket-size').fill('1000')
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'invalid')
  const submit = page.getByTestId('ticket-submit')
  await expect(submit).toBeDisabled()
  await expect(page.getByTestId('ticket-error')).toHaveText(
    /^buying 1,000\.00000 BTC needs [\d,]+\.\d{2} USDT, 10,000\.00 USDT is free: short by [\d,]+\.\d{2}$/,
  )
  await expect(submit).toHaveAttribute('title', /short by/)
  expect(await ordersOf(host)).toEqual([])
})

test('after selling it all, the kept amount is cleared rather than shown as an error', async ({
  app: page,
  host,
}) => {
  await openSymbol(page, 'BTC/USDT')
  await page.getByTestId('ticket-size').fill('0,01')
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Filled')
  // Sell 100% of what was bought: the amount stays for a moment, then nothing is left to sell.
  await page.getByTestId('ticket-sell').click()
  await page.getByRole('button', { name: '100%' }).click()
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Filled')
  await expect(page.getByTestId('ticket-size')).toHaveValue('')
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'empty')
  await expect(page.getByTestId('ticket-error')).toHaveCount(0)
  await expect(page.getByTestId('ticket-outcome')).toContainText('Filled')
  expect((await ordersOf(host)).map((o) => o.status)).toEqual(['filled', 'filled'])
})
