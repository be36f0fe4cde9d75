import type { Page } from '@playwright/test'
import { expect, rpc, test } from './fixtures'
import type { HookGlobal } from '../../src/shared/testing/ui-hook'
import type { SignalsCurrent } from '../../src/shared/contract/signals'

const SIX = ['1m', '5m', '15m', '1h', '4h', '1d']

function painted(page: Page, match: { symbol?: string; timeframe?: string } = {}) {
  return page.evaluate((m) => (globalThis as unknown as HookGlobal).__candlework.whenChartPainted(m), match)
}

/** Waits until every cell of the heat strip shows a score, and returns the scores by timeframe. */
async function scores(page: Page): Promise<Record<string, number>> {
  const cells = page.getByTestId('signal-cell')
  await expect(cells).toHaveCount(6)
  await expect(page.locator('[data-testid="signal-cell"][data-score=""]')).toHaveCount(0)
  const out: Record<string, number> = {}
  for (const cell of await cells.all()) {
    out[(await cell.getAttribute('data-timeframe'))!] = Number(await cell.getAttribute('data-score'))
  }
  return out
}

// One flow: the panel's first scores take the engine seconds to compute for a fresh host, so the
// scores are checked and then clicked through on the same host.
test('the signal panel shows a 0..100 score for each of the six timeframes; clicking one switches the chart to it', async ({
  app: page,
  host,
}, testInfo) => {
  const panel = page.getByTestId('signal-panel')
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 30_000 })
  const shown = await scores(page)
  expect(Object.keys(shown)).toEqual(SIX)
  for (const tf of SIX) {
    expect(shown[tf]).toBeGreaterThanOrEqual(0)
    expect(shown[tf]).toBeLessThanOrEqual(100)
    // The number in the cell is the score, rounded.
    await expect(page.getByTestId(`signal-score-${tf}`)).toHaveText(String(Math.round(shown[tf]!)))
  }
  // The same numbers as the engine's own answer (1d only changes at UTC midnight).
  const symbol = (await page.getByTestId('chart-header').getAttribute('data-symbol'))!
  const current = await rpc<SignalsCurrent>(host, 'signals.current', { source: 'demo', symbol })
  expect(current.timeframes.map((f) => f.timeframe)).toEqual(SIX)
  expect(shown['1d']).toBe(current.timeframes.find((f) => f.timeframe === '1d')!.signal!.score)

  // The chart's timeframe is the one detailed: direction, confidence and reasons.
  const tf = (await page.getByTestId('chart-header').getAttribute('data-timeframe'))!
  await expect(page.locator(`[data-testid="signal-cell"][data-timeframe="${tf}"]`)).toHaveAttribute(
    'aria-pressed',
    'true',
  )
  await expect(page.getByTestId('signal-detail')).toHaveAttribute('data-timeframe', tf)
  await expect(page.getByTestId('signal-direction')).toHaveText(/^(BUY|SELL|NEUTRAL)$/)
  await expect(page.getByTestId('signal-confidence')).toHaveText(/^\d{1,3}%$/)
  const reasons = page.getByTestId('signal-reason')
  expect(await reasons.count()).toBeGreaterThan(0)
  for (const text of await reasons.allTextContents()) expect(text.startsWith(`${tf} `)).toBe(true)

  const shot = await page.screenshot()
  await testInfo.attach('signal-panel', { body: shot, contentType: 'image/png' })
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/signal-panel.png` })
  }

  // Clicking a timeframe in the heat strip switches the chart to it.
  await painted(page)
  await scores(page)
  const header = page.getByTestId('chart-header')
  await expect(header).toHaveAttribute('data-symbol', symbol)
  for (const tf of ['4h', '1m', '1d']) {
    await page.locator(`[data-testid="signal-cell"][data-timeframe="${tf}"]`).click()
    await expect(header).toHaveAttribute('data-timeframe', tf)
    await expect(page.getByTestId('chart-timeframe')).toHaveText(tf)
    const p = await painted(page, { symbol, timeframe: tf })
    expect(p.bars).toBeGreaterThan(100)
    await expect(page.locator(`[data-testid="signal-cell"][data-timeframe="${tf}"]`)).toHaveAttribute(
      'aria-pressed',
      'true',
    )
    await expect(page.locator('[data-testid="signal-cell"][aria-pressed="true"]')).toHaveCount(1)
    await expect(page.getByTestId('signal-detail')).toHaveAttribute('data-timeframe', tf)
    await expect(page.getByTestId('signal-reason').first()).toHaveText(new RegExp(`^${tf} `))
  }
  // And the other way round: the chart's own timeframe buttons move the panel's selection.
  await page.getByTestId('tf-15m').click()
  await expect(page.locator('[data-testid="signal-cell"][data-timeframe="15m"]')).toHaveAttribute(
    'aria-pressed',
    'true',
  )

  // Another symbol: the panel follows it.
  await page.locator('[data-testid="symbol-row"][data-symbol="ETH/USDT"]').click()
  await expect(header).toHaveAttribute('data-symbol', 'ETH/USDT')
  await scores(page)
})
