import type { Page } from '@playwright/test'
import { expect, openDemoBtc, test, typeSize } from './fixtures'

/*
 * Issue 14: a demo paper trade (buy, then sell what is held) is one round trip in the Journal;
 * its note and tag survive a reload; the analytics show its net P&L; exported from the view (a
 * download) and imported again into a new imported account, it is there with its note and tag.
 */

/** Screenshots at both sizes, only when asked for (CANDLEWORK_SCREENSHOTS=dir): CI time is short. */
async function shoot(page: Page, name: string, attach: (n: string, b: Buffer) => Promise<void>) {
  if (!process.env.CANDLEWORK_SCREENSHOTS) return
  for (const [w, h] of [
    [1400, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    await attach(
      `${name}-${w}x${h}`,
      await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/${name}-${w}x${h}.png` }),
    )
  }
}

test('a paper buy and sell is one journal trade whose note and tag survive a reload, and whose P&L the analytics show', async ({
  app: page,
}, testInfo) => {
  const attach = (n: string, body: Buffer) => testInfo.attach(n, { body, contentType: 'image/png' })
  await openDemoBtc(page)
  await typeSize(page, '0.01')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Filled')
  // The 0.1% fee was paid in BTC: 0.00999 is held, and selling it makes the position flat.
  await page.getByTestId('ticket-sell').click()
  await typeSize(page, '0.00999')
  await page.getByTestId('ticket-submit').click()
  await expect(page.getByTestId('ticket-outcome')).toContainText('Filled')

  await page.getByTestId('nav-journal').click()
  const row = page.getByTestId('journal-row')
  await expect(row).toHaveCount(1)
  await expect(row).toHaveAttribute('data-status', 'closed')
  await expect(row).toHaveAttribute('data-symbol', 'BTC/USDT')
  const net = (await row.getAttribute('data-net'))!
  await expect(page.getByTestId('journal-total')).toHaveAttribute('data-net', net)

  await row.click()
  const detail = page.getByTestId('journal-detail')
  await expect(detail.getByTestId('journal-fills').locator('tbody tr')).toHaveCount(2)
  await expect(detail.getByTestId('journal-chart')).toBeVisible()
  // Notes are markdown, shown rendered; HTML and script in them stay dead text.
  await detail
    .getByTestId('journal-notes')
    .fill(
      '<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> [go](javascript:window.__xss=3)',
    )
  await detail.getByTestId('journal-notes-view').click()
  const rendered = detail.getByTestId('journal-notes-rendered')
  await expect(rendered).toContainText('go')
  await expect(rendered.locator('img, script, a')).toHaveCount(0)
  expect(await page.evaluate(() => (globalThis as { __xss?: number }).__xss)).toBeUndefined()
  await detail.getByTestId('journal-notes-edit').click()
  await detail.getByTestId('journal-notes').fill('Breakout of the morning range; **held** to the target.')
  await detail.getByTestId('journal-notes-save').click()
  await expect(detail.getByTestId('journal-save-state')).toHaveText('Notes saved')
  await detail.getByTestId('journal-tag-input').fill('breakout')
  await detail.getByTestId('journal-tag-input').press('Enter')
  await expect(detail.getByTestId('journal-tag')).toHaveText(/breakout/)
  await detail.getByTestId('journal-rate-4').click()
  await expect(detail.getByTestId('journal-rate-4')).toHaveAttribute('aria-checked', 'true')
  await shoot(page, 'journal-trade', attach)

  await page.reload()
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  if (!(await page.getByTestId('journal-view').isVisible())) await page.getByTestId('nav-journal').click()
  await page.getByTestId('journal-row').click()
  // A trade with notes opens them rendered; Edit shows the text as typed.
  await expect(page.getByTestId('journal-notes-rendered').locator('strong')).toHaveText('held')
  await page.getByTestId('journal-notes-edit').click()
  await expect(page.getByTestId('journal-notes')).toHaveValue(
    'Breakout of the morning range; **held** to the target.',
  )
  await expect(page.getByTestId('journal-tag')).toHaveText(/breakout/)
  await expect(page.getByTestId('journal-row')).toContainText('breakout')
  // The search in notes finds it.
  await page.getByTestId('journal-filter-search').fill('morning range')
  await expect(page.getByTestId('journal-row')).toHaveCount(1)

  await page.getByTestId('journal-tab-analytics').click()
  const analytics = page.getByTestId('journal-analytics')
  await expect(analytics).toHaveAttribute('data-net', net)
  await expect(analytics).toHaveAttribute('data-quote', 'USDT')
  await expect(page.getByTestId('journal-kpi-trades')).toHaveText('1 closed')
  await expect(page.getByTestId('journal-day')).toHaveCount(1)
  await expect(page.getByTestId('journal-equity')).toBeVisible()
  await shoot(page, 'journal-analytics', attach)

  // Export the journal's trades as a download (default columns), then import that file.
  await page.getByTestId('journal-tab-trades').click()
  await page.getByTestId('journal-export').click()
  const exporting = page.getByTestId('journal-export-dialog')
  await expect(exporting.getByTestId('export-columns').locator('input:checked').first()).toBeVisible()
  await shoot(page, 'journal-export', attach)
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    exporting.getByTestId('export-start').click(),
  ])
  expect(download.suggestedFilename()).toMatch(/^candlework-trades-\d{4}-\d\d-\d\d\.csv$/)
  await expect(exporting.getByTestId('export-done')).toContainText('Saved 1 rows')
  const file = testInfo.outputPath('trades.csv')
  await download.saveAs(file)
  await exporting.getByRole('button', { name: 'Close' }).click()

  await page.getByTestId('journal-import').click()
  const importing = page.getByTestId('journal-import-dialog')
  await importing.getByTestId('import-file').setInputFiles(file)
  await importing.getByTestId('import-account').fill('Round trip')
  await importing.getByTestId('import-preview-button').click()
  await expect(importing.getByTestId('import-preview')).toContainText("Candlework's trades export")
  await expect(importing.getByTestId('import-count')).toHaveText('2')
  await shoot(page, 'journal-import-preview', attach)
  await importing.getByTestId('import-confirm').click()
  await expect(importing.getByTestId('import-done')).toContainText('Imported 2 fills into "Round trip"')
  await importing.getByTestId('import-close').click()
  // The search in notes still applies: both trades carry the note, the copy in its own account.
  await expect(page.getByTestId('journal-row')).toHaveCount(2)
  const copy = page.getByTestId('journal-row').filter({ hasText: 'Round trip' })
  await expect(copy).toHaveAttribute('data-net', net)
  await expect(copy).toContainText('breakout')
  await shoot(page, 'journal-imported', attach)
})
