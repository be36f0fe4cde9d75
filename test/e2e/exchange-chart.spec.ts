import type { Page } from '@playwright/test'
import { expect, rpc, testWithSimulator } from './fixtures'
import type { ChartProbe, HookGlobal } from '../../src/shared/testing/ui-hook'
import type { BackfillResult, Connection } from '../../src/shared/contract/exchange'

const SOURCE = 'binance:custom'
const SYMBOL = 'BTC/USDT'
const MINUTE = 60_000

const probe = (page: Page) => page.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.chart())

const painted = (page: Page) =>
  page.evaluate((m) => (globalThis as unknown as HookGlobal).__candlework.whenChartPainted(m, 30_000), {
    source: SOURCE,
    symbol: SYMBOL,
    timeframe: '1m',
  })

const indicatorsReady = (page: Page, count: number) =>
  page.evaluate(
    (n) => (globalThis as unknown as HookGlobal).__candlework.whenIndicatorsReady(n, 30_000),
    count,
  )

/** Adds an indicator through the picker, as indicators.spec.ts does. */
async function addIndicator(page: Page, search: string, id: string, params: Record<string, string>) {
  await page.getByTestId('indicators-button').click()
  const picker = page.getByTestId('indicator-picker')
  await expect(picker).toBeVisible()
  await page.getByTestId('indicator-search').fill(search)
  await picker.locator(`[data-testid="indicator-option"][data-id="${id}"]`).click()
  for (const [name, value] of Object.entries(params)) await page.getByTestId(`param-${name}`).fill(value)
  await page.getByTestId('indicator-submit').click()
  await expect(picker).toBeHidden()
}

const test = testWithSimulator

test.describe('a series backfilled from the local Binance simulator', () => {
  test('charts its history and moves live, with a live SMA and no stream-stopped notice', async ({
    app: page,
    host,
    sim: simulator,
  }, testInfo) => {
    // The whole flow waits on live data from a second process: give it room on a loaded machine.
    test.setTimeout(120_000)

    // Point the binance connection at the simulator (the source becomes binance:custom) and
    // backfill the last two hours of 1m bars.
    const conn = await rpc<Connection>(host, 'exchange.configure', {
      exchange: 'binance',
      apiUrl: simulator.url,
    })
    expect(conn).toMatchObject({ exchange: 'binance', source: SOURCE, apiUrl: simulator.url })
    const now = Date.now()
    const fill = await rpc<BackfillResult>(host, 'exchange.backfill', {
      exchange: 'binance',
      symbol: SYMBOL,
      timeframe: '1m',
      from: now - 2 * 60 * MINUTE,
      to: now,
    })
    expect(fill).toMatchObject({ source: SOURCE, symbol: SYMBOL, timeframe: '1m', complete: true })
    expect(fill.stored).toBeGreaterThanOrEqual(110)

    // The symbol list was loaded before the series existed: reload to get it.
    await page.reload()
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
    const row = page.locator(`[data-testid="symbol-row"][data-source="${SOURCE}"][data-symbol="${SYMBOL}"]`)
    await expect(row).toBeVisible()
    // Listed under its source label, with a live feed (no HIST tag).
    const group = page.locator(`[data-testid="symbol-group"][data-source="${SOURCE}"]`)
    await expect(group.getByTestId('source-badge')).toHaveText(SOURCE)
    await expect(row).not.toContainText('HIST')

    await row.click()
    await page.getByTestId('tf-1m').click()
    const header = page.getByTestId('chart-header')
    await expect(header).toHaveAttribute('data-symbol', SYMBOL)
    await expect(header).toHaveAttribute('data-timeframe', '1m')
    await expect(header.getByTestId('source-badge')).toHaveText(SOURCE)

    const start = await painted(page)
    expect(start.source).toBe(SOURCE)
    expect(start.bars).toBeGreaterThanOrEqual(110)
    // One bar per minute, as Binance's BTC/USDT trades around the clock.
    const steps = start.recentTimes.slice(1).map((t, i) => t - start.recentTimes[i]!)
    expect(new Set(steps)).toEqual(new Set([MINUTE]))
    expect(start.lastTime!).toBeGreaterThan(now - 5 * MINUTE)

    // The live feed reaches the chart: the last candle changes and live updates are counted.
    let latest: ChartProbe | null = start
    await expect
      .poll(
        async () => {
          latest = await probe(page)
          if (!latest || latest.source !== SOURCE || latest.liveUpdates === 0) return false
          return latest.lastClose !== start.lastClose || latest.lastTime !== start.lastTime
        },
        { timeout: 30_000, message: 'the last candle of the exchange series moves' },
      )
      .toBe(true)
    expect(latest!.lastTime!).toBeGreaterThanOrEqual(start.lastTime!)

    // A live SMA on the exchange series.
    await addIndicator(page, 'SMA', 'sma', { period: '20' })
    const withSma = await indicatorsReady(page, 1)
    const sma = withSma.indicators[0]!
    expect([sma.id, sma.pane, sma.params]).toEqual(['sma', 0, { period: 20 }])
    expect(sma.outputs[0]!.points).toBeGreaterThan(50)
    const smaRow = page.locator('[data-testid="indicator-row"][data-id="sma"]')
    await expect(smaRow).toContainText('SMA 20')
    await expect(smaRow.getByTestId('indicator-value')).toHaveText(/^\d{1,3}(,\d{3})*\.\d+$/)
    await expect
      .poll(
        async () => {
          const p = await probe(page)
          const ind = p?.indicators[0]
          return !!ind && ind.liveUpdates > 0 && ind.outputs[0]!.lastValue !== null
        },
        { timeout: 30_000, message: 'the SMA gets live values' },
      )
      .toBe(true)

    // The candles keep moving after the indicator was added.
    const before = (await probe(page))!
    await expect
      .poll(
        async () => {
          const p = await probe(page)
          return (
            !!p && p.liveUpdates > 0 && (p.lastClose !== before.lastClose || p.lastTime !== before.lastTime)
          )
        },
        { timeout: 30_000, message: 'the last candle keeps moving' },
      )
      .toBe(true)

    // The header's price follows the live bar (an exchange series has no ticker stream of its own).
    await expect
      .poll(
        async () => {
          const p = await probe(page)
          const shown = Number((await page.getByTestId('chart-last').innerText()).replace(/,/g, ''))
          return !!p && p.lastClose !== null && Math.abs(shown - p.lastClose) < 0.01
        },
        { timeout: 30_000, message: 'the header price is the live close' },
      )
      .toBe(true)

    // No live stream ended with an error.
    const notices = page.getByRole('region', { name: 'Notifications' })
    await expect(notices).not.toContainText('Live indicator values stopped')
    await expect(notices).not.toContainText('Live bar updates stopped')

    // The pointer left over the chart by the picker would show a crosshair: move it away.
    await page.mouse.move(0, 0)
    await expect(page.getByTestId('legend')).toHaveAttribute('data-latest', 'true')
    const shot = await page.screenshot()
    await testInfo.attach('exchange-chart', { body: shot, contentType: 'image/png' })
    if (process.env.CANDLEWORK_SCREENSHOTS) {
      await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/exchange-chart.png` })
    }
  })
})
