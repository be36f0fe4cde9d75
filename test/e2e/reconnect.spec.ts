import type { Page } from '@playwright/test'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { expect, openConnected, test, watchErrors } from './fixtures'
import { restartHost, startHost, tempDataDir, type RunningHost } from './host'
import type { ChartProbe, HookGlobal } from '../../src/shared/testing/ui-hook'

/*
 * The browser's link to the headless host comes back by itself: these tests stop the host
 * under an open page and start it again on the same port and data folder, with no reload.
 * They run their own host (the shared fixture's cannot be restarted).
 */

const probe = (page: Page) => page.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.chart())
const painted = (page: Page, match: { symbol?: string; timeframe?: string } = {}) =>
  page.evaluate((m) => (globalThis as unknown as HookGlobal).__candlework.whenChartPainted(m), match)

async function openApp(page: Page, host: RunningHost): Promise<void> {
  await openConnected(page, host)
  await page.locator('[data-testid="symbol-row"][data-symbol="BTC/USDT"]').click()
  await page.getByTestId('tf-1m').click()
  await painted(page, { symbol: 'BTC/USDT', timeframe: '1m' })
}

/** Resolves once the live candle or the BTC ticker has changed since now. */
async function liveMoves(page: Page): Promise<void> {
  const ticker = page.locator(
    '[data-testid="symbol-row"][data-symbol="BTC/USDT"] [data-testid="symbol-last"]',
  )
  const start = (await probe(page))!
  const firstTicker = await ticker.textContent()
  await expect
    .poll(
      async () => {
        const now = await probe(page)
        const barMoved =
          now !== null &&
          now.liveUpdates > 0 &&
          (now.lastClose !== start.lastClose || now.lastTime !== start.lastTime)
        return barMoved || (await ticker.textContent()) !== firstTicker
      },
      { timeout: 10_000 },
    )
    .toBe(true)
}

test('the app reconnects by itself after the host restarts, and live data moves again', async ({
  page,
}, testInfo) => {
  const dir = tempDataDir()
  let host = await startHost(dir.path)
  try {
    const errors = watchErrors(page)
    await openApp(page, host)
    await liveMoves(page)
    // Marks this page: a reload would lose it.
    await page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true))
    // The trader zooms in and scrolls back into history: the reload must not undo that.
    const view = await scrollBack(page)
    const paintsBefore = (await probe(page))!.paints

    await host.stop()
    const indicator = page.getByTestId('connection')
    await expect(indicator).toHaveAttribute('data-state', 'reconnecting')
    await expect(indicator).toContainText(/Reconnecting in \d+ s…/)
    await expect(page.getByTestId('reconnect-now')).toBeVisible()
    await expect(
      page.locator('.notice', { hasText: 'Connection to the Candlework engine lost' }),
    ).toBeVisible()
    await expect(page.getByTestId('statusbar')).toContainText('Engine: reconnecting')

    const shot = await page.screenshot()
    await testInfo.attach('reconnecting', { body: shot, contentType: 'image/png' })
    if (process.env.CANDLEWORK_SCREENSHOTS) {
      await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/reconnecting.png` })
    }

    host = await startHost(dir.path, { port: Number(new URL(host.url).port) })
    // Back without a reload (backoff is at most 15 s; usually a second or two here).
    await expect(indicator).toHaveAttribute('data-state', 'open', { timeout: 20_000 })
    await expect(indicator).toHaveText('Connected')
    await expect(page.locator('.notice', { hasText: 'Connection restored' })).toBeVisible()
    await expect(
      page.locator('.notice', { hasText: 'Connection to the Candlework engine lost' }),
    ).toHaveCount(0)
    expect(
      await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true)

    // The chart fetched its history again and the streams came back: the last bar moves.
    await expect
      .poll(async () => (await probe(page))?.paints ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(paintsBefore)
    await liveMoves(page)
    const after = (await probe(page))!.view!
    expect(after.firstTime).toBe(view.firstTime)
    expect(after.to - after.from).toBeCloseTo(view.to - view.from, 6)
    expect(errors).toEqual([])
  } finally {
    await host.stop()
    dir.remove()
  }
})

/** Zooms in with the wheel and drags the chart right (back in time); returns the view then. */
async function scrollBack(page: Page): Promise<NonNullable<ChartProbe['view']>> {
  const initial = (await probe(page))!.view!
  const box = (await page.getByTestId('chart').boundingBox())!
  const x = box.x + box.width / 2
  const y = box.y + box.height / 3
  await page.mouse.move(x, y)
  for (let i = 0; i < 3; i++) await page.mouse.wheel(0, -200)
  await page.mouse.down()
  await page.mouse.move(x + 250, y, { steps: 10 })
  await page.mouse.up()
  let view = initial
  await expect
    .poll(async () => {
      view = (await probe(page))!.view!
      return view.to < initial.to - 5 && view.to - view.from < initial.to - initial.from
    })
    .toBe(true)
  return view
}

test('a host that stops answering without closing (frozen) is noticed by its silence, and the app comes back', async ({
  page,
}) => {
  const dir = tempDataDir()
  // Heartbeats every 0.5 s: the page takes the link for dead after 1.5 s of silence.
  const host = await startHost(dir.path, { heartbeatMs: 500 })
  try {
    const errors = watchErrors(page)
    await openApp(page, host)
    await liveMoves(page)
    await page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true))

    // SIGSTOP: the socket stays open and nothing closes it; only the silence tells.
    host.freeze()
    const indicator = page.getByTestId('connection')
    await expect(indicator).toHaveAttribute('data-state', 'reconnecting', { timeout: 5_000 })
    await expect(page.getByTestId('statusbar')).toContainText('Engine: reconnecting')
    // While it stays frozen, attempts hang at the handshake and are given up, not waited on forever.
    await page.waitForTimeout(2_000)
    await expect(indicator).toHaveAttribute('data-state', 'reconnecting')

    host.thaw()
    // The hanging attempt is answered, or the next one (an attempt gives up after 10 s).
    await expect(indicator).toHaveAttribute('data-state', 'open', { timeout: 30_000 })
    expect(
      await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument),
    ).toBe(true)
    await liveMoves(page)
    expect(errors).toEqual([])
  } finally {
    host.thaw()
    await host.stop()
    dir.remove()
  }
})

test('"Reconnect now" skips the wait', async ({ page }) => {
  const dir = tempDataDir()
  let host = await startHost(dir.path)
  try {
    watchErrors(page)
    await openApp(page, host)
    await host.stop()
    const indicator = page.getByTestId('connection')
    // Let a few attempts fail so the wait grows past what the test waits below.
    await expect(indicator).toContainText(/Reconnecting in ([4-9]|1\d) s…/, { timeout: 20_000 })
    host = await startHost(dir.path, { port: Number(new URL(host.url).port) })
    await page.getByTestId('reconnect-now').click()
    await expect(indicator).toHaveAttribute('data-state', 'open', { timeout: 3_000 })
    await liveMoves(page)
  } finally {
    await host.stop()
    dir.remove()
  }
})

test('a host restarted with a new token is reported plainly and not retried', async ({ page }) => {
  const dir = tempDataDir()
  let host = await startHost(dir.path)
  try {
    watchErrors(page)
    await openApp(page, host)
    const oldToken = host.token
    await host.stop()
    await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'reconnecting')
    // A new token: the file it is kept in is gone, so the host makes another.
    rmSync(join(dir.path, 'headless-token'))
    host = await startHost(dir.path, { port: Number(new URL(host.url).port) })
    expect(host.token).not.toBe(oldToken)

    const indicator = page.getByTestId('connection')
    await expect(indicator).toHaveAttribute('data-state', 'closed', { timeout: 20_000 })
    await expect(indicator).toContainText('new access token')
    await expect(page.getByTestId('reconnect-now')).toHaveCount(0)
    const notice = page.locator('.notice', { hasText: 'Disconnected from the Candlework engine' })
    await expect(notice).toContainText(
      'The engine was restarted with a new access token. Open the new URL it printed',
    )

    if (process.env.CANDLEWORK_SCREENSHOTS) {
      await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/new-token.png` })
    }

    // No more attempts: no socket is opened in the next few seconds, even when asked to.
    let sockets = 0
    page.on('websocket', () => sockets++)
    await page.evaluate("dispatchEvent(new Event('online'))")
    await page.waitForTimeout(4_000)
    expect(sockets).toBe(0)
    await expect(indicator).toHaveAttribute('data-state', 'closed')
  } finally {
    await host.stop()
    dir.remove()
  }
})

test('restartHost keeps the port, the data folder and the token', async () => {
  const dir = tempDataDir()
  let host = await startHost(dir.path)
  try {
    const before = { url: host.url, token: host.token }
    host = await restartHost(host)
    expect({ url: host.url, token: host.token }).toEqual(before)
    expect(host.dataDir).toBe(dir.path)
  } finally {
    await host.stop()
    dir.remove()
  }
})
