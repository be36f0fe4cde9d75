import { _electron as electron } from '@playwright/test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findElectron } from '../../scripts/electron-binary.mjs'
import { TEST_BUILD_DIR } from '../support/app-build'
import { expect, ROOT, test } from './fixtures'
import type { HookGlobal } from '../../src/shared/testing/ui-hook'

// The binary if it is installed: read from node_modules/electron/path.txt, never through
// require('electron'), which would start a download (see scripts/electron-binary.mjs).
const found = findElectron()

test('the desktop window opens, connects over IPC and charts the demo market', async () => {
  if (!found.path) process.stdout.write(`electron.spec.ts: skipped because ${found.reason}\n`)
  test.skip(!found.path, `Skipped: ${found.reason}`)
  const home = mkdtempSync(join(tmpdir(), 'candlework-electron-'))
  // The test build's shell: the product's, with the renderer's test hook.
  const main = join(TEST_BUILD_DIR, 'main/index.js')
  const args = [main, `--user-data-dir=${join(home, 'Candlework')}`]
  // Electron refuses to start as root with the sandbox on (CI containers).
  if (process.getuid?.() === 0) args.push('--no-sandbox')
  const app = await electron.launch({
    executablePath: found.path!,
    args,
    cwd: ROOT,
    // userData follows the platform's config folder: point it at a fresh one.
    env: { ...process.env, XDG_CONFIG_HOME: home, APPDATA: home, HOME: home } as Record<string, string>,
  })
  try {
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
  } finally {
    await app.close()
    rmSync(home, { recursive: true, force: true })
  }
})
