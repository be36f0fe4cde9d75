// `npm start`: the desktop app, or, where the Electron binary cannot be had, the headless host
// with one line saying why.
//
// The electron 45 npm package no longer downloads its binary at `npm install`; it does
// so on first use. So a missing binary here is normal after a fresh install, and we try the
// download once per start: with network that takes a minute the first time and then the
// desktop app opens, which is what `npm install && npm start` promises. Offline the attempt
// usually fails at once (no DNS); a network that swallows the request is cut off after
// DOWNLOAD_TIMEOUT_MS, so `npm start` never hangs on it.
import { spawn, spawnSync } from 'node:child_process'
import { downloadElectron, electronPackageDir, findElectron } from './electron-binary.mjs'

const root = new URL('..', import.meta.url).pathname
// Enough for about 100 MB on a slow line; overridable so a test can prove the limit holds.
const DOWNLOAD_TIMEOUT_MS = Number(process.env.CANDLEWORK_ELECTRON_DOWNLOAD_TIMEOUT_MS) || 180_000

const built = spawnSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' })
if (built.status !== 0) process.exit(built.status ?? 1)

async function electronBinary() {
  const found = findElectron()
  const dir = electronPackageDir()
  if (found.path || !dir) return found
  process.stdout.write(
    `Downloading the Electron binary for the desktop app (about 100 MB; giving up after ${Math.round(DOWNLOAD_TIMEOUT_MS / 1000)} s)...\n`,
  )
  const download = await downloadElectron(dir, { timeoutMs: DOWNLOAD_TIMEOUT_MS })
  if (!download.ok)
    return { path: null, reason: `the Electron binary is not downloaded and ${download.reason}` }
  return findElectron()
}

const args = process.argv.slice(2)
const electron = await electronBinary()
if (!electron.path) {
  process.stdout.write(
    `Desktop app unavailable: ${electron.reason}; to get it, run \`npx install-electron\` with network access. ` +
      'Starting the headless host instead.\n',
  )
}
const child = electron.path
  ? spawn(electron.path, ['.', ...args], { cwd: root, stdio: 'inherit' })
  : spawn(process.execPath, ['out/main/serve.js', ...args], { cwd: root, stdio: 'inherit' })

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))
