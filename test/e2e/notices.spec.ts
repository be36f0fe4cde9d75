import type { Locator, Page } from '@playwright/test'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect, openConnected, test, watchErrors } from './fixtures'
import { startHost, tempDataDir, type RunningHost } from './host'

/*
 * Notices: toasts never cover the blotter's row buttons or the ticket's submit, an error stays
 * while its condition lasts, and the connection's notices replace one another ("lost" goes when
 * "restored" shows) and are kept in the session's list behind the status bar's bell. These tests
 * run their own host, which they stop and start again on the same port and data folder.
 */

const SIZES = [
  { width: 1400, height: 900 },
  { width: 1024, height: 700 },
] as const

async function openApp(page: Page, host: RunningHost): Promise<void> {
  await openConnected(page, host)
  await page.locator('[data-testid="symbol-row"][data-source="demo"][data-symbol="BTC/USDT"]').click()
}

async function typeSize(page: Page, size: string): Promise<void> {
  await page.getByTestId('ticket-size').fill(size)
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
}

interface Box {
  x: number
  y: number
  width: number
  height: number
}

const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/**
 * The boxes of what shows now, read in one go: a toast that times out between listing the
 * toasts and measuring one (an info notice, on a slow machine) must not leave a stale handle.
 */
async function boxes(locator: Locator): Promise<Box[]> {
  // Runs in the page: this file's types have no DOM, so the element is typed by what is used.
  type Measured = { getBoundingClientRect(): Box }
  return locator.evaluateAll((els) =>
    els
      .map((e) => (e as unknown as Measured).getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0)
      .map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })),
  )
}

/** Every toast (and "+N more") showing against every given control: none may overlap. */
async function expectNoOverlap(page: Page, buttons: Box[], what: string): Promise<void> {
  const toasts = await boxes(page.locator('.notice, [data-testid="notices-more"]'))
  expect(toasts.length, 'toasts showing').toBeGreaterThan(0)
  expect(buttons.length, `${what} found`).toBeGreaterThan(0)
  for (const t of toasts) {
    for (const b of buttons) {
      expect(overlaps(t, b), `a toast ${JSON.stringify(t)} covers ${what} ${JSON.stringify(b)}`).toBe(false)
    }
  }
}

test('an error toast stays and covers none of the blotter’s or the ticket’s buttons, at 1400×900 and 1024×700', async ({
  page,
}) => {
  test.setTimeout(120_000)
  const dir = tempDataDir()
  let host = await startHost(dir.path)
  try {
    const errors = watchErrors(page)
    // The page's clock runs as usual, and can be moved on below instead of waiting it out.
    await page.clock.install()
    await openApp(page, host)
    await expect(page.getByTestId('ticket-symbol')).toHaveText('BTC/USDT')

    // A resting limit buy (a Cancel button in Open orders) and a bought position (Close…).
    await page.getByTestId('ticket-type-limit').click()
    await expect(page.getByTestId('ticket-price')).not.toHaveValue('')
    await page.getByTestId('ticket-price').fill('20000')
    await typeSize(page, '0.001')
    await page.getByTestId('ticket-submit').click()
    await expect(page.getByTestId('ticket-outcome')).toContainText('Open')
    await page.getByTestId('ticket-type-market').click()
    await typeSize(page, '0.001')
    await page.getByTestId('ticket-submit').click()
    await expect(page.getByTestId('ticket-outcome')).toContainText('Filled')

    // The Close… buttons, measured at each size while the positions can still be loaded (the
    // tab fetches them when shown); the layout does not depend on the toasts.
    const panel = page.getByTestId('trading-panel')
    const closeButtons: Box[][] = []
    for (const [i, size] of SIZES.entries()) {
      await page.setViewportSize(size)
      // Below 1440 px the ticket folds to a rail; opened once, it stays open.
      await expect(panel).toHaveAttribute('data-folded', i === 0 ? 'true' : 'false')
      if (i === 0) await page.getByTestId('ticket-open').click()
      await expect(page.getByTestId('ticket-submit')).toBeVisible()
      await page.getByTestId('blotter-tab-positions').click()
      await expect(page.locator('[data-testid="position-row"][data-symbol="BTC/USDT"]')).toHaveCount(1)
      closeButtons.push(await boxes(page.locator('[data-testid="position-row"] button')))
    }
    await page.getByTestId('blotter-tab-open').click()
    await page.setViewportSize({ width: 1440, height: 900 })

    // An error that stays: the host comes back with a new token, so the page cannot reconnect.
    await host.stop()
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'reconnecting')
    rmSync(join(dir.path, 'headless-token'))
    host = await startHost(dir.path, { port: Number(new URL(host.url).port) })
    const error = page.locator('.notice', { hasText: 'Disconnected from the Candlework engine' })
    await expect(error).toBeVisible({ timeout: 20_000 })
    await expect(error).toHaveAttribute('data-level', 'error')
    // It replaced the "lost" warning of the same condition.
    await expect(
      page.locator('.notice', { hasText: 'Connection to the Candlework engine lost' }),
    ).toHaveCount(0)

    for (const [i, size] of SIZES.entries()) {
      await page.setViewportSize(size)
      await expect(panel).toHaveAttribute('data-folded', 'false')
      await expect(page.getByTestId('ticket-submit')).toBeVisible()
      await expect(error).toBeVisible()
      await expect(page.locator('[data-testid="open-order-row"]')).toHaveCount(1)
      const cancel = await boxes(page.locator('[data-testid="open-order-row"] button'))
      await expectNoOverlap(page, cancel, 'a Cancel button')
      await expectNoOverlap(page, await boxes(page.getByTestId('ticket-submit')), 'the ticket’s submit')
      await expectNoOverlap(page, closeButtons[i]!, 'a Close… button')
      await page.screenshot({ path: `/tmp/notices-${size.width}x${size.height}.png` })
    }

    // Still there past a warning's 12 s (on the page's clock, every timer due meanwhile run): an
    // error goes only when dismissed or resolved.
    await page.clock.fastForward(13_000)
    await expect(error).toBeVisible()
    await error.getByRole('button', { name: 'Dismiss' }).click()
    await expect(error).toHaveCount(0)
    // …and it is kept in the list.
    await page.getByTestId('notices-bell').click()
    await expect(
      page.getByTestId('notices-entry').filter({ hasText: 'Disconnected from the Candlework engine' }),
    ).toHaveAttribute('data-state', 'dismissed')
    expect(errors).toEqual([])
  } finally {
    await host.stop()
    dir.remove()
  }
})

test('after a host restart, "lost" is gone once "restored" shows, and both are in the notices list', async ({
  page,
}) => {
  const dir = tempDataDir()
  let host = await startHost(dir.path)
  try {
    const errors = watchErrors(page)
    await page.setViewportSize(SIZES[0])
    await openApp(page, host)
    const lost = page.locator('.notice', { hasText: 'Connection to the Candlework engine lost' })
    const restored = page.locator('.notice', { hasText: 'Connection restored' })

    await host.stop()
    await expect(lost).toBeVisible()
    await expect(lost).toHaveAttribute('data-level', 'warning')
    host = await startHost(dir.path, { port: Number(new URL(host.url).port) })
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open', { timeout: 20_000 })
    await expect(restored).toBeVisible()
    await expect(lost).toHaveCount(0)
    await page.screenshot({ path: '/tmp/notices-1400x900-restored.png' })

    // The bell counts them; its list has both, "lost" marked as resolved.
    const bell = page.getByTestId('notices-bell')
    await expect(bell.getByTestId('notices-bell-count')).not.toHaveText('0')
    await bell.click()
    const list = page.getByTestId('notices-list')
    await expect(list).toBeVisible()
    const entry = (text: string) => list.getByTestId('notices-entry').filter({ hasText: text })
    await expect(entry('Connection to the Candlework engine lost')).toHaveAttribute('data-state', 'replaced')
    await expect(entry('Connection to the Candlework engine lost')).toContainText('resolved')
    await expect(entry('Connection to the Candlework engine lost')).toHaveAttribute('data-level', 'warning')
    await expect(entry('Connection restored')).toHaveAttribute('data-level', 'info')
    await expect(entry('Connection restored')).toContainText(/\d\d:\d\d:\d\d UTC/)
    await page.screenshot({ path: '/tmp/notices-1400x900-list.png' })

    // "Restored" is information: its toast goes by itself, and stays in the list.
    await expect(restored).toHaveCount(0, { timeout: 10_000 })
    await expect(entry('Connection restored')).toHaveAttribute('data-state', 'timed-out')
    await expect(bell.getByTestId('notices-bell-count')).toHaveText('0')

    await list.getByTestId('notices-clear').click()
    await expect(list.getByTestId('notices-entry')).toHaveCount(0)
    await page.keyboard.press('Escape')
    await expect(list).toHaveCount(0)
    expect(errors).toEqual([])
  } finally {
    await host.stop()
    dir.remove()
  }
})
