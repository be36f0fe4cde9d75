/**
 * Starting and stopping the test build's headless host (`out-test/main/serve.js`, the product
 * plus the renderer's test hook; see test/support/app-build.ts) on a data folder, and talking to
 * it from Node. No Playwright Test imports: benchmarks use this too.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import WebSocket from 'ws'
import { TEST_BUILD_DIR } from '../support/app-build'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const SERVE_JS = join(TEST_BUILD_DIR, 'main/serve.js')
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const HOST_START_TIMEOUT_MS = 20_000
const HOST_STOP_TIMEOUT_MS = 5_000

export interface Host {
  /** Base URL, no token. */
  url: string
  /** The URL the host printed to open the app, its token in the fragment (`/#token=…`). */
  appUrl: string
  token: string
  dataDir: string
  /** Everything the host wrote to stdout and stderr so far. */
  output(): string
}

export interface RunningHost extends Host {
  /** The host's process id (its memory is in /proc/<pid>/status). */
  pid: number
  /** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
  stop(): Promise<void>
  /**
   * SIGSTOP: the process stops but its sockets stay open, so browsers see a link that is
   * neither closed nor answering (a machine asleep, a dead network path). `thaw` (SIGCONT)
   * undoes it; `stop` thaws first.
   */
  freeze(): void
  thaw(): void
}

export interface CandleImport {
  file: string
  symbol: string
  timeframe: string
}

/** A fresh temporary data folder; `remove()` deletes it. */
export function tempDataDir(prefix = 'candlework-e2e-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

export interface StartOptions {
  /** The port to listen on (0, the default, lets the system choose): a restart passes the old one. */
  port?: number
  /** The host's `--heartbeat-ms` (its default when not given). */
  heartbeatMs?: number
}

/**
 * Starts `node out-test/main/serve.js --port <port|0> --data-dir <dataDir>` and waits for its URL.
 * The token lives in the data folder, so a host started again on the same folder keeps it.
 */
export async function startHost(dataDir: string, options: StartOptions = {}): Promise<RunningHost> {
  if (!existsSync(SERVE_JS)) throw new Error(`${SERVE_JS} is missing: run \`npm run build:test\` first`)
  const port = String(options.port ?? 0)
  const args = [SERVE_JS, '--port', port, '--data-dir', dataDir]
  if (options.heartbeatMs !== undefined) args.push('--heartbeat-ms', String(options.heartbeatMs))
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.setEncoding('utf8')
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (d: string) => (out += d))
  try {
    const appUrl = await new Promise<string>((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`host did not print its URL within ${HOST_START_TIMEOUT_MS} ms:\n${out}`))
      }, HOST_START_TIMEOUT_MS)
      child.stdout.on('data', (d: string) => {
        out += d
        const m = /^Open (https?:\/\/\S+)$/m.exec(out)
        if (m?.[1]) {
          clearTimeout(timer)
          resolvePromise(m[1])
        }
      })
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        reject(new Error(`host exited (code ${code}, signal ${signal}) before it was ready:\n${out}`))
      })
    })
    const parsed = new URL(appUrl)
    return {
      url: parsed.origin,
      appUrl,
      token: new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '',
      dataDir,
      output: () => out,
      pid: child.pid!,
      stop: () => stopProcess(child),
      freeze: () => child.kill('SIGSTOP'),
      thaw: () => child.kill('SIGCONT'),
    }
  } catch (err) {
    await stopProcess(child)
    throw err
  }
}

/** Stops `host` and starts a new one on the same port and data folder (so with the same token). */
export async function restartHost(host: RunningHost): Promise<RunningHost> {
  await host.stop()
  return startHost(host.dataDir, { port: Number(new URL(host.url).port) })
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGCONT') // a frozen host would not act on SIGTERM
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), HOST_STOP_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
}

const execFileP = promisify(execFile)

/** `npm run cli -- import-candles ...` into `dataDir`, via tsx as the npm script runs it. */
export async function importCandles(dataDir: string, args: CandleImport): Promise<void> {
  const tsx = join(ROOT, 'node_modules/.bin/tsx')
  const cli = ['src/main/cli/main.ts', 'import-candles', '--file', args.file, '--symbol', args.symbol]
  await execFileP(tsx, [...cli, '--timeframe', args.timeframe, '--data-dir', dataDir], {
    cwd: ROOT,
    timeout: 60_000,
  })
}

/** `npm run cli -- new-token` on `dataDir`: a running host on it closes connections on the old token. */
export async function newToken(dataDir: string): Promise<void> {
  const tsx = join(ROOT, 'node_modules/.bin/tsx')
  await execFileP(tsx, ['src/main/cli/main.ts', 'new-token', '--data-dir', dataDir], {
    cwd: ROOT,
    timeout: 60_000,
  })
}

/** One command over the host's WebSocket from Node, as a script would call it (the token in a header). */
export async function rpc<T = unknown>(host: Host, name: string, params: unknown): Promise<T> {
  const ws = new WebSocket(`${host.url.replace(/^http/, 'ws')}/ws`, {
    headers: { Authorization: `Bearer ${host.token}` },
    maxPayload: 256 * 1024 * 1024,
  })
  try {
    await new Promise<void>((r, reject) => {
      ws.once('open', () => r())
      ws.once('error', reject)
    })
    const answer = new Promise<T>((r, reject) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as {
          type: string
          id: number
          result?: { ok: boolean; value?: T; error?: unknown }
        }
        if (msg.type !== 'result' || msg.id !== 1) return
        if (msg.result?.ok) r(msg.result.value as T)
        else reject(new Error(`${name} failed: ${JSON.stringify(msg.result?.error)}`))
      })
      ws.once('close', () => reject(new Error(`${name}: connection closed before the answer`)))
    })
    ws.send(JSON.stringify({ type: 'invoke', id: 1, name, params }))
    return await answer
  } finally {
    ws.close()
  }
}
