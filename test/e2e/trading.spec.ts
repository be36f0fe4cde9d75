import type { Page } from '@playwright/test'
import { expect, rpc, test, usePassphraseEnv, type Host } from './fixtures'
import { startSimulator } from '../simulator/server'
import type { HookGlobal } from '../../src/shared/testing/ui-hook'
import { Decimal } from '../../src/shared/decimal/decimal'
import type { Account, Fill, Order, Position } from '../../src/shared/domain/trading'

const DEMO = 'demo-paper'
const SIM_KEY = 'e2eTRADINGkey0123456789abcdefghijklmnopqrstuv'
const SIM_SECRET = 'e2eTRADINGsecret-0123456789abcdef'

// The hosts keep API keys in a passphrase-encrypted file.
usePassphraseEnv('e2e-trading-passphrase')

/** Opens BTC/USDT (demo) and waits for its chart and the trading panel's account. */
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
  await expect(page.getByTestId('account-mode')).toHaveText('PAPER')
}

const markers = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.chart()?.markers ?? -1)

/** Waits until the chart shows `n` markers (read through the app's test hook). */
async function expectMarkers(page: Page, n: number): Promise<void> {
  await expect.poll(() => markers(page)).toBe(n)
}

/** Types a size and waits for the engine's check of it. */
async function typeSize(page: Page, size: string, state: 'valid' | 'invalid'): Promise<void> {
  await page.getByTestId('ticket-size').fill(size)
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', state)
}

const fillsOf = (host: Host, accountId = DEMO) => rpc<Fill[]>(host, 'trading.fills', { accountId })
const ordersOf = (host: Host, accountId = DEMO) => rpc<Order[]>(host, 'trading.orders', { accountId })

test('a paper market buy fills, and shows in fills, positions and on the chart', async ({
  app: page,
  host,
}, testInfo) => {
  await openBtc(page)
  // Signal markers off: every marker left on the chart is then one of ours.
  const toggle = page.getByTestId('markers-toggle')
  if ((await toggle.getAttribute('aria-pressed')) === 'true') await toggle.click()
  await expect(toggle).toHaveAttribute('aria-pressed', 'false')
  await expectMarkers(page, 0)

  await expect(page.getByTestId('ticket-type-market')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('ticket-buy')).toHaveAttribute('aria-pressed', 'true')
  // 0.0123456 is rounded down to the 0.00001 step: the ticket shows what will be sent.
  await typeSize(page, '0.0123456', 'valid')
  await expect(page.getByTestId('preview-amount')).toHaveAttribute('data-value', '0.01234')
  await expect(page.getByTestId('preview-adjustments')).toContainText('rounded down')
  await expect(page.getByTestId('preview-notional')).toHaveText(/^[\d,]+\.\d{2} USDT$/)
  await expect(page.getByTestId('preview-fee')).toContainText('(0.10%)')

  // Keyboard: Enter in the size field submits.
  await page.getByTestId('ticket-size').press('Enter')
  const outcome = page.getByTestId('ticket-outcome')
  await expect(outcome).toHaveAttribute('data-kind', 'placed')
  await expect(outcome).toContainText('Filled')
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('Order filled')

  // The engine's record of it.
  const fills = await fillsOf(host)
  expect(fills).toHaveLength(1)
  const fill = fills[0]!
  expect(fill).toMatchObject({ symbol: 'BTC/USDT', side: 'buy', amount: '0.01234' })

  // Recent fills.
  await page.getByTestId('blotter-tab-fills').click()
  const fillRow = page.getByTestId('fill-row')
  await expect(fillRow).toHaveCount(1)
  await expect(fillRow).toHaveAttribute('data-side', 'buy')
  await expect(fillRow).toHaveAttribute('data-amount', fill.amount)

  // The position: the amount bought, less the fee paid in BTC, the same as `trading.positions`.
  const positions = await rpc<Position[]>(host, 'trading.positions', { accountId: DEMO })
  expect(positions).toHaveLength(1)
  const pos = positions[0]!
  expect(pos.symbol).toBe('BTC/USDT')
  // Exactly: 0.01234 less 0.1% of it, 0.01232766 BTC (no float noise in any digit).
  const feeInBase = fill.fee?.currency === 'BTC' ? fill.fee.cost : '0'
  expect(pos.amount).toBe(Decimal.parse(fill.amount).minus(Decimal.parse(feeInBase)).toString())
  expect(pos.amount).toBe('0.01232766')
  await page.getByTestId('blotter-tab-positions').click()
  const posRow = page.locator('[data-testid="position-row"][data-symbol="BTC/USDT"]')
  await expect(posRow).toHaveAttribute('data-amount', pos.amount)
  // Shown at BTC's lot step (0.00001), cut, never more than is held; exact on hover.
  await expect(posRow.getByTestId('position-amount')).toHaveText('0.01232 BTC')
  await expect(posRow.getByTestId('position-amount').locator('span').first()).toHaveAttribute(
    'title',
    '0.01232766 BTC',
  )
  await expect(posRow.getByTestId('position-upnl')).toHaveText(/^[+−]?[\d,]+\.\d{2}/)
  await expect(page.getByTestId('blotter-tab-positions')).toContainText('1')

  // The fill on the chart, through the test hook.
  await expectMarkers(page, 1)

  const shot = await page.screenshot()
  await testInfo.attach('trading-after-buy', { body: shot, contentType: 'image/png' })
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/trading.png` })
  }
})

test('balances show each asset at its own places; Close… sells exactly the position and what stays below the step is dust', async ({
  app: page,
  host,
}, testInfo) => {
  await openBtc(page)
  await typeSize(page, '0.01234', 'valid')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Filled')

  // USDT with 2 places, BTC with 5 (its 0.00001 step), cut; the exact amount on hover.
  await page.getByTestId('blotter-tab-balances').click()
  const usdt = page.locator('[data-testid="balance-row"][data-asset="USDT"]').getByTestId('balance-total')
  const btc = page.locator('[data-testid="balance-row"][data-asset="BTC"]').getByTestId('balance-total')
  await expect(usdt).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2}$/)
  await expect(btc).toHaveText('0.01232')
  await expect(btc.locator('span')).toHaveAttribute('title', '0.01232766')
  const { balances } = await rpc<{ balances: { asset: string; total: string }[] }>(host, 'trading.balances', {
    accountId: DEMO,
  })
  await expect(usdt.locator('span')).toHaveAttribute('title', balances.find((b) => b.asset === 'USDT')!.total)
  await shoot(page, testInfo, 'balances')

  // Close… sells exactly the position rounded down to the lot step: 0.01232 of 0.01232766 BTC
  // (the fee was taken in BTC), never a double's 0.012327660000000001; it says what stays.
  await page.getByTestId('blotter-tab-positions').click()
  const row = page.locator('[data-testid="position-row"][data-symbol="BTC/USDT"]')
  await expect(row).toHaveAttribute('data-side', 'long')
  await expect(row.getByTestId('close-position')).toHaveAttribute(
    'title',
    /0\.00000766 BTC below the lot step/,
  )
  await row.getByTestId('close-position').click()
  const dialog = page.getByTestId('close-dialog')
  await expect(dialog.getByTestId('close-order')).toHaveText('SELL 0.01232 BTC at market')
  await expect(dialog.getByTestId('close-dust')).toContainText('0.00000766 BTC: dust below the lot step')
  await shoot(page, testInfo, 'close-dust')
  await dialog.getByTestId('close-confirm').click()
  await expect(dialog).toBeHidden()
  const sells = (await ordersOf(host)).filter((o) => o.side === 'sell')
  expect(sells.map((o) => [o.amount, o.filled, o.status])).toEqual([['0.01232', '0.01232', 'filled']])

  // What is left is below the step: dust, not a Long; no Close… for it, and no open position.
  await expect(row).toHaveAttribute('data-side', 'dust')
  await expect(row).toHaveAttribute('data-amount', '0.00000766')
  await expect(row.getByTestId('position-side')).toHaveText('Dust')
  await expect(row.getByTestId('position-amount')).toHaveText('0.00000766 BTC')
  await expect(row.getByTestId('close-position')).toHaveCount(0)
  await expect(page.getByTestId('blotter-tab-positions')).not.toContainText('1')
  const [dust] = await rpc<Position[]>(host, 'trading.positions', { accountId: DEMO })
  expect(dust).toMatchObject({ side: 'dust', amount: '0.00000766', amountStep: '0.00001' })
  await shoot(page, testInfo, 'dust')

  // Paper converts dust: Convert… lists it, says what happens, and the position goes away.
  await row.getByTestId('convert-dust').click()
  const convert = page.getByTestId('dust-dialog')
  await expect(convert.getByTestId('dust-item')).toHaveText(['0.00000766 BTC from BTC/USDT'])
  await expect(convert.getByTestId('dust-outcome')).toHaveText('Sold into USDT at the bid less 2%.')
  await shoot(page, testInfo, 'dust-convert')
  await convert.getByTestId('dust-confirm').click()
  await expect(convert.getByTestId('dust-converted')).toHaveText(
    /^0\.00000766 BTC → [\d.]+ USDT \(fee [\d.]+ USDT\)$/,
  )
  await convert.getByTestId('dust-done').click()
  await expect(convert).toBeHidden()
  await expect(row).toHaveCount(0)
  await page.getByTestId('blotter-tab-fills').click()
  const converted = page.locator('[data-testid="fill-row"][data-reason="dust_conversion"]')
  await expect(converted).toHaveAttribute('data-amount', '0.00000766')
  await expect(converted.getByTestId('fill-role')).toHaveText('Dust converted')
})

/** The page at 1400×900 and 1024×700, attached (and saved where CANDLEWORK_SCREENSHOTS says). */
async function shoot(
  page: Page,
  testInfo: { attach: (n: string, o: { body: Buffer; contentType: string }) => Promise<void> },
  name: string,
): Promise<void> {
  const before = page.viewportSize()
  for (const [width, height] of [
    [1400, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height })
    const body = await page.screenshot()
    await testInfo.attach(`${name}-${width}x${height}`, { body, contentType: 'image/png' })
    const dir = process.env.CANDLEWORK_SCREENSHOTS
    if (dir) await page.screenshot({ path: `${dir}/${name}-${width}x${height}.png` })
  }
  if (before) await page.setViewportSize(before)
}

test('an order the engine would refuse shows its reason in the ticket and cannot be sent', async ({
  app: page,
  host,
}) => {
  await openBtc(page)

  // Too small: caught while typing.
  await typeSize(page, '0.000001', 'invalid')
  await expect(page.getByTestId('ticket-error')).toHaveText(/rounds down to 0 at the step 0\.00001 BTC/)

  // A notional under the minimum, typed in USDT.
  await page.getByTestId('ticket-unit').click()
  await typeSize(page, '4.2', 'invalid')
  await expect(page.getByTestId('ticket-error')).toHaveText(
    /^notional [\d.]+ USDT is below the minimum 5\.00 USDT by [\d.]+$/,
  )
  await page.getByTestId('ticket-unit').click()

  // Far more than the balance: the engine says why as it is typed, and submit stays off.
  await typeSize(page, '1000', 'invalid')
  await expect(page.getByTestId('ticket-error')).toHaveAttribute('data-kind', 'insufficient_funds')
  await expect(page.getByTestId('ticket-error')).toContainText(
    /buying 1,000\.00000 BTC needs [\d,.]+ USDT, [\d,.]+ USDT is free: short by/,
  )
  await expect(page.getByTestId('ticket-submit')).toBeDisabled()
  await expect(page.getByTestId('ticket-submit')).toHaveAttribute('title', /USDT is free: short by/)

  // Nothing was placed or filled.
  expect(await fillsOf(host)).toEqual([])
  expect(await ordersOf(host)).toEqual([])
})

test('a resting limit order is listed and can be cancelled', async ({ app: page, host }) => {
  await openBtc(page)
  await page.getByTestId('ticket-type-limit').click()
  // The price starts from the last price; a buy far below it rests.
  await expect(page.getByTestId('ticket-price')).not.toHaveValue('')
  await page.getByTestId('ticket-price').fill('20000')
  await typeSize(page, '0.001', 'valid')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Open')

  const [order] = await ordersOf(host)
  expect(order).toMatchObject({ type: 'limit', status: 'open', price: '20000', amount: '0.001' })

  await page.getByTestId('blotter-tab-open').click()
  const row = page.locator(`[data-testid="open-order-row"][data-id="${order!.clientOrderId}"]`)
  await expect(row).toHaveAttribute('data-status', 'open')
  // Its funds are reserved.
  await page.getByTestId('blotter-tab-balances').click()
  await expect(page.locator('[data-testid="balance-row"][data-asset="USDT"]')).toContainText('20.00')

  await page.getByTestId('blotter-tab-open').click()
  await row.getByTestId('cancel-order').click()
  await expect(row).toHaveCount(0)
  await page.getByTestId('blotter-tab-history').click()
  await expect(
    page.locator(`[data-testid="history-row"][data-id="${order!.clientOrderId}"]`),
  ).toHaveAttribute('data-status', 'canceled')
  const after = await ordersOf(host)
  expect(after.find((o) => o.clientOrderId === order!.clientOrderId)?.status).toBe('canceled')

  // Reset the paper account, after a confirmation: its history goes, the balance comes back.
  await page.getByTestId('reset-paper').click()
  const dialog = page.getByTestId('reset-confirm')
  await expect(dialog).toBeVisible()
  await dialog.getByTestId('reset-confirm-button').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('history-row')).toHaveCount(0)
  expect(await ordersOf(host)).toEqual([])
  const balances = await rpc<{ balances: { asset: string; total: number }[] }>(host, 'trading.balances', {
    accountId: DEMO,
  })
  expect(balances.balances).toEqual([expect.objectContaining({ asset: 'USDT', total: '10000' })])
})

test('a live account is marked LIVE and its order waits for an explicit confirmation', async ({
  app: page,
  host,
}) => {
  // A live account on the local Binance simulator: nothing can leave the machine, and the
  // ticket can check the order against the simulator's markets and balances (the submit
  // button stays off while it cannot, see below).
  const sim = await startSimulator({ apiKey: SIM_KEY, secret: SIM_SECRET })
  try {
    await liveAccountTest(page, host, sim.url)
  } finally {
    await page.close()
    await sim.close()
  }
})

async function liveAccountTest(page: Page, host: Host, apiUrl: string): Promise<void> {
  // Live trading goes on only with keys that check: the engine checks them with the simulator.
  await rpc<Account>(host, 'trading.saveAccount', {
    id: 'test-live',
    name: 'Test exchange',
    mode: 'live',
    exchangeId: 'binance',
    apiUrl,
    apiKey: SIM_KEY,
    secret: SIM_SECRET,
    checkKeys: true,
    liveEnabled: true,
  })
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await openBtc(page)

  await page.getByTestId('account-select').selectOption('test-live')
  await expect(page.getByTestId('account-mode')).toHaveText('LIVE')
  await expect(page.getByTestId('live-switch')).toHaveAttribute('data-enabled', 'true')
  await expect(page.getByTestId('live-switch')).toHaveText('Live trading enabled')

  await page.getByTestId('ticket-sell').click()
  await page.getByTestId('ticket-size').fill('0.002')
  await expect(page.getByTestId('ticket-submit')).toContainText('Review LIVE')
  await page.getByTestId('ticket-submit').click()
  const dialog = page.getByTestId('live-confirm')
  await expect(dialog).toBeVisible()
  await expect(dialog.getByTestId('confirm-side')).toHaveText('SELL')
  await expect(dialog.getByTestId('confirm-amount')).toContainText('0.002 BTC')
  await expect(dialog.getByTestId('confirm-symbol')).toHaveText('BTC/USDT')
  await expect(dialog.getByTestId('confirm-price')).toContainText('Market')
  await expect(dialog.getByTestId('confirm-account')).toContainText('Test exchange')
  // Escape backs out: nothing is sent.
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  expect(await ordersOf(host, 'test-live')).toEqual([])

  // Back on the paper account, the ticket places straight away again.
  await page.getByTestId('account-select').selectOption(DEMO)
  await expect(page.getByTestId('account-mode')).toHaveText('PAPER')
  await expect(page.getByTestId('ticket-submit')).not.toContainText('LIVE')
}

test('a live account whose exchange cannot be reached cannot send an order, and says why', async ({
  app: page,
  host,
}) => {
  // Switched on while its keys checked; then the exchange goes away.
  const sim = await startSimulator({ apiKey: SIM_KEY, secret: SIM_SECRET })
  await rpc<Account>(host, 'trading.saveAccount', {
    id: 'test-live',
    name: 'Test exchange',
    mode: 'live',
    exchangeId: 'binance',
    apiUrl: sim.url,
    apiKey: SIM_KEY,
    secret: SIM_SECRET,
    checkKeys: true,
    liveEnabled: true,
  })
  await sim.close()
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await openBtc(page)
  await page.getByTestId('account-select').selectOption('test-live')
  await expect(page.getByTestId('account-mode')).toHaveText('LIVE')
  await page.getByTestId('ticket-size').fill('0.002')
  // Its exchange's markets never loaded: the ticket is off with that reason (account-market.spec.ts).
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'unavailable')
  await expect(page.getByTestId('ticket-submit')).toBeDisabled()
  await expect(page.getByTestId('ticket-submit')).toHaveAttribute('title', /unavailable|unreachable/i)
  await page.getByTestId('ticket-size').press('Enter')
  await expect(page.getByTestId('live-confirm')).toBeHidden()
  expect(await ordersOf(host, 'test-live')).toEqual([])
})
