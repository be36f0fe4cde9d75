import { expect, openConnected, test, watchErrors } from './fixtures'
import { importCandles, restartHost, startHost, tempDataDir } from './host'
import { sharedPath } from '../support/shared'

/*
 * Symbols as a trader finds them: the search opened from the keyboard charts a symbol, and a
 * history imported by the CLI (another process writing the data folder) joins the list while the
 * app runs, and after the host was stopped and started again, without a reload.
 */

const GOOG = sharedPath('data/backtesting.py/GOOG.csv')
const IDX = sharedPath('data/backtrader/2006-day-001.txt')

test('search from the keyboard into a watchlist and the chart, and CLI imports that join the list without a reload', async ({
  page,
}) => {
  const dir = tempDataDir()
  let host = await startHost(dir.path)
  try {
    const errors = watchErrors(page)
    await openConnected(page, host)
    const header = page.getByTestId('chart-header')
    await expect(page.locator('[data-testid="symbol-row"][data-symbol="BTC/USDT"]')).toBeVisible()
    await page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true))

    // A letter typed on the chart opens the search with it; the best match is first.
    await page.keyboard.press('e')
    const search = page.getByTestId('symbol-search')
    await expect(search).toBeVisible()
    const input = page.getByTestId('symbol-search-input')
    await expect(input).toHaveValue('E')
    await input.pressSequentially('TH')
    const results = page.getByTestId('symbol-search-result')
    await expect(results.first()).toHaveAttribute('data-symbol', 'ETH/USDT')
    // Shift+Enter adds it to a watchlist (a first one is made), Enter charts it.
    await page.keyboard.press('Shift+Enter')
    const watchRow = (symbol: string) => page.locator(`[data-testid="watch-row"][data-symbol="${symbol}"]`)
    await expect(watchRow('ETH/USDT')).toBeVisible()
    await expect(results.first().getByTestId('symbol-search-add')).toHaveText('Listed')
    await page.keyboard.press('Enter')
    await expect(search).toBeHidden()
    await expect(header).toHaveAttribute('data-symbol', 'ETH/USDT')

    // A second symbol by its button; the list keeps the trader's order, then sorts by a column.
    await page.keyboard.press('/')
    await input.fill('sol')
    // Escape closes at once (a search field's own Escape would only clear it).
    await page.keyboard.press('Escape')
    await expect(search).toBeHidden()
    await page.keyboard.press('/')
    await input.fill('sol')
    await results.first().getByTestId('symbol-search-add').click()
    await expect(watchRow('SOL/USDT')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(search).toBeHidden()
    const watchSymbols = () =>
      page
        .getByTestId('watch-row')
        .evaluateAll((rows) =>
          rows.map((r) => (r as unknown as { dataset: { symbol?: string } }).dataset.symbol),
        )
    expect(await watchSymbols()).toEqual(['ETH/USDT', 'SOL/USDT'])
    await page.getByTestId('watchlist-sort-symbol').click()
    await page.getByTestId('watchlist-sort-symbol').click()
    await expect.poll(watchSymbols).toEqual(['SOL/USDT', 'ETH/USDT'])
    // Charted from the watchlist with the keyboard: ↑ / ↓ move through its rows, Enter charts.
    await watchRow('ETH/USDT').focus()
    await page.keyboard.press('ArrowUp')
    await expect(watchRow('SOL/USDT')).toBeFocused()
    await page.keyboard.press('Enter')
    await expect(header).toHaveAttribute('data-symbol', 'SOL/USDT')

    // The CLI imports GOOG while the host runs: it is listed, and searchable, with no reload.
    await importCandles(dir.path, { file: GOOG, symbol: 'GOOG', timeframe: '1d' })
    await expect(page.locator('[data-testid="symbol-row"][data-symbol="GOOG"]')).toBeVisible()
    await page.keyboard.press('Control+k')
    await input.fill('gog')
    await expect(results.first()).toHaveAttribute('data-symbol', 'GOOG')
    await page.keyboard.press('Enter')
    await expect(header).toHaveAttribute('data-symbol', 'GOOG')
    // A US listing: its holidays are not gaps (test/market/calendar.test.ts has the count).
    await expect(page.getByTestId('gap-notice')).toHaveCount(0)

    // Imported while the host is stopped: there once the app has reconnected by itself.
    await host.stop()
    await importCandles(dir.path, { file: IDX, symbol: 'IDX', timeframe: '1d' })
    host = await restartHost(host)
    await expect(page.locator('[data-testid="symbol-row"][data-symbol="IDX"]')).toBeVisible({
      timeout: 20_000,
    })
    expect(
      await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true)
    expect(errors).toEqual([])
  } finally {
    await host.stop()
    dir.remove()
  }
})
