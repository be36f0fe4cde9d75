import { expect, type Host, openDemoBtc, rpc, test, typeSize } from './fixtures'
import type { Order, Position } from '../../src/shared/domain/trading'

/*
 * Issue 12, finding 4: closing a position while a protective stop holds its coins was refused
 * ("short by …"). Close… now shows the resting orders that hold the position and, on one
 * confirm, cancels them and sells the position's whole size.
 */

const DEMO = 'demo-paper'
const SIZES = [
  { width: 1400, height: 900 },
  { width: 1024, height: 700 },
] as const

const ordersOf = (host: Host) => rpc<Order[]>(host, 'trading.orders', { accountId: DEMO })
const positionsOf = (host: Host) => rpc<Position[]>(host, 'trading.positions', { accountId: DEMO })

test('Close… of a position a stop protects: lists the stop, cancels it and sells the whole position on one confirm', async ({
  app: page,
  host,
}, testInfo) => {
  await openDemoBtc(page)
  // 0.01 BTC bought; the 0.1% fee is paid in BTC, so 0.00999 BTC is held (a whole number of steps).
  await typeSize(page, '0.01')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Filled')
  const [position] = await positionsOf(host)
  expect(position!.amount).toBe('0.00999')

  // A protective stop under the market for all of it: it holds every coin.
  await page.getByTestId('ticket-sell').click()
  await page.getByTestId('ticket-type-stop').click()
  const seeded = Number((await page.getByTestId('ticket-stop').inputValue()).replace(/,/g, ''))
  await page.getByTestId('ticket-stop').fill(String(Math.round(seeded * 0.9)))
  await typeSize(page, '0.00999')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Open')
  const stop = (await ordersOf(host)).find((o) => o.type === 'stop')!
  expect(stop).toMatchObject({ side: 'sell', status: 'open', amount: '0.00999' })

  // What used to happen: selling the position is refused, every coin is held by the stop.
  await page.getByTestId('ticket-type-market').click()
  await typeSize(page, '0.00999').catch(() => undefined)
  await expect(page.getByTestId('ticket-error')).toContainText('short by 0.00999')

  await page.getByTestId('blotter-tab-positions').click()
  const row = page.locator('[data-testid="position-row"][data-symbol="BTC/USDT"]')
  await expect(row).toHaveCount(1)
  const dialog = page.getByTestId('close-dialog')
  for (const size of SIZES) {
    await page.setViewportSize(size)
    // Below 1440 px the ticket folds to a rail; the blotter stays.
    await row.getByTestId('close-position').click()
    await expect(dialog).toBeVisible()
    await expect(dialog.getByTestId('close-order')).toHaveText('SELL 0.00999 BTC at market')
    await expect(dialog.getByTestId('close-resting-order')).toHaveCount(1)
    await expect(dialog.getByTestId('close-resting-order')).toHaveAttribute('data-id', stop.clientOrderId)
    await expect(dialog.getByTestId('close-resting-order')).toContainText(
      'Sell stop market 0.00999 BTC, triggers at',
    )
    await expect(dialog.getByTestId('close-resting')).toContainText('canceled first, in the same action')
    // Needed, so it cannot be unticked.
    await expect(dialog.getByTestId('close-cancel-resting')).toBeChecked()
    await expect(dialog.getByTestId('close-cancel-resting')).toBeDisabled()
    await expect(dialog.getByTestId('close-confirm')).toHaveText('Cancel 1 order and sell 0.00999 BTC')
    await expect(dialog.getByTestId('close-confirm')).toBeEnabled()
    const box = (await dialog.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.y).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(size.width)
    expect(box.y + box.height).toBeLessThanOrEqual(size.height)
    const shot = await page.screenshot()
    await testInfo.attach(`close-dialog-${size.width}x${size.height}`, {
      body: shot,
      contentType: 'image/png',
    })
    if (process.env.CANDLEWORK_SCREENSHOTS) {
      await page.screenshot({
        path: `${process.env.CANDLEWORK_SCREENSHOTS}/close-dialog-${size.width}x${size.height}.png`,
      })
    }
    if (size !== SIZES.at(-1)) {
      await dialog.getByRole('button', { name: 'Keep' }).click()
      await expect(dialog).toBeHidden()
    }
  }

  await dialog.getByTestId('close-confirm').click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('region', { name: 'Notifications' })).toContainText('BTC/USDT position closed')
  await expect(page.getByTestId('positions')).toHaveCount(0)
  await expect(row).toHaveCount(0)

  // On the host: the stop canceled, one sell of the whole position, nothing left.
  const orders = await ordersOf(host)
  expect(orders.find((o) => o.clientOrderId === stop.clientOrderId)!.status).toBe('canceled')
  const sells = orders.filter((o) => o.side === 'sell' && o.type === 'market')
  expect(sells.map((o) => [o.amount, o.filled, o.status])).toEqual([['0.00999', '0.00999', 'filled']])
  expect(await positionsOf(host)).toEqual([])
  const balances = await rpc<{ balances: { asset: string; total: string }[] }>(host, 'trading.balances', {
    accountId: DEMO,
  })
  expect(balances.balances.find((b) => b.asset === 'BTC')?.total ?? '0').toBe('0')
  await page.getByTestId('blotter-tab-open').click()
  await expect(page.getByTestId('open-order-row')).toHaveCount(0)
})
