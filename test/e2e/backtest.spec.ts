import type { Page, TestInfo } from '@playwright/test'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BacktestSummary } from '../../src/shared/contract/backtest'
import type { StrategyRun } from '../../src/shared/contract/runner'
import { expect, rpc, test } from './fixtures'

/*
 * The Backtest view as a trader walks it: sma-cross on the demo market from the form, its
 * progress and results (metric cards, equity, trades, a trade's chart with its markers), the runs
 * list (rename, compare two), and a run cancelled part way.
 */

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const [width, height] of [
    [1400, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width, height })
    await page.waitForTimeout(150) // the charts redraw on the next frame after a resize
    const body = await page.screenshot()
    await testInfo.attach(`${name}-${width}x${height}`, { body, contentType: 'image/png' })
    if (process.env.CANDLEWORK_SCREENSHOTS)
      await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/${name}-${width}x${height}.png` })
  }
  await page.setViewportSize({ width: 1400, height: 900 })
}

async function openView(page: Page): Promise<void> {
  await page.getByTestId('nav-backtest').click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Backtest')
  // The form is generated from the strategy's schema: sma-cross's fast and slow at their defaults.
  await expect(page.getByTestId('backtest-strategy')).toHaveValue('sma-cross')
  await expect(page.getByTestId('backtest-param-fast')).not.toHaveValue('')
}

test('sma-cross on the demo market: progress, metric cards, trades with their chart, rename and compare', async ({
  app: page,
  host,
}, testInfo) => {
  await page.setViewportSize({ width: 1400, height: 900 })
  await openView(page)
  await page.getByTestId('backtest-param-fast').fill('10')
  await page.getByTestId('backtest-param-slow').fill('30')
  await page.getByTestId('backtest-run').click()
  const progress = page.getByTestId('backtest-progress')
  await expect(progress).toBeVisible()
  await expect(progress).toHaveAttribute('data-status', 'done')
  await expect(progress).toContainText(/Done · [\d,]+ bars/)

  const results = page.getByTestId('backtest-results')
  await expect(results).toBeVisible()
  const [run] = await rpc<BacktestSummary[]>(host, 'backtest.list', {})
  expect(run).toMatchObject({ strategy: 'sma-cross', params: { fast: 10, slow: 30 }, status: 'done' })
  await expect(page.getByTestId('metric-trades')).toContainText(String(run!.trades))
  await expect(page.getByTestId('metric-totalReturn')).toContainText(/%$/)
  await expect(page.getByTestId('metric-sharpe').locator('p')).not.toHaveText('—')
  await expect(page.getByTestId('backtest-equity')).toBeVisible()
  await expect(page.getByTestId('backtest-trade')).toHaveCount(run!.trades!)

  // A trade opens the price chart around it with its entry and exit markers.
  await page.getByTestId('backtest-trade').nth(1).click()
  await expect(page.getByTestId('backtest-trade-chart')).toHaveAttribute('data-markers', '2')
  await shoot(page, testInfo, 'backtest-results')

  // Rename it in the list, then a second run with other parameters, and compare the two.
  const row = page.getByTestId('backtest-run-row').first()
  await row.getByRole('button', { name: /^Rename/ }).click()
  await page.getByTestId('backtest-rename-input').fill('fast 10 slow 30')
  await page.getByTestId('backtest-rename-input').press('Enter')
  await expect(row).toContainText('fast 10 slow 30')
  await page.getByTestId('backtest-param-slow').fill('60')
  await page.getByTestId('backtest-run').click()
  await expect(page.getByTestId('backtest-run-row')).toHaveCount(2)
  await expect(progress).toHaveAttribute('data-status', 'done')
  for (const r of await page.getByTestId('backtest-run-row').all()) await r.getByRole('checkbox').check()
  await page.getByTestId('backtest-compare').click()
  const compare = page.getByTestId('backtest-compare-view')
  await expect(compare).toContainText('fast 10 slow 30')
  // A header and one row per statistic (the chart below draws in a table of its own).
  await expect(compare.locator('table.bt-compare tr')).toHaveCount(17)
  await shoot(page, testInfo, 'backtest-compare')
})

test('two parameters optimised walk-forward: progress, the heatmap and a sortable table', async ({
  app: page,
}, testInfo) => {
  await page.setViewportSize({ width: 1400, height: 900 })
  await openView(page)
  // A small grid so it is quick: fast 5, 10 x slow 20, 30, two folds.
  for (const [name, from, to, step] of [
    ['fast', '5', '10', '5'],
    ['slow', '20', '30', '10'],
  ] as const) {
    await page.getByTestId(`optimize-${name}-from`).fill(from)
    await page.getByTestId(`optimize-${name}-to`).fill(to)
    await page.getByTestId(`optimize-${name}-step`).fill(step)
  }
  await page.getByTestId('optimize-folds').fill('2')
  await page.getByTestId('optimize-run').click()
  await expect(page.getByTestId('optimize-progress')).toBeVisible()
  await expect(page.getByTestId('optimize-progress')).toHaveAttribute('data-status', 'done')
  await expect(page.getByTestId('optimize-progress')).toContainText('Done · 10 backtests')
  await expect(page.getByTestId('optimize-heatmap').getByTestId('optimize-cell')).toHaveCount(4)
  await expect(page.getByTestId('optimize-walk-forward')).toContainText('OOS / IS')
  await expect(page.getByTestId('optimize-row')).toHaveCount(4)
  // Sorting by fast, ascending on the second click.
  await page.getByRole('button', { name: /^fast/ }).click()
  await page.getByRole('button', { name: /^fast/ }).click()
  await expect(page.getByTestId('optimize-row').first().locator('td').first()).toHaveText('5')
  await shoot(page, testInfo, 'backtest-optimize')
  // Model-based: TPE tries 3 of the 4 sets over the whole range.
  await page.getByTestId('optimize-method').selectOption('tpe')
  await page.getByTestId('optimize-trials').fill('3')
  await page.getByTestId('optimize-folds').fill('0')
  await page.getByTestId('optimize-run').click()
  // The pool may still be busy with the engine's own start-up work on a slow machine (once on CI
  // nothing had reported within 10 s; it takes ~1 s here).
  await expect(page.getByTestId('optimize-progress')).toContainText('Done · 3 backtests', {
    timeout: 30_000,
  })
  await expect(page.getByTestId('optimize-row')).toHaveCount(3)
})

test('a run is cancelled part way and listed as cancelled', async ({ app: page, host }) => {
  // A strategy file in the data folder that takes a millisecond a bar: 200,000 1m bars would take
  // minutes, so Cancel always lands part way (a built-in strategy finishes them in half a second).
  mkdirSync(join(host.dataDir, 'strategies'), { recursive: true })
  writeFileSync(
    join(host.dataDir, 'strategies', 'slow.js'),
    'module.exports = { id: "slow", title: "Slow", create: () => ({ indicators: [], exits: {}, ' +
      'decide() { const end = Date.now() + 1; while (Date.now() < end) {} return [] } }) }\n',
  )
  await page.setViewportSize({ width: 1400, height: 900 })
  await page.getByTestId('nav-backtest').click()
  await page.getByTestId('backtest-strategy').selectOption('slow')
  await page.getByTestId('backtest-timeframe').selectOption('1m')
  await page.getByTestId('backtest-run').click()
  await page.getByTestId('backtest-cancel').click()
  await expect(page.getByTestId('backtest-progress')).toHaveAttribute('data-status', 'cancelled')
  await expect(page.getByTestId('backtest-run-row').first()).toHaveAttribute('data-status', 'cancelled')
  const [run] = await rpc<BacktestSummary[]>(host, 'backtest.list', {})
  expect(run!.status).toBe('cancelled')
})

test('sma-cross run on the demo paper account from the form: listed as running, then stopped', async ({
  app: page,
  host,
}, testInfo) => {
  await page.setViewportSize({ width: 1400, height: 900 })
  await openView(page)
  await page.getByTestId('backtest-param-fast').fill('2')
  await page.getByTestId('backtest-param-slow').fill('3')
  await page.getByTestId('backtest-timeframe').selectOption('1m')
  await page.getByTestId('runner-open').click()
  // The accounts a run can trade on are offered; Demo paper is chosen, and no live arming asked.
  await expect(page.getByTestId('runner-account').locator('option')).toContainText(['Demo paper'])
  await expect(page.getByTestId('runner-account')).toHaveValue('demo-paper')
  await expect(page.getByTestId('runner-live-confirm')).toHaveCount(0)
  await page.getByTestId('runner-allocation').fill('500')
  await expect(page.getByTestId('runner-start')).toHaveText('Start on Demo paper')
  await page.getByTestId('runner-start').click()
  await expect(page.getByTestId('runner-list').locator('li[data-state="running"]')).toHaveCount(1)

  const [run] = await rpc<StrategyRun[]>(host, 'runner.list', {})
  expect(run).toMatchObject({
    strategyId: 'sma-cross',
    params: { fast: 2, slow: 3 },
    accountId: 'demo-paper',
    symbol: 'BTC/USDT',
    timeframe: '1m',
    allocation: '500',
    state: 'running',
  })
  const row = page.getByTestId(`runner-run-${run!.id}`)
  await expect(row.getByTestId('runner-state')).toHaveText('running')
  await expect(row).toContainText('BTC/USDT 1m · demo-paper · 500')
  // Its drift report: the bars since it started replayed through the backtester beside it.
  await row.getByTestId('runner-drift').click()
  await expect(row.getByTestId('runner-drift-report')).toContainText(
    /\d+ bars replayed · \d+ decisions, 0 differ/,
  )
  await shoot(page, testInfo, 'runner-running')
  // Exported as CSV: the browser downloads it from the host.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByTestId('runner-drift-export').click(),
  ])
  expect(download.suggestedFilename()).toMatch(/^candlework-drift-.+\.csv$/)
  const csv = readFileSync((await download.path())!, 'utf8').split('\r\n')
  expect(csv[0]).toMatch(/^record,bar_time,backtest,live,status,why,/)
  expect(csv[1]).toMatch(/^summary,/)

  // Put under the scheduler's Stop strategies task (its times are set on Health): pause and close.
  await row.getByTestId('runner-schedule-stop').selectOption('pause_and_close')
  await expect
    .poll(async () => (await rpc<StrategyRun[]>(host, 'runner.list', {}))[0]!.schedule.stop)
    .toBe('pause_and_close')
  await expect(row.getByTestId('runner-schedule-stop')).toHaveValue('pause_and_close')

  await row.getByTestId('runner-pause').click()
  await expect(row.getByTestId('runner-state')).toHaveText('paused')
  await expect(row.getByTestId('runner-reason')).toHaveText('paused by the trader')
  await row.getByTestId('runner-stop').click()
  await row.getByTestId('runner-stop-close').click()
  await expect(row.getByTestId('runner-state')).toHaveText('stopped')
  await expect(row.getByTestId('runner-pause')).toHaveCount(0)
})
