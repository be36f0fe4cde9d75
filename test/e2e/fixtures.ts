import { createServer } from 'node:net'
import { test as base, expect, type Page } from '@playwright/test'
import type { HookGlobal } from '../../src/shared/testing/ui-hook'
import { startSimulator, type Simulator } from '../simulator/server'
import { importCandles, startHost, tempDataDir, type CandleImport, type Host, type RunningHost } from './host'

export { ROOT, rpc, type Host } from './host'
export { expect }

type DataDir = ReturnType<typeof tempDataDir>

/**
 * A plain host (fresh data folder, no imports) started ahead for the next test that asks for
 * one: a host takes about a second of CPU to start, spent while a test waits on its page rather
 * than before the next test. It is started once the current test's app is open (the busiest part
 * of a test is over), kept only for the environment it was started in (a file may set
 * CANDLEWORK_PASSPHRASE for its hosts) and stopped when the worker ends.
 */
let spare: { env: string; dir: DataDir; started: Promise<RunningHost> } | undefined

/** The CANDLEWORK_* variables a host inherits, as one string to compare. */
function hostEnv(): string {
  return JSON.stringify(
    Object.entries(process.env)
      .filter(([k]) => k.startsWith('CANDLEWORK_'))
      .sort(([a], [b]) => a.localeCompare(b)),
  )
}

function startSpare(): void {
  if (spare) return
  const dir = tempDataDir()
  const started = startHost(dir.path)
  // A spare that fails to start fails the test that takes it, with the host's output.
  started.catch(() => undefined)
  spare = { env: hostEnv(), dir, started }
}

async function dropSpare(): Promise<void> {
  const old = spare
  spare = undefined
  if (!old) return
  try {
    await (await old.started).stop()
  } catch {
    // It never started: nothing to stop.
  } finally {
    old.dir.remove()
  }
}

/** A fresh data folder and a host starting on it: the spare if it suits. */
async function freshHost(): Promise<{ dir: DataDir; started: Promise<RunningHost> }> {
  if (spare && spare.env !== hostEnv()) await dropSpare()
  const taken = spare
  spare = undefined
  if (taken) return taken
  const dir = tempDataDir()
  return { dir, started: startHost(dir.path) }
}

interface Fixtures {
  /** Candle files imported with the CLI into the fresh data folder before the host starts. */
  imports: CandleImport[]
  host: Host
  /** A page with the app open, connected and with its test hook installed. */
  app: Page
}

/**
 * Every test gets its own data folder and its own headless host (`out-test/main/serve.js`, the
 * test build the global setup made; this builds nothing), stopped with SIGTERM when it ends.
 */
export const test = base.extend<Fixtures, { spareHost: void }>({
  spareHost: [
    // Playwright reads the fixtures a fixture needs from this pattern: none here.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      await use()
      await dropSpare()
    },
    { scope: 'worker' },
  ],

  imports: [[], { option: true }],

  host: async ({ imports, spareHost }, use) => {
    void spareHost
    let dir: DataDir | undefined
    let running: RunningHost | undefined
    try {
      if (imports.length > 0) {
        dir = tempDataDir()
        for (const spec of imports) await importCandles(dir.path, spec)
        running = await startHost(dir.path)
      } else {
        const fresh = await freshHost()
        dir = fresh.dir
        running = await fresh.started
      }
      await use(running)
      // A test on the host alone (no app) starts the next one's spare as it ends.
      startSpare()
    } finally {
      await running?.stop()
      dir?.remove()
    }
  },

  app: async ({ page, host }, use) => {
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`)
    })
    await openConnected(page, host)
    startSpare()
    await use(page)
    expect(errors, 'errors in the page').toEqual([])
  },
})

/** Share of the chart's main canvas drawn in the candle colours, and how many colours it has. */
export async function candlePixelShare(page: Page): Promise<{ up: number; down: number; distinct: number }> {
  return page.evaluate(() => {
    // Structural types: this runs in the page, but the tests compile without the DOM library.
    interface Canvas {
      width: number
      height: number
      getContext(
        kind: '2d',
      ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null
    }
    const doc = (globalThis as unknown as { document: { querySelectorAll(sel: string): ArrayLike<Canvas> } })
      .document
    const canvases = Array.from(doc.querySelectorAll('[data-testid="chart"] canvas'))
    const main = canvases.sort((a, b) => b.width * b.height - a.width * a.height)[0]
    if (!main) return { up: 0, down: 0, distinct: 0 }
    const ctx = main.getContext('2d')
    if (!ctx) return { up: 0, down: 0, distinct: 0 }
    const { data } = ctx.getImageData(0, 0, main.width, main.height)
    let up = 0
    let down = 0
    const colours = new Set<number>()
    const near = (i: number, r: number, g: number, b: number): boolean =>
      Math.abs(data[i]! - r) < 12 && Math.abs(data[i + 1]! - g) < 12 && Math.abs(data[i + 2]! - b) < 12
    for (let i = 0; i < data.length; i += 4) {
      colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!)
      if (near(i, 0x26, 0xa6, 0x9a)) up++
      else if (near(i, 0xef, 0x53, 0x50)) down++
    }
    const total = data.length / 4
    return { up: up / total, down: down / total, distinct: colours.size }
  })
}

/**
 * Sets CANDLEWORK_PASSPHRASE for the tests of one file (the hosts they start inherit it and
 * unlock their encrypted secrets file with it), and puts the old value back afterwards.
 */
export function usePassphraseEnv(passphrase: string): void {
  const name = 'CANDLEWORK_PASSPHRASE'
  let saved: string | undefined
  test.beforeAll(() => {
    saved = process.env[name]
    process.env[name] = passphrase
  })
  test.afterAll(() => {
    if (saved === undefined) delete process.env[name]
    else process.env[name] = saved
  })
}

/** A local port nothing listens on: bound, then released, so every request to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address()
  await new Promise<void>((r) => server.close(() => r()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

/**
 * Opens the URL the host printed and waits until the app is connected and its test hook is in,
 * showing `view`: the Trade view unless told otherwise (most specs trade, while the app opens on
 * the Dashboard), or with `null` the view the app opens on. The view is given to the app as a
 * remembered choice (before the page loads, only if none is remembered yet), so the Dashboard is
 * never mounted for nothing and a reload keeps whatever the test chose since.
 */
export async function openConnected(page: Page, host: Host, view: string | null = 'trade'): Promise<void> {
  if (view !== null) {
    await page.addInitScript((v) => {
      // Runs in every document, also those without storage (about:blank after going back).
      try {
        const store = (
          globalThis as unknown as {
            localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void }
          }
        ).localStorage
        if (store.getItem('candlework.shell.view') === null) store.setItem('candlework.shell.view', v)
      } catch {
        // No storage here: nothing to remember.
      }
    }, view)
  }
  await page.goto(host.appUrl)
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'open')
  await page.waitForFunction(() => (globalThis as unknown as Partial<HookGlobal>).__candlework !== undefined)
  if (view !== null) await expect(page.getByTestId(`nav-${view}`)).toHaveAttribute('aria-current', 'page')
}

/**
 * Collects the page's errors, except the network failures a browser logs while the host is down
 * (for tests that stop or restart it on purpose).
 */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() !== 'error') return
    const text = m.text()
    if (/WebSocket connection to .* failed|Failed to load resource|ERR_CONNECTION_REFUSED/.test(text)) return
    errors.push(`console: ${text}`)
  })
  return errors
}

/**
 * Shows the order ticket after a resize: a narrow window folds it to a rail once the page has
 * seen the new width, so the rail is looked for until the ticket shows (a single look can come
 * before the fold and find neither).
 */
export async function showTicket(page: Page): Promise<void> {
  await expect(async () => {
    const rail = page.getByTestId('ticket-open')
    if (await rail.isVisible()) await rail.click()
    await expect(page.getByTestId('order-ticket')).toBeVisible({ timeout: 500 })
  }).toPass()
}

/**
 * `test` with the loopback Binance simulator, started before the host and closed only after the
 * host (and the page on it) are gone: closing it first would end the live feeds with errors
 * mid-teardown.
 */
export const testWithSimulator = test.extend<{ sim: Simulator }>({
  // Playwright reads the fixtures a fixture needs from this pattern: none here.
  // eslint-disable-next-line no-empty-pattern
  sim: async ({}, use) => {
    const sim = await startSimulator()
    try {
      await use(sim)
    } finally {
      await sim.close()
    }
  },
  host: async ({ host, sim }, use) => {
    void sim
    await use(host)
  },
})

/** The built-in demo paper account's id. */
export const DEMO_ACCOUNT = 'demo-paper'

/** Opens demo BTC/USDT on the chart and waits until the ticket trades it on the demo paper account. */
export async function openDemoBtc(page: Page): Promise<void> {
  await page.locator('[data-testid="symbol-row"][data-source="demo"][data-symbol="BTC/USDT"]').click()
  await page.evaluate(() =>
    (globalThis as unknown as HookGlobal).__candlework.whenChartPainted({
      source: 'demo',
      symbol: 'BTC/USDT',
    }),
  )
  await expect(page.getByTestId('ticket-symbol')).toHaveText('BTC/USDT')
  await expect(page.getByTestId('account-select')).toHaveValue(DEMO_ACCOUNT)
}

/** Types an order size and waits for the ticket to find it valid. */
export async function typeSize(page: Page, size: string): Promise<void> {
  await page.getByTestId('ticket-size').fill(size)
  await expect(page.getByTestId('ticket-preview')).toHaveAttribute('data-state', 'valid')
}
