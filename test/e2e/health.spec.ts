import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, openConnected, ROOT, rpc, testWithSimulator } from './fixtures'
import type { Connection } from '../../src/shared/contract/exchange'

/** The app's schema version: one numbered migration file per version (storage/migrations). */
const SCHEMA_VERSION = readdirSync(join(ROOT, 'src/main/storage/migrations')).filter((f) =>
  /^\d{4}-.*\.ts$/.test(f),
).length
const { version: VERSION } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string
}

const test = testWithSimulator

async function shoot(page: Page, name: string, attach: (n: string, b: Buffer) => Promise<void>) {
  for (const [w, h] of [
    [1400, 900],
    [1024, 700],
  ] as const) {
    await page.setViewportSize({ width: w, height: h })
    const shot = await page.screenshot()
    await attach(`${name}-${w}x${h}`, shot)
    if (process.env.CANDLEWORK_SCREENSHOTS) {
      await page.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/${name}-${w}x${h}.png` })
    }
  }
}

test('Health shows the engine, its database and an exchange connection with the hub’s figures, refreshed while open', async ({
  app: page,
  host,
  sim,
}, testInfo) => {
  const attach = (n: string, b: Buffer) => testInfo.attach(n, { body: b, contentType: 'image/png' })
  // A connection to the local simulator, used once so that the hub has figures for it.
  await rpc<Connection>(host, 'exchange.configure', { exchange: 'binance', apiUrl: sim.url })
  await rpc(host, 'exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' })
  await rpc(host, 'exchange.clockSkew', { exchange: 'binance' })

  // Every summary request the page sends, to see the refresh start and stop with the view.
  const asked: number[] = []
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => {
      if (typeof f.payload === 'string' && f.payload.includes('"health.summary"')) asked.push(Date.now())
    }),
  )
  await openConnected(page, host)

  await page.getByTestId('nav-health').click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Health')

  await expect(page.getByTestId('health-version')).toHaveText(VERSION)
  await expect(page.getByTestId('health-engine-line')).toHaveText(
    new RegExp(`^Up \\d+ (s|min) · v${VERSION}$`),
  )
  await expect(page.getByTestId('health-schema')).toHaveText(String(SCHEMA_VERSION))
  await expect(page.getByTestId('health-database-line')).toHaveText(
    new RegExp(`^Schema ${SCHEMA_VERSION} · [\\d.]+ (B|KB|MB) \\(WAL [\\d.]+ (B|KB|MB)\\)$`),
  )
  await expect(page.getByTestId('health-db-check')).toContainText('OK · checked when opened')

  const row = page.locator('[data-testid="health-exchange-row"][data-exchange="binance"]')
  await expect(row).toHaveAttribute('data-state', 'closed')
  await expect(row.getByTestId('health-state')).toHaveText('Closed')
  await expect(row).toContainText(sim.url)
  await expect(row.getByTestId('health-score')).toHaveText(/^\d{1,3}$/)
  await expect(row.getByTestId('health-latency')).toHaveText(/^[\d,]+ ms$/)
  // The simulator runs on this machine's clock: the skew is a few ms either way, within the window.
  await expect(row.getByTestId('health-skew')).toHaveText(/^[+−]?\d+ ms \(±\d+ ms\)$/)
  await expect(row.getByTestId('health-skew')).not.toHaveClass(/down/)
  // Request weight from the simulator's X-MBX-USED-WEIGHT-1M header, against the 6,000 of its exchangeInfo.
  await expect(row.getByTestId('health-weight')).toHaveText(/^[\d,]+ \/ 6,000 \(\d+ %\)$/)
  await expect(row.getByTestId('health-stream')).toHaveText(/^(Polling \(REST\)|Idle|Live( · .+ ago)?)$/)
  // The risk engine's trading state: all accounts accept orders.
  await expect(page.getByTestId('health-trading-line')).toHaveText('ACTIVE · every account accepts orders')
  const requests = async () => Number((await row.getByTestId('health-requests').innerText()).split(' ')[0])
  const before = await requests()
  expect(before).toBeGreaterThan(0)

  // More requests through the hub show up at the next refresh, without touching the page.
  await rpc(host, 'exchange.ticker', { exchange: 'binance', symbol: 'ETH/USDT' })
  await rpc(host, 'exchange.ticker', { exchange: 'binance', symbol: 'SOL/USDT' })
  await expect.poll(requests, { timeout: 15_000 }).toBeGreaterThan(before)

  // The engine's own live figures: response delay, memory and CPU, each from the process.
  await expect(page.getByTestId('health-loop')).toHaveText(/^p50 [\d.]+ ms · p99 [\d.]+ ms/)
  await expect(page.getByTestId('health-memory')).toHaveText(/^[\d.]+ MB \(heap [\d.]+ MB of [\d.]+ MB\)$/)
  await expect(page.getByTestId('health-cpu')).toHaveText(/^\d+\.\d % of one core$/)
  // Green or amber while it answers (a slow first request on a busy machine lowers the score), never red.
  await expect(row).toHaveAttribute('data-health', /^(ok|warning)$/)

  // The trader halts trading: the Trading card says so and the item is amber with what to do.
  await rpc(host, 'risk.setState', { scope: 'global', state: 'HALTED', reason: 'lunch break' })
  await expect(page.getByTestId('health-trading-line')).toHaveText('HALTED · lunch break')
  await expect(page.locator('[data-testid="health-check"][data-item="trading.global"]')).toContainText(
    'Open the Risk view',
  )
  await expect(page.getByTestId('health-trading')).toHaveAttribute('data-state', 'warning')

  // Followed data feeds: an alert follows its series, and Health lists it as live with the age of
  // its last bar; the demo market stores no history, so it has no gaps to find.
  await rpc(host, 'alerts.create', {
    alert: {
      series: { source: 'demo', symbol: 'ETH/USDT', timeframe: '1m' },
      condition: {
        type: 'compare',
        left: { kind: 'price', field: 'last' },
        op: 'greater',
        right: { kind: 'value', value: 1e12 },
      },
    },
  })
  const feed = page.locator('[data-testid="health-feed-row"][data-source="demo"][data-symbol="ETH/USDT"]')
  await expect(feed).toHaveAttribute('data-health', 'ok')
  await expect(feed.getByTestId('health-feed-age')).toHaveText(/^(under 1 s|\d+ s) ago \(\d+\.\d bars\)$/)
  await expect(feed.getByTestId('health-feed-gaps')).toHaveText('not stored')

  await shoot(page, 'health', attach)

  // The simulator goes away: requests fail until the breaker opens, and the row, the list of
  // items needing attention and the status-bar badge turn red, saying what to do.
  await sim.close()
  for (let i = 0; i < 6; i++) {
    await rpc(host, 'exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' }).catch(() => undefined)
  }
  await expect(row).toHaveAttribute('data-health', 'critical')
  // What to do, in words (failing requests, or no answer at all once the breaker opens).
  await expect(page.getByTestId('health-exchange-advice')).toContainText(/connection/)
  await expect(page.locator('[data-testid="health-check"][data-item="exchange:binance"]')).toHaveAttribute(
    'data-state',
    'critical',
  )
  await expect(page.getByTestId('health-badge')).toHaveAttribute('data-state', 'critical')
  await shoot(page, 'health-red', attach)

  // Leaving the view stops the refresh: no summary is asked for afterwards.
  await page.getByTestId('nav-trade').click()
  const atLeave = asked.length
  expect(atLeave).toBeGreaterThanOrEqual(2)
  await page.waitForTimeout(4_000)
  expect(asked.length).toBe(atLeave)
})

test('with no exchange connection, Health says how to add one', async ({ app: page }, testInfo) => {
  const attach = (n: string, b: Buffer) => testInfo.attach(n, { body: b, contentType: 'image/png' })
  await page.getByTestId('nav-health').click()
  await expect(page.getByTestId('health-schema')).toHaveText(String(SCHEMA_VERSION))
  await expect(page.getByTestId('health-exchanges-empty')).toContainText('No exchange connections yet')
  await expect(page.getByTestId('health-exchanges-empty')).toContainText('Accounts… button')
  await shoot(page, 'health-empty', attach)
})

test('scheduled tasks: Run now shows a new last run; a bad cron shows which field is wrong as it is typed', async ({
  app: page,
}, testInfo) => {
  const attach = (n: string, b: Buffer) => testInfo.attach(n, { body: b, contentType: 'image/png' })
  await page.getByTestId('nav-health').click()
  const row = page.locator('[data-testid="task-row"][data-task="alert-housekeeping"]')
  await expect(row.getByTestId('task-schedule')).toContainText('03:30')
  await expect(row.getByTestId('task-last')).toHaveText('Never')

  await row.getByTestId('task-run-now').click()
  await expect(row.getByTestId('task-result')).toHaveText('OK')
  await expect(row.getByTestId('task-last')).toContainText('run by hand')

  await row.getByTestId('task-edit').click()
  const editor = page.getByTestId('task-editor')
  await expect(editor.getByTestId('task-cron-next').locator('li')).toHaveCount(5)
  await editor.getByTestId('task-cron').fill('30 25 * * *')
  await expect(editor.getByTestId('task-cron-error')).toHaveText('hour (field 2): 25 is out of range 0-23')
  await expect(editor.getByTestId('task-save')).toBeDisabled()
  await shoot(page, 'health-scheduler', attach)
  await editor.getByTestId('task-cron').fill('30 4 * * 1-5')
  await expect(editor.getByTestId('task-cron-described')).toContainText('04:30')
  await editor.getByTestId('task-save').click()
  await expect(editor).toBeHidden()
  await expect(row.getByTestId('task-schedule')).toContainText('04:30')
})
