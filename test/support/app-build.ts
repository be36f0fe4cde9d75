/**
 * Builds the app from tests and benches. Two builds of the same sources:
 * - production, `electron-vite build` (`npm run build`, and what `npm start`, `npm run serve`
 *   and `npm run dist` run) into out/;
 * - test, `electron-vite build --mode test` (`npm run build:test`) into out-test/: the same
 *   main and preload, and a renderer that also installs the read-only test hook
 *   (`window.__candlework`, src/renderer/src/testing/hook.ts) the end-to-end tests and the chart
 *   bench drive. electron.vite.config.ts maps the mode to the folder, so a test build never
 *   lands where the product is served from.
 */
import { execFile } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** Where the test build goes (see electron.vite.config.ts). */
export const TEST_BUILD_DIR = join(ROOT, 'out-test')

export type BuildMode = 'production' | 'test'

const execFileP = promisify(execFile)

/**
 * Runs `electron-vite build` in `mode`; into `outDir` when given (a temporary folder for a test
 * that inspects the bundle), else into the mode's own folder (out/ or out-test/).
 */
export async function buildApp(mode: BuildMode, outDir?: string): Promise<void> {
  const bin = join(ROOT, 'node_modules/.bin/electron-vite')
  const args = ['build', '--mode', mode, '--logLevel', 'warn']
  if (outDir) args.push('--outDir', outDir)
  try {
    await execFileP(bin, args, { cwd: ROOT, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 })
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string }
    throw new Error(
      `electron-vite build --mode ${mode} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
    )
  }
}
