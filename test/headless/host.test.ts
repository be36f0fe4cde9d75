import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { startHeadlessHost, type HeadlessHost } from '../../src/main/headless/server'
import { loadOrCreateToken } from '../../src/main/headless/token'
import { RpcClient } from '../../src/shared/rpc/client'
import { serverMessageSchema } from '../../src/shared/rpc/wire'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const open: { host: HeadlessHost; engine: Engine }[] = []
afterEach(async () => {
  for (const { host, engine } of open.splice(0)) {
    await host.close()
    await engine.close()
  }
})

async function startHost(options: { heartbeatMs?: number } = {}) {
  const dataDir = tempDir()
  const staticDir = join(dataDir, 'static')
  mkdirSync(staticDir)
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>test shell</title>')
  const engine = createEngine({ dataDir, host: 'headless', log: silentLogger })
  const token = loadOrCreateToken(dataDir)
  const host = await startHeadlessHost({ engine, token, staticDir, port: 0, ...options })
  open.push({ host, engine })
  return { host, token, dataDir, engine }
}

function connect(url: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers })
  const client = new RpcClient((m) => socket.send(JSON.stringify(m)), 5_000)
  socket.on('message', (d) => client.receive(serverMessageSchema.parse(JSON.parse(d.toString()))))
  socket.on('close', () => client.close())
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    socket.once('error', reject)
  })
  return { socket, client, ready }
}

describe('headless host', () => {
  it('binds to loopback by default and answers /healthz without the token', async () => {
    const { host } = await startHost()
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${host.url}/healthz`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'ok' })
  })

  it('refuses HTTP without the token or with a wrong one (401), serves the app with it', async () => {
    const { host, token } = await startHost()
    expect((await fetch(`${host.url}/`)).status).toBe(401)
    expect((await fetch(`${host.url}/?token=${'0'.repeat(64)}`)).status).toBe(401)
    const ok = await fetch(`${host.url}/?token=${token}`)
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-security-policy')).toMatch(/script-src 'self'/)
    expect(await ok.text()).toContain('test shell')
    const cookie = ok.headers.get('set-cookie')!.split(';')[0]!
    expect((await fetch(`${host.url}/`, { headers: { cookie } })).status).toBe(200)
  })

  it('refuses a WebSocket without the token (401) and from another site (403)', async () => {
    const { host, token } = await startHost()
    const wsUrl = host.url.replace('http', 'ws') + '/ws'
    await expect(connect(wsUrl).ready).rejects.toThrow(/401/)
    await expect(
      connect(`${wsUrl}?token=${token}`, { Origin: 'https://evil.example' }).ready,
    ).rejects.toThrow(/403/)
  })

  it('serves the contract over the WebSocket with the token', async () => {
    const { host, token, dataDir } = await startHost()
    const { client, ready } = connect(`${host.url.replace('http', 'ws')}/ws?token=${token}`)
    await ready
    const info = await client.invoke('system.info', {})
    expect(info).toMatchObject({ ok: true, value: { host: 'headless', dataDir } })
    const bad = await client.invoke('market.candles', {
      source: 'demo',
      symbol: 'BTC/USDT',
      timeframe: '2m' as '1m',
    })
    expect(bad).toMatchObject({ ok: false, error: { kind: 'validation', path: 'params.timeframe' } })
  })

  it('disposes a socket’s subscriptions when it closes', async () => {
    const { host, token, engine } = await startHost()
    const { socket, client, ready } = connect(`${host.url.replace('http', 'ws')}/ws?token=${token}`)
    await ready
    const dispose = vi.fn()
    const subscribe = engine.registry.subscribe.bind(engine.registry)
    vi.spyOn(engine.registry, 'subscribe').mockImplementation((...args) => {
      const started = subscribe(...args)
      if (!started.ok) return started
      return { ok: true, dispose: () => (dispose(), started.dispose()) }
    })
    const events: unknown[] = []
    client.subscribe('market.tickers', {}, (e) => events.push(e))
    await vi.waitFor(() => expect(events.length).toBeGreaterThan(0))
    expect(dispose).not.toHaveBeenCalled()
    socket.close()
    await vi.waitFor(() => expect(dispose).toHaveBeenCalledOnce())
  })

  it('tells each browser it is alive every heartbeatMs, the first time at once', async () => {
    const { host, token } = await startHost({ heartbeatMs: 200 })
    const socket = new WebSocket(`${host.url.replace('http', 'ws')}/ws?token=${token}`)
    const beats: { at: number; msg: unknown }[] = []
    const opened = Date.now()
    socket.on('message', (d) => beats.push({ at: Date.now() - opened, msg: JSON.parse(d.toString()) }))
    await vi.waitFor(() => expect(beats.length).toBeGreaterThanOrEqual(4), { timeout: 5_000 })
    socket.close()
    expect(beats.map((b) => b.msg)).toEqual(beats.map(() => ({ type: 'heartbeat', everyMs: 200 })))
    expect(beats[0]!.at).toBeLessThan(200) // before the first interval ends
    // Spaced by the interval (timers may run late on a busy machine, never early).
    for (let i = 2; i < beats.length; i++) expect(beats[i]!.at - beats[i - 1]!.at).toBeGreaterThanOrEqual(150)
  })

  it('cuts off a peer that stops answering pings, and ends its streams', async () => {
    const { host, token, engine } = await startHost({ heartbeatMs: 200 })
    const { socket, client, ready } = connect(`${host.url.replace('http', 'ws')}/ws?token=${token}`)
    await ready
    const dispose = vi.fn()
    const subscribe = engine.registry.subscribe.bind(engine.registry)
    vi.spyOn(engine.registry, 'subscribe').mockImplementation((...args) => {
      const started = subscribe(...args)
      if (!started.ok) return started
      return { ok: true, dispose: () => (dispose(), started.dispose()) }
    })
    const events: unknown[] = []
    client.subscribe('market.tickers', {}, (e) => events.push(e))
    await vi.waitFor(() => expect(events.length).toBeGreaterThan(0))
    // A peer that answered pings is kept for many intervals...
    await new Promise((r) => setTimeout(r, 1000))
    expect(dispose).not.toHaveBeenCalled()
    // ...one that reads nothing (a frozen tab, a dead network) is not: no pong comes back.
    socket.pause()
    await vi.waitFor(() => expect(dispose).toHaveBeenCalledOnce(), { timeout: 3_000 })
    socket.resume()
    await vi.waitFor(() => expect(socket.readyState).toBe(WebSocket.CLOSED))
  })

  it('keeps the same token across restarts of one data folder', async () => {
    const dir = tempDir()
    expect(loadOrCreateToken(dir)).toBe(loadOrCreateToken(dir))
    expect(statSync(join(dir, 'headless-token')).mode & 0o077).toBe(0)
  })
})

describe('npm run serve', () => {
  it('prints its URL, and on SIGTERM checkpoints the WAL and exits 0', async () => {
    const dataDir = tempDir()
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/main/headless/serve.ts', '--port', '0', '--data-dir', dataDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    await vi.waitFor(() => expect(out).toMatch(/Open http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}/), {
      timeout: 20_000,
      interval: 50,
    })
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve))
    child.kill('SIGTERM')
    expect(await exit).toBe(0)
    const wal = join(dataDir, 'candlework.db-wal')
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true)
    expect(existsSync(join(dataDir, 'candlework.db'))).toBe(true)
  })
})
