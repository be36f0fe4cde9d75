import type { Page } from '@playwright/test'
import type { HookGlobal } from '../../src/shared/testing/ui-hook'
import type { Account, Order } from '../../src/shared/domain/trading'
import type { ExchangeTicker } from '../../src/shared/contract/exchange'
import { DEFAULT_MARKETS } from '../simulator/markets'
import { startSimulator } from '../simulator/server'
import { closedPort, expect, rpc, showTicket, test, usePassphraseEnv, type Host } from './fixtures'

/**
 * Issue 12, finding 1: an account trades, prices and charts on its own market. A live account
 * (or a paper account on an exchange's public prices) never shows the demo market's price: while
 * its exchange's markets are not loaded the ticket is off and says why; once loaded, the symbol
 * list, the chart, the ticket and the live confirmation are the exchange's.
 */

const DEMO = 'demo-paper'
const SIM_KEY = 'e2eMARKETkey0123456789abcdefghijklmnopqrstuvw'
const SIM_SECRET = 'e2eMARKETsecret-0123456789abcdef'

usePassphraseEnv('e2e-account-market-passphrase')

const painted = (page: Page, m: { source?: string; symbol?: string }) =>
  page.evaluate(
    (match) => (globalThis as unknown as HookGlobal).__candlework.whenChartPainted(match, 60_000),
    m,
  )

const ordersOf = (host: Host, accountId: string) => rpc<Order[]>(host, 'trading.orders', { accountId })

const SIZES = [
  { width: 1400, height: 900 },
  { width: 1024, height: 700 },
]

/**
 * Screenshots of the page at 1400x900 and 1024x700 with the ticket open (it folds on narrow
 * windows), attached to the report and kept in CANDLEWORK_SCREENSHOTS when set.
 */
async function shoot(page: Page, name: string, attach: (n: string, b: Buffer) => Promise<void>) {
  for (const size of SIZES) await shootAt(page, name, size, attach)
  await page.setViewportSize({ width: 1440, height: 900 })
}

async function shootAt(
  page: Page,
  name: string,
  size: { width: number; height: number },
  attach: (n: string, b: Buffer) => Promise<void>,
) {
  await page.setViewportSize(size)
  await showTicket(page)
  await page.mouse.move(0, 0)
  const body = await page.screenshot()
  await attach(`${name}-${size.width}x${size.height}`, body)
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await page.screenshot({
      path: `${process.env.CANDLEWORK_SCREENSHOTS}/${name}-${size.width}x${size.height}.png`,
    })
  }
}

async function openDemoBtc(page: Page): Promise<void> {
  await page.locator('[data-testid="symbol-row"][data-source="demo"][data-symbol="BTC/USDT"]').click()
  await painted(page, { source: 'demo', symbol: 'BTC/USDT' })
  await expect(page.getByTestId('account-select')).toHaveValue(DEMO)
  // On Demo paper the ticket prices BTC/USDT at the demo market.
  await expect(page.getByTestId('ticket-market-price')).toHaveText(/^Market ≈ [\d,]+\.\d{2}$/)
}

test('the chart says its prices are streaming; LIVE marks only accounts that trade real money', async ({
  app: page,
}) => {
  await openDemoBtc(page)
  const feed = page.getByTestId('chart-header').getByTestId('feed-state')
  await expect(feed).toHaveText('STREAMING')
  await expect(feed).toHaveAttribute('data-state', 'streaming')
  // On Demo paper nothing on the page says LIVE: no real money is involved.
  await expect(page.getByText(/\bLIVE\b/)).toHaveCount(0)
})

test('an account whose exchange cannot be reached shows no demo price, and its ticket is off with the reason', async ({
  app: page,
  host,
}, testInfo) => {
  // "My Binance": live, no keys (so its switch stays off), its API URL a loopback port nobody
  // listens on; and a paper account on the same exchange's public prices.
  await rpc<Account>(host, 'trading.saveAccount', {
    id: 'my-binance',
    name: 'My Binance',
    mode: 'live',
    exchangeId: 'binance',
    apiUrl: `http://127.0.0.1:${await closedPort()}`,
  })
  await rpc<Account>(host, 'trading.saveAccount', {
    id: 'binance-paper',
    name: 'Binance paper',
    mode: 'paper',
    exchangeId: 'binance',
  })
  await page.reload()
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await openDemoBtc(page)
  const attach = (n: string, body: Buffer) => testInfo.attach(n, { body, contentType: 'image/png' })

  for (const id of ['my-binance', 'binance-paper']) {
    await page.getByTestId('account-select').selectOption(id)
    const reason = /^Binance markets not loaded: exchange unreachable, retrying (in \d+ s|now…)$/

    // Neither the chart nor the symbol list shows the demo market for this account.
    await expect(page.getByTestId('chart-header')).not.toHaveAttribute('data-source', 'demo')
    await expect(page.locator('[data-testid="symbol-row"][data-source="demo"]')).toHaveCount(0)
    await expect(page.getByTestId('symbol-list-reason')).toHaveText(reason)
    await expect(page.getByTestId('chart-market-reason')).toHaveText(reason)

    // The ticket shows no price at all, and is off with the reason.
    await expect(page.getByTestId('ticket-market-price')).toHaveText('Market ≈ —')
    await expect(page.getByTestId('ticket-unavailable')).toHaveText(reason)
    const submit = page.getByTestId('ticket-submit')
    await expect(submit).toBeDisabled()
    await expect(submit).toHaveAttribute('title', reason)

    // Typing a size changes nothing: still off, Enter sends nothing and opens no confirmation.
    await page.getByTestId('ticket-size').fill('0.002')
    await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'unavailable')
    await expect(submit).toBeDisabled()
    await page.getByTestId('ticket-size').press('Enter')
    await expect(page.getByTestId('live-confirm')).toBeHidden()
    expect(await ordersOf(host, id)).toEqual([])

    // The countdown moves on its own (the engine retries on a schedule).
    await expect(page.getByTestId('ticket-unavailable')).toHaveText(/retrying in \d+ s$/, { timeout: 20_000 })
    if (id === 'my-binance') await shoot(page, 'ticket-unreachable', attach)
  }

  // Back on Demo paper: the demo market and its price again.
  await page.getByTestId('account-select').selectOption(DEMO)
  await painted(page, { source: 'demo', symbol: 'BTC/USDT' })
  await expect(page.getByTestId('ticket-market-price')).toHaveText(/^Market ≈ [\d,]+\.\d{2}$/)
  await expect(page.getByTestId('ticket-preview')).not.toHaveAttribute('data-state', 'unavailable')
})

test('an account on the simulator trades on its symbols, prices, steps and minimums', async ({
  app: page,
  host,
}, testInfo) => {
  test.setTimeout(120_000)
  // BTC/USDT with filters the demo market does not have: a 0.50 tick, a 0.001 step, 100 USDT minimum.
  const markets = DEFAULT_MARKETS.map((m) =>
    m.symbol === 'BTCUSDT'
      ? { ...m, tickSize: '0.50', stepSize: '0.001', minQty: '0.001', minNotional: '100' }
      : m,
  )
  const sim = await startSimulator({ apiKey: SIM_KEY, secret: SIM_SECRET, markets })
  try {
    sim.market.setPrice('BTCUSDT', 50_000, { freeze: true })
    await rpc<Account>(host, 'trading.saveAccount', {
      id: 'sim-live',
      name: 'Simulator',
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
      id: 'sim-live',
      name: 'Simulator',
      mode: 'live',
      liveEnabled: true,
    })
    await rpc<Account>(host, 'trading.saveAccount', {
      id: 'sim-paper',
      name: 'Simulator paper',
      mode: 'paper',
      exchangeId: 'binance',
    })
    await page.reload()
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
    await openDemoBtc(page)
    const attach = (n: string, body: Buffer) => testInfo.attach(n, { body, contentType: 'image/png' })

    await page.getByTestId('account-select').selectOption('sim-live')
    // The symbol list is the simulator's (LTC/USDT is not on the demo market), none of the demo's.
    const group = page.locator('[data-testid="symbol-group"][data-source="binance:custom"]')
    await expect(group.locator('[data-testid="symbol-row"]')).toHaveCount(4)
    await expect(group.locator('[data-symbol="LTC/USDT"]')).toBeVisible()
    await expect(page.locator('[data-testid="symbol-row"][data-source="demo"]')).toHaveCount(0)
    // The chart stays on BTC/USDT, now the simulator's bars.
    const chart = await painted(page, { source: 'binance:custom', symbol: 'BTC/USDT' })
    expect(chart.bars).toBeGreaterThan(100)
    await expect(page.getByTestId('chart-header')).toHaveAttribute('data-source', 'binance:custom')
    await expect(page.getByTestId('feed-state')).toHaveText('STREAMING')

    // The ticket's price is the simulator's, at its tick's precision (0.50: one decimal).
    const ticker = await rpc<ExchangeTicker>(host, 'exchange.ticker', {
      exchange: 'binance',
      symbol: 'BTC/USDT',
    })
    expect(ticker.last).toBe(50_000)
    await expect(page.getByTestId('ticket-market-price')).toHaveText('Market ≈ 50,000.0')

    // Its steps: 0.0035 is sent as 0.003 (the demo market's 0.00001 step would keep it).
    await page.getByTestId('ticket-size').fill('0.0035')
    await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
    await expect(page.getByTestId('preview-amount')).toHaveAttribute('data-value', '0.003')
    await expect(page.getByTestId('preview-adjustments')).toContainText('rounded down')
    // Its minimum: 0.0015 is 0.001 BTC, about 50 USDT, under its 100 (the demo's 5 would allow it).
    await page.getByTestId('ticket-size').fill('0.0015')
    await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'invalid')
    await expect(page.getByTestId('ticket-error')).toContainText('minimum 100')
    await expect(page.getByTestId('ticket-submit')).toBeDisabled()

    // A limit starts at the simulator's price; the arrow keys move it by its 0.50 tick.
    await page.getByTestId('ticket-type-limit').click()
    await expect(page.getByTestId('ticket-price')).toHaveValue('50000.0')
    await page.getByTestId('ticket-price').press('ArrowUp')
    await expect(page.getByTestId('ticket-price')).toHaveValue('50000.5')
    await page.getByTestId('ticket-type-market').click()

    // The live confirmation shows the simulator's price.
    await page.getByTestId('ticket-sell').click()
    await page.getByTestId('ticket-size').fill('0.002')
    await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
    await shoot(page, 'ticket-simulator', attach)
    await page.getByTestId('ticket-submit').click()
    const dialog = page.getByTestId('live-confirm')
    await expect(dialog).toBeVisible()
    await expect(dialog.getByTestId('confirm-price')).toHaveText(/^Market \(≈ 50,000\.0\)$/)
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
    expect(await ordersOf(host, 'sim-live')).toEqual([])

    // A paper account on the same exchange: the same market and price.
    await page.getByTestId('account-select').selectOption('sim-paper')
    await expect(page.getByTestId('chart-header')).toHaveAttribute('data-source', 'binance:custom')
    await expect(page.getByTestId('ticket-market-price')).toHaveText('Market ≈ 50,000.0')
  } finally {
    await page.close()
    await sim.close()
  }
})
