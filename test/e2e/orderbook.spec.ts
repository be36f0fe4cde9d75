import type { Page } from '@playwright/test'
import { expect, openDemoBtc, rpc, showTicket, test } from './fixtures'
import type { SymbolInfo } from '../../src/shared/contract/market'

/**
 * The order book under the ticket, as a trader uses it: the demo market's book around its price,
 * a coarser step, and a click on a level that turns a market ticket into a limit at that price.
 */

/** Screenshots at both window sizes, taken only when asked (CANDLEWORK_SCREENSHOTS=dir): resizes cost CI time. */
async function shoot(page: Page, name: string): Promise<void> {
  const dir = process.env['CANDLEWORK_SCREENSHOTS']
  if (!dir) return
  for (const [width, height] of [
    [1400, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height })
    await showTicket(page)
    await expect(page.getByTestId('book-level').first()).toBeVisible()
    await page.screenshot({ path: `${dir}/${name}-${width}x${height}.png` })
  }
  // The panel alone (scrolled into view under the ticket), for the README.
  await page.getByTestId('market-depth').screenshot({ path: `${dir}/${name}-panel.png` })
  await page.setViewportSize({ width: 1400, height: 900 })
  await showTicket(page)
}

test('the order book shows levels around the demo price; a click on a level prefills the ticket', async ({
  app: page,
  host,
}) => {
  await page.setViewportSize({ width: 1400, height: 900 })
  await showTicket(page)
  await openDemoBtc(page)
  // Folded until the trader opens it (an open book streams); then it stays as they left it.
  const fold = page.getByTestId('book-fold')
  await expect(fold).toHaveAttribute('aria-expanded', 'false')
  await fold.click()

  const bids = page.locator('[data-testid="book-level"][data-side="bid"]')
  const asks = page.locator('[data-testid="book-level"][data-side="ask"]')
  await expect(bids).toHaveCount(8)
  await expect(asks).toHaveCount(8)
  // Best bid below best ask, both within a few basis points of the demo's last price.
  const symbols = await rpc<SymbolInfo[]>(host, 'market.symbols', {})
  const last = symbols.find((s) => s.source === 'demo' && s.symbol === 'BTC/USDT')!.last!
  const bestBid = Number(await bids.first().getAttribute('data-price'))
  const bestAsk = Number(await asks.last().getAttribute('data-price'))
  expect(bestBid).toBeLessThan(bestAsk)
  expect(Math.abs(bestBid - last) / last).toBeLessThan(0.002)
  await expect(page.getByTestId('book-spread')).toContainText(
    /^\d+\.\d{2}Spread \d+\.\d{2} \(\d\.\d\d bps\)$/,
  )
  await expect(page.getByTestId('tape-trade').first()).toBeVisible()

  // Grouped by 100: every level on a multiple of 100.
  await page.getByTestId('book-step').selectOption('100')
  await expect(bids.first()).toHaveAttribute('data-price', /00\.00$/)
  for (const p of await bids.evaluateAll((els) =>
    els.map((e) => (e as unknown as { dataset: { price?: string } }).dataset.price),
  )) {
    expect(Number(p) % 100).toBe(0)
  }
  await shoot(page, 'orderbook')

  // A market ticket; a click on the third bid bucket makes it a buy limit at that price.
  await page.getByTestId('ticket-type-market').click()
  const bidPrice = (await bids.nth(2).getAttribute('data-price'))!
  await page.locator(`[data-testid="book-level"][data-price="${bidPrice}"]`).click()
  await expect(page.getByTestId('ticket-type-limit')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('ticket-buy')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('ticket-price')).toHaveValue(/^\d+(\.\d+)?$/)
  expect(Number(await page.getByTestId('ticket-price').inputValue())).toBe(Number(bidPrice))
  await expect(page.getByTestId('ticket-size')).toBeFocused()

  // An ask: a sell limit at its price.
  const askPrice = (await asks.nth(5).getAttribute('data-price'))!
  await page.locator(`[data-testid="book-level"][data-price="${askPrice}"]`).click()
  await expect(page.getByTestId('ticket-sell')).toHaveAttribute('aria-pressed', 'true')
  expect(Number(await page.getByTestId('ticket-price').inputValue())).toBe(Number(askPrice))
})
