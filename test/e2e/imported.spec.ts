import type { Gap } from '../../src/shared/domain/candles'
import { expect, rpc, test } from './fixtures'
import type { HookGlobal } from '../../src/shared/testing/ui-hook'
import { sharedPath } from '../support/shared'

const SAMPLE = sharedPath('data/backtrader/2006-day-001.txt')
test.use({ imports: [{ file: SAMPLE, symbol: 'IDX', timeframe: '1d' }] })

test('an imported history appears beside the demo market, grouped by its source', async ({
  app: page,
  host,
}) => {
  const row = page.locator('[data-testid="symbol-row"][data-symbol="IDX"]')
  await expect(row).toBeVisible()
  const source = await row.getAttribute('data-source')
  expect(source).not.toBe('demo')
  // Its own group, with its own label (not the demo badge).
  const group = page.locator(`[data-testid="symbol-group"][data-source="${source}"]`)
  await expect(group.getByTestId('source-badge')).not.toHaveText('Demo (simulated)')
  await expect(page.locator('[data-testid="symbol-group"][data-source="demo"]')).toBeVisible()

  await row.click()
  const header = page.getByTestId('chart-header')
  await expect(header).toHaveAttribute('data-symbol', 'IDX')
  await expect(header).toHaveAttribute('data-timeframe', '1d')
  await expect(header.getByTestId('source-badge')).not.toHaveText('Demo (simulated)')
  // Only the timeframes the symbol offers: a daily history has no intraday buttons.
  await expect(page.getByTestId('tf-1m')).toHaveCount(0)
  await expect(page.getByTestId('tf-1d')).toBeVisible()

  const p = await page.evaluate(() =>
    (globalThis as unknown as HookGlobal).__candlework.whenChartPainted({ symbol: 'IDX', timeframe: '1d' }),
  )
  expect(p.bars).toBeGreaterThan(100)
  expect(p.source).toBe(source)

  // The gap notice agrees with what the engine reports for the same request, and is absent
  // when there are none.
  const answer = await rpc<{ gaps: Gap[] }>(host, 'market.candles', {
    source,
    symbol: 'IDX',
    timeframe: '1d',
    limit: 2000,
  })
  const notice = page.getByTestId('gap-notice')
  if (answer.gaps.length === 0) await expect(notice).toHaveCount(0)
  else
    await expect(notice).toContainText(
      `${answer.gaps.length} ${answer.gaps.length === 1 ? 'gap' : 'gaps'} in this range`,
    )
})
