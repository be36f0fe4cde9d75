import { defineConfig } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './test/e2e/host'

/**
 * End-to-end tests against the test build of the app (out-test/, built by the global setup on
 * every run: the product plus the renderer's read-only test hook). Each test starts its own
 * headless host on a fresh data folder (see test/e2e/fixtures.ts) and drives it with a real
 * Chromium: the system one, never a downloaded build.
 */
export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  outputDir: 'test-results',
  // One file at a time: two at once were slower in all (on two cores each test's Chromium and
  // host are busy drawing and ticking, so two tests took three to four times as long each).
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    // As a trader who asked for less motion: no pulse redraws the page while a test waits.
    reducedMotion: 'reduce',
    // The app follows the OS theme by default; the specs see the dark theme they were written
    // for unless they ask otherwise (workspace.spec.ts switches it).
    colorScheme: 'dark',
    // Times show in the browser's zone by default: the specs run in UTC wherever CI is.
    timezoneId: 'UTC',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
})
