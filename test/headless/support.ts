/**
 * A real headless host on a temporary data folder (port 0, loopback) and ways to talk to it over
 * real sockets: WebSocket clients with each way of presenting the token, and plain HTTP requests
 * with any Host or Origin header (fetch would not let a test set those).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { request, type IncomingHttpHeaders } from 'node:http'
import { connect as connectTcp } from 'node:net'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import WebSocket from 'ws'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { startHeadlessHost, type HeadlessHost, type HostOptions } from '../../src/main/headless/server'
import { loadOrCreateToken } from '../../src/main/headless/token'
import { RpcClient } from '../../src/shared/rpc/client'
import { serverMessageSchema } from '../../src/shared/rpc/wire'
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src/shared/rpc/ws-auth'
import { useTempDirs } from '../support/temp-dir'

export const SHELL_HTML = '<!doctype html><title>test shell</title>'

/** Registers the after-each cleanup; call at the top of a test file. */
export function useHosts() {
  const tempDir = useTempDirs()
  const open: { host: HeadlessHost; engine: Engine }[] = []
  afterEach(async () => {
    for (const { host, engine } of open.splice(0)) {
      await host.close()
      await engine.close()
    }
  })
  return {
    tempDir,
    async startHost(options: Partial<Omit<HostOptions, 'engine' | 'token' | 'staticDir'>> = {}) {
      const dataDir = tempDir()
      const staticDir = join(dataDir, 'static')
      mkdirSync(join(staticDir, 'assets'), { recursive: true })
      writeFileSync(join(staticDir, 'index.html'), SHELL_HTML)
      writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("app")')
      const engine = createEngine({ dataDir, host: 'headless', log: silentLogger })
      const token = loadOrCreateToken(dataDir)
      const host = await startHeadlessHost({ engine, token, staticDir, port: 0, ...options })
      open.push({ host, engine })
      return { host, token, dataDir, engine, staticDir, port: Number(new URL(host.url).port) }
    },
  }
}

export const wsUrl = (host: HeadlessHost): string => `${host.url.replace(/^http/, 'ws')}/ws`

export type Credential = { bearer: string } | { protocol: string } | { protocols: string[] } | { none: true }

/** A WebSocket client speaking the protocol; `ready` rejects with "HTTP <status>" when refused. */
export function connect(url: string, credential: Credential, headers: Record<string, string> = {}) {
  const protocols =
    'protocol' in credential
      ? [WS_PROTOCOL, WS_TOKEN_PREFIX + credential.protocol]
      : 'protocols' in credential
        ? credential.protocols
        : []
  const auth = 'bearer' in credential ? { Authorization: `Bearer ${credential.bearer}` } : {}
  const socket = new WebSocket(url, protocols, { headers: { ...auth, ...headers } })
  const client = new RpcClient((m) => socket.send(JSON.stringify(m)), 5_000)
  socket.on('message', (d) => client.receive(serverMessageSchema.parse(JSON.parse(d.toString()))))
  socket.on('close', () => client.close())
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
  const ready = new Promise<{ protocolHeader: string | undefined }>((resolve, reject) => {
    let protocolHeader: string | undefined
    socket.once(
      'upgrade',
      (res) => (protocolHeader = res.headers['sec-websocket-protocol'] as string | undefined),
    )
    socket.once('open', () => resolve({ protocolHeader }))
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    socket.once('error', reject)
  })
  return { socket, client, ready, closed }
}

export interface RawAnswer {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/**
 * One HTTP request with exactly these headers (`Host` included: node:http sends ours instead of
 * its own when given). `upgrade: true` sends a WebSocket handshake and reports its status.
 */
export function httpGet(
  url: string,
  options: { method?: string; headers?: Record<string, string>; upgrade?: boolean } = {},
): Promise<RawAnswer> {
  const upgradeHeaders = options.upgrade
    ? {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.alloc(16, 7).toString('base64'),
      }
    : {}
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? 'GET',
      headers: { ...upgradeHeaders, ...options.headers },
    })
    req.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' })
    })
    req.on('response', (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * Writes `bytes` on a fresh TCP connection and returns all the host sent back until it closed
 * (or `ms` passed). Never throws: a reset or a refused connection ends the answer (an empty one
 * fails the caller's assertions), since garbage may well be cut off mid-write.
 */
export function rawExchange(port: number, bytes: string | Buffer, ms = 3_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = connectTcp(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const done = (): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve(Buffer.concat(chunks).toString('latin1'))
    }
    const timer = setTimeout(done, ms)
    socket.on('data', (d: Buffer) => chunks.push(d))
    socket.on('end', done)
    socket.on('close', done)
    socket.on('error', done)
    socket.write(bytes)
  })
}

/** The status and headers (lower-case names) of the first response in raw HTTP text. */
export function parseHead(raw: string): { status: number; headers: Record<string, string> } {
  const [head = ''] = raw.split('\r\n\r\n')
  const [statusLine = '', ...lines] = head.split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const i = line.indexOf(':')
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
  }
  return { status: Number(statusLine.split(' ')[1]), headers }
}

export interface ServeProcess {
  child: ChildProcess
  /** Base URL and token from the line it printed. */
  url: string
  token: string
  output(): string
  stop(): Promise<number | null>
}

/**
 * Runs the real `npm run serve` entry (src/main/headless/serve.ts under tsx) in its own process,
 * so a request that crashes the host shows as an exit rather than taking the test runner down.
 */
export async function spawnServe(dataDir: string, args: string[] = []): Promise<ServeProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main/headless/serve.ts', '--port', '0', '--data-dir', dataDir, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  const opened = await Promise.race([
    new Promise<RegExpExecArray>((resolve) => {
      const look = (): void => {
        const m = /^Open (https?:\/\/\S+)\/#token=([0-9a-f]{64})$/m.exec(out)
        if (m) resolve(m)
        else child.stdout!.once('data', look)
      }
      look()
    }),
    exited.then((code) => {
      throw new Error(`serve exited (${code}) before printing its URL:\n${out}`)
    }),
    new Promise<never>((_r, reject) =>
      setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 20_000),
    ),
  ])
  return {
    child,
    url: opened[1]!,
    token: opened[2]!,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      return exited
    },
  }
}
