import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { expect, test } from '@playwright/test'
import { findElectron } from '../../scripts/electron-binary.mjs'
import { ROOT, tempDataDir } from './host'

/**
 * `npm start` (scripts/start.mjs) where the Electron binary is missing: it tries the download
 * (here against a local mirror, so the test means the same on a machine with network), gives
 * up within its time limit, says why in one line and serves the app headless. Where a binary
 * exists it starts that instead (proved with a stand-in binary).
 */
test.describe.configure({ timeout: 120_000 })

const installed = findElectron()

/** Runs `node scripts/start.mjs` with extra environment; collects its output. */
function start(env: Record<string, string>, args: string[]) {
  const child = spawn(process.execPath, ['scripts/start.mjs', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  })
  let out = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  return {
    exited,
    output: () => out,
    /** Resolves when the output matches `pattern`; fails at once if npm start exits first. */
    async waitFor(pattern: RegExp, timeoutMs = 90_000): Promise<void> {
      const deadline = Date.now() + timeoutMs
      while (!pattern.test(out)) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(
            `npm start exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${out}`,
          )
        }
        if (Date.now() > deadline)
          throw new Error(`npm start did not print ${pattern} in ${timeoutMs} ms:\n${out}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      await exited
    },
  }
}

/**
 * A mirror for the Electron download: a closed port (offline: the connection is refused), or
 * a server that accepts the connection and never answers (a network that swallows requests).
 */
async function mirror(kind: 'refuses' | 'hangs'): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const close = () => {
    for (const s of sockets) s.destroy()
    return new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))
  }
  if (kind === 'refuses') await close()
  return { url: `http://127.0.0.1:${port}/`, close }
}

/**
 * Environment pointing the electron package's download at `mirrorUrl`, with an empty cache (a
 * cached zip would install without the network). An npm-config mirror wins over
 * ELECTRON_MIRROR in @electron/get, so one inherited from the caller is overridden too.
 */
function downloadEnv(mirrorUrl: string, cacheDir: string): Record<string, string> {
  const env: Record<string, string> = { ELECTRON_MIRROR: mirrorUrl, electron_config_cache: cacheDir }
  if (process.env.npm_config_electron_mirror) env.npm_config_electron_mirror = mirrorUrl
  return env
}

async function expectHeadlessServing(run: ReturnType<typeof start>) {
  await run.waitFor(/Open http:\/\/127\.0\.0\.1:\d+\/\S*token=/)
  const base = /Open (http:\/\/127\.0\.0\.1:\d+)\//.exec(run.output())![1]!
  expect((await fetch(`${base}/healthz`)).status).toBe(200)
}

function skipIfInstalled() {
  if (installed.path)
    process.stdout.write(`start.spec.ts: skipped because Electron is installed at ${installed.path}\n`)
  test.skip(!!installed.path, 'the Electron binary is installed here, so npm start opens the desktop app')
}

test('npm start offline says in one line why the desktop app is unavailable and serves the app headless', async () => {
  skipIfInstalled()
  const dir = tempDataDir()
  const cache = mkdtempSync(join(tmpdir(), 'candlework-electron-cache-'))
  const offline = await mirror('refuses')
  const run = start(downloadEnv(offline.url, cache), ['--port', '0', '--data-dir', dir.path])
  try {
    await expectHeadlessServing(run)
    const notices = run
      .output()
      .split('\n')
      .filter((l) => /Desktop app unavailable/.test(l))
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatch(
      /^Desktop app unavailable: the Electron binary is not downloaded and the download failed \(.+\); to get it, run `npx install-electron` with network access\. Starting the headless host instead\.$/,
    )
    expect(findElectron().path).toBeNull() // nothing half-installed was left behind
  } finally {
    await run.stop()
    await offline.close()
    dir.remove()
    rmSync(cache, { recursive: true, force: true })
  }
})

test('npm start gives up on a download that hangs, within its time limit', async () => {
  skipIfInstalled()
  const dir = tempDataDir()
  const cache = mkdtempSync(join(tmpdir(), 'candlework-electron-cache-'))
  const stalled = await mirror('hangs')
  const run = start({ ...downloadEnv(stalled.url, cache), CANDLEWORK_ELECTRON_DOWNLOAD_TIMEOUT_MS: '3000' }, [
    '--port',
    '0',
    '--data-dir',
    dir.path,
  ])
  try {
    await run.waitFor(/Downloading the Electron binary/)
    const asked = Date.now()
    await expectHeadlessServing(run)
    expect(Date.now() - asked).toBeLessThan(20_000)
    expect(run.output()).toMatch(/Desktop app unavailable: .*the download did not finish within 3 s/)
  } finally {
    await run.stop()
    await stalled.close()
    dir.remove()
    rmSync(cache, { recursive: true, force: true })
  }
})

test('npm start opens the desktop app where the Electron binary exists', async () => {
  if (process.platform === 'win32')
    process.stdout.write('start.spec.ts: skipped because the stand-in Electron binary is a shell script\n')
  test.skip(process.platform === 'win32', 'the stand-in Electron binary is a shell script')
  const dist = mkdtempSync(join(tmpdir(), 'candlework-fake-electron-'))
  const binary = join(
    dist,
    process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron',
  )
  mkdirSync(dirname(binary), { recursive: true })
  writeFileSync(binary, '#!/bin/sh\necho "stand-in Electron started with: $*"\n')
  chmodSync(binary, 0o755)
  const run = start({ ELECTRON_OVERRIDE_DIST_PATH: dist }, ['--data-dir', '/tmp/x'])
  try {
    expect(await run.exited).toBe(0)
    expect(run.output()).toContain('stand-in Electron started with: . --data-dir /tmp/x')
    expect(run.output()).not.toMatch(/Desktop app unavailable|Downloading the Electron binary|Open http/)
  } finally {
    rmSync(dist, { recursive: true, force: true })
  }
})
