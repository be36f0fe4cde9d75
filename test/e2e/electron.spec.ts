import { _electron as electron, type ElectronApplication } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findElectron } from '../../scripts/electron-binary.mjs'
import { TEST_BUILD_DIR } from '../support/app-build'
import { expect, ROOT, test } from './fixtures'
import type { Alert } from '../../src/shared/contract/alerts'
import type { CandleworkBridge } from '../../src/shared/rpc/bridge'
import type { HookGlobal } from '../../src/shared/testing/ui-hook'
import type { DesktopProbe } from '../../src/main/desktop/e2e-probe'

// The binary if it is installed: read from node_modules/electron/path.txt, never through
// require('electron'), which would start a download (see scripts/electron-binary.mjs).
const found = findElectron()

/** Skips the test, saying why on stdout too, where the Electron binary is absent. */
function skipWithoutElectron(file: string): void {
  if (!found.path) process.stdout.write(`${file}: skipped because ${found.reason}\n`)
  test.skip(!found.path, `Skipped: ${found.reason}`)
}

/**
 * The test build's shell (the product's, with the renderer's test hook) on a fresh data folder;
 * `env` is added to the process's. `use` runs with the app, which is closed and its folder
 * removed after.
 */
async function withDesktop(
  env: Record<string, string>,
  use: (app: ElectronApplication) => Promise<void>,
): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'candlework-electron-'))
  const args = [join(TEST_BUILD_DIR, 'main/index.js'), `--user-data-dir=${join(home, 'Candlework')}`]
  // Electron refuses to start as root with the sandbox on (CI containers).
  if (process.getuid?.() === 0) args.push('--no-sandbox')
  const app = await electron.launch({
    executablePath: found.path!,
    args,
    cwd: ROOT,
    // userData follows the platform's config folder: point it at a fresh one.
    env: { ...process.env, XDG_CONFIG_HOME: home, APPDATA: home, HOME: home, ...env } as Record<
      string,
      string
    >,
  })
  try {
    await use(app)
  } finally {
    await app.close()
    rmSync(home, { recursive: true, force: true })
  }
}

test('the desktop window opens, connects over IPC and charts the demo market', async () => {
  skipWithoutElectron('electron.spec.ts')
  await withDesktop({}, async (app) => {
    const win = await app.firstWindow()
    await expect(win.getByTestId('connection')).toHaveAttribute('data-state', 'open')
    await expect(win.getByTestId('host-info')).toContainText('Desktop')
    // The app opens on the Dashboard; the Trade view is one click away.
    await expect(win.getByTestId('dashboard-view')).toBeVisible()
    await win.getByTestId('nav-trade').click()
    const p = await win.evaluate(() => (globalThis as unknown as HookGlobal).__candlework.whenChartPainted())
    expect(p.bars).toBeGreaterThan(100)
    await expect(win.getByTestId('chart-header').getByTestId('source-badge')).toHaveText('Demo (simulated)')
    // Served by our app:// handler, never from file://.
    expect(win.url()).toBe('app://candlework/index.html')
    expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
  })
})

/** What the main process's desktop probe holds now (src/main/desktop/e2e-probe.ts). */
function readProbe(app: ElectronApplication) {
  return app.evaluate(() => {
    const p = (globalThis as unknown as { candleworkDesktopProbe: DesktopProbe }).candleworkDesktopProbe
    return {
      trayShown: p.trayShown,
      tooltip: p.tooltip,
      labels: p.menuLabels(),
      notifications: p.notifications.map((n) => n.title),
    }
  })
}

test('an alert firing on the demo market shows in the tray with its unread count and as a notification that opens its chart', async () => {
  skipWithoutElectron('electron.spec.ts')
  // CANDLEWORK_E2E=1: the test build's main records its tray and notifications for this test.
  await withDesktop({ CANDLEWORK_E2E: '1' }, async (app) => {
    const win = await app.firstWindow()
    await expect(win.getByTestId('connection')).toHaveAttribute('data-state', 'open')
    await expect.poll(async () => (await readProbe(app)).tooltip).toBe('Candlework: no unread alerts')

    // An alert that fires on the next live update of a chart the window does not show.
    const series = { source: 'demo', symbol: 'ETH/USDT', timeframe: '15m' } as const
    const created = await win.evaluate(
      (s) =>
        (globalThis as unknown as { candlework: CandleworkBridge }).candlework.invoke('alerts.create', {
          alert: {
            name: 'ETH above zero',
            series: s,
            condition: {
              type: 'compare',
              left: { kind: 'price', field: 'last' },
              op: 'greater',
              right: { kind: 'value', value: 0 },
            },
            evaluate: 'intrabar',
            frequency: 'once',
          },
        }),
      series,
    )
    expect(created.ok, JSON.stringify(created)).toBe(true)
    expect((created as { value: Alert }).value.status).toBe('active')

    await expect
      .poll(async () => (await readProbe(app)).tooltip, { timeout: 15_000 })
      .toBe('Candlework: 1 unread alert')
    const probe = await readProbe(app)
    expect(probe.trayShown).toBe(true)
    // The menu: show, the latest alerts, mute, the kill switch (and keep in tray, quit).
    expect(probe.labels[0]).toBe('Show Candlework')
    expect(probe.labels).toContain('Latest alerts (1 unread)')
    expect(probe.labels.some((l) => l.startsWith('ETH above zero · ETH/USDT 15m · '))).toBe(true)
    expect(probe.labels).toContain('Mute alerts for 1 hour')
    expect(probe.labels.some((l) => l.startsWith('Kill switch'))).toBe(true)
    expect(probe.labels).toContain('Quit Candlework')
    expect(probe.notifications).toEqual(['ETH/USDT 15m: ETH above zero'])

    // The notification clicked: the window shows the alert's chart on the Trade view.
    expect(
      await app.evaluate(() =>
        (
          globalThis as unknown as { candleworkDesktopProbe: DesktopProbe }
        ).candleworkDesktopProbe.clickNotification(0),
      ),
    ).toBe(true)
    await expect
      .poll(() =>
        win.evaluate(() => {
          const c = (globalThis as unknown as HookGlobal).__candlework.chart()
          return c && { source: c.source, symbol: c.symbol, timeframe: c.timeframe }
        }),
      )
      .toEqual(series)
    const header = win.getByTestId('chart-header')
    await expect(header).toHaveAttribute('data-symbol', 'ETH/USDT')
    await expect(header).toHaveAttribute('data-timeframe', '15m')

    // Muted from the tray: the menu says until when.
    expect(
      await app.evaluate(() =>
        (
          globalThis as unknown as { candleworkDesktopProbe: DesktopProbe }
        ).candleworkDesktopProbe.clickMenuItem('Mute alerts for 1 hour'),
      ),
    ).toBe(true)
    expect((await readProbe(app)).labels.some((l) => /^Alerts muted until \d\d:\d\d: unmute$/.test(l))).toBe(
      true,
    )
  })
})
