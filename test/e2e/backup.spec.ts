import { expect, openConnected, test } from './fixtures'
import { restartHost, type RunningHost } from './host'

test('Back up now, see it verified, restore it and find the earlier state after the restart', async ({
  page,
  host,
}, testInfo) => {
  // `page`, not `app`: the restart below refuses the page's connections for a moment, which the
  // browser logs as console errors that `app` would count.
  let restarted: RunningHost | undefined
  try {
    await openConnected(page, host)
    // The status bar's badge names the missing backup, and it opens the Health view. (The badge
    // shows the worst item: on a busy machine the engine's responsiveness can be red meanwhile.)
    const badge = page.getByTestId('health-badge')
    await expect(badge).toHaveAttribute('title', /Backups: No verified backup yet/)
    await expect(badge).toHaveAttribute('data-state', /^(warning|critical)$/)
    await badge.click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Health')
    await expect(page.getByTestId('backup-none')).toBeVisible()
    await expect(page.getByTestId('backup-age')).toHaveAttribute('data-state', 'warning')
    const housekeeping = page.locator(
      '[data-testid="task-row"][data-task="alert-housekeeping"] [data-testid="task-enabled"]',
    )
    await expect(housekeeping).toBeChecked()

    await page.getByTestId('backup-now').click()
    const row = page.getByTestId('backup-row')
    await expect(row).toHaveCount(1)
    await expect(row.getByTestId('backup-verified')).toContainText('Verified')
    await expect(page.getByTestId('backup-age')).toHaveAttribute('data-state', 'ok')
    await expect(badge).not.toHaveAttribute('title', /Backups:/)
    await expect(row).toContainText(/candlework-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-v[\d.]+\.cwbak/)

    // A change after the backup: the trader pauses a task.
    // A controlled checkbox: it changes when the engine answers, so click and wait.
    await housekeeping.click()
    await expect(housekeeping).not.toBeChecked()

    await row.getByTestId('backup-restore').click()
    const review = page.getByTestId('restore-review')
    await expect(review.getByTestId('restore-summary')).toContainText('Holds candlework.db, settings.json')
    await expect(review).toContainText(
      'Trading history now: no orders or fills. In the backup: no orders or fills.',
    )
    for (const [w, h] of [
      [1400, 900],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width: w, height: h })
      await testInfo.attach(`backup-review-${w}x${h}`, {
        body: await page.screenshot(),
        contentType: 'image/png',
      })
      const dir = process.env.CANDLEWORK_SCREENSHOTS
      if (dir) await page.screenshot({ path: `${dir}/backup-review-${w}x${h}.png` })
    }
    await review.getByTestId('restore-confirm').click()
    await expect(page.getByTestId('backup-pending')).toContainText('Restart Candlework to switch to it')
    // The data it replaces was backed up first.
    await expect(page.locator('[data-testid="backup-row"]', { hasText: 'before a restore' })).toHaveCount(1)
    // Nothing switched under the running engine.
    await expect(housekeeping).not.toBeChecked()

    restarted = await restartHost(host as RunningHost)
    // The page reconnects to the restarted host: the task is as it was when the backup was taken.
    await expect(page.getByTestId('backup-pending')).toHaveCount(0)
    await expect(housekeeping).toBeChecked()
    await expect(page.getByTestId('backup-row')).toHaveCount(2)
    await testInfo.attach('backup-restored', { body: await page.screenshot(), contentType: 'image/png' })
  } finally {
    await restarted?.stop()
  }
})
