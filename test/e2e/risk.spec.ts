import type { Page } from '@playwright/test'
import { expect, rpc, test, type Host } from './fixtures'
import type { Order } from '../../src/shared/domain/trading'

const DEMO = 'demo-paper'
const openOrders = async (host: Host) =>
  (await rpc<Order[]>(host, 'trading.orders', { accountId: DEMO })).filter((o) => o.status === 'open')

async function shoot(page: Page, name: string, attach: (n: string, b: Buffer) => Promise<void>) {
  for (const [w, h] of [
    [1400, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    await attach(`${name}-${w}x${h}`, await page.screenshot())
    if (process.env.CANDLEWORK_SCREENSHOTS) {
      await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/${name}-${w}x${h}.png` })
    }
  }
  await page.setViewportSize({ width: 1400, height: 900 })
}

test('a daily loss limit halts the paper account with its reason in the header; the kill switch cancels everything', async ({
  app: page,
  host,
}, testInfo) => {
  const attach = (n: string, b: Buffer) => testInfo.attach(n, { body: b, contentType: 'image/png' })
  await expect(page.getByTestId('risk-state')).toContainText('ACTIVE')

  // The trader sets a daily loss limit of 1 USDT for every account on the Risk view.
  await page.getByTestId('nav-risk').click()
  await expect(page.getByTestId('risk-limit-dailyLossLimit')).toHaveAttribute('placeholder', 'none')
  await expect(page.getByTestId('risk-limit-maxOpenOrders')).toHaveAttribute('placeholder', '500')
  await page.getByTestId('risk-limit-dailyLossLimit').fill('1')
  await page.getByTestId('risk-limits-save').click()
  await expect(page.getByTestId('risk-limits-error')).toHaveCount(0)

  // A resting order that the kill switch will cancel later.
  await rpc(host, 'trading.placeOrder', {
    accountId: DEMO,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'limit',
    amount: '0.01',
    price: '1000',
  })

  // A buy on the demo paper account (through the API, as a script or strategy would send it; the
  // ticket's path is the same order path): its fee and slippage are a loss past 1 USDT at once.
  await rpc(host, 'trading.placeOrder', {
    accountId: DEMO,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    amount: '0.05',
  })

  // Valued within 2 s: HALTED, with the rule's reason, in the header.
  await expect(page.getByTestId('risk-state')).toContainText('HALTED')
  await expect(page.getByTestId('risk-state-reason')).toContainText(
    /Demo paper: Daily loss limit 1\.00 USDT reached: today's loss \d+\.\d\d USDT/,
  )
  await expect(
    rpc(host, 'trading.placeOrder', {
      accountId: DEMO,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '0.01',
    }),
  ).rejects.toThrow(/risk_rejected.*Trading is HALTED \(Daily loss limit 1\.00 USDT reached/)
  await page.getByTestId('nav-risk').click()
  await expect(page.getByTestId('risk-audit')).toContainText('Daily loss limit 1.00 USDT reached')
  await shoot(page, 'risk-halted', attach)

  // The kill switch: one confirmation, then every order canceled and every account HALTED.
  expect(await openOrders(host)).toHaveLength(1)
  await page.keyboard.press('Control+Shift+K')
  await expect(page.getByTestId('kill-confirm')).toBeVisible()
  await shoot(page, 'risk-kill-confirm', attach)
  await page.getByTestId('kill-confirm-button').click()
  await expect(page.getByTestId('kill-confirm')).toBeHidden()
  await expect(
    page.getByText('HALTED everywhere; 1 order canceled; nothing outstanding').first(),
  ).toBeVisible()
  await expect(page.getByTestId('risk-state-reason')).toContainText(
    /all accounts: kill switch at \d\d:\d\d UTC/,
  )
  expect(await openOrders(host)).toHaveLength(0)
})

test('the Risk view shows VaR, the correlation heatmap and a stress test for the demo paper position', async ({
  app: page,
  host,
}, testInfo) => {
  const attach = (n: string, b: Buffer) => testInfo.attach(n, { body: b, contentType: 'image/png' })
  for (const symbol of ['BTC/USDT', 'ETH/USDT'])
    await rpc(host, 'trading.placeOrder', {
      accountId: DEMO,
      symbol,
      side: 'buy',
      type: 'market',
      amount: '0.1',
    })
  await page.getByTestId('nav-risk').click()
  const varTable = page.getByTestId('risk-var')
  await expect(varTable).toContainText('Monte Carlo')
  await expect(varTable.locator('tbody tr')).toHaveCount(4)
  await expect(varTable.locator('tbody tr').first().locator('td').nth(1)).toHaveText(/^\d[\d,]*\.\d\d$/)
  await expect(page.getByTestId('risk-heatmap')).toContainText('ETH')
  await expect(page.getByTestId('risk-stress-ftx-2022-11')).toContainText('FTX')
  // The trader's own shock: BTC −50 %.
  await page.getByTestId('risk-shock-btc').fill('-50')
  await page.getByTestId('risk-shock-apply').click()
  await expect(page.getByTestId('risk-stress-custom')).toContainText('BTC −50 %')
  await shoot(page, 'risk-portfolio', attach)

  // The ticket previews an order's effect on the account's VaR and each limit as the trader types.
  await page.getByTestId('nav-trade').click()
  await page.keyboard.press('F9') // the ticket, folded at this width, opens with the cursor in its size
  await page.getByTestId('ticket-size').fill('0.02')
  await expect(page.getByTestId('ticket-risk-var')).toHaveText(/^\d[\d.]* → \d[\d.]* USDT$/)
  await expect(page.getByTestId('ticket-risk-max_orders_per_second')).toContainText('/ 20')
  await shoot(page, 'ticket-risk', attach)
})
