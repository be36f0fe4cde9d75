import { spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { loadOrCreateToken } from '../../src/main/headless/token'
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src/shared/rpc/ws-auth'
import { connect, SHELL_HTML, useHosts, wsUrl } from './support'

const { startHost, tempDir } = useHosts()

describe('headless host', () => {
  it('binds to loopback by default and answers /healthz without the token, saying nothing else', async () => {
    const { host } = await startHost()
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${host.url}/healthz`)
    expect(res.status).toBe(200)
    // Whether it is healthy, no version or uptime: those need the token (system.info).
    expect(await res.json()).toEqual({ status: 'ok' })
  })

  it('/healthz answers 503 once the engine is closing', async () => {
    const { host, engine } = await startHost()
    await engine.close()
    const res = await fetch(`${host.url}/healthz`)
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ status: 'unavailable' })
  })

  it('serves the app shell without the token, and never sets a cookie', async () => {
    const { host } = await startHost()
    for (const path of ['/', '/trade', '/assets/app.js']) {
      const res = await fetch(`${host.url}${path}`)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('set-cookie'), path).toBeNull()
    }
    const shell = await fetch(`${host.url}/`)
    expect(await shell.text()).toBe(SHELL_HTML)
    expect(shell.headers.get('cache-control')).toBe('no-store')
  })

  it('the appUrl carries the token in its fragment only', async () => {
    const { host, token } = await startHost()
    const url = new URL(host.appUrl)
    expect(url.origin).toBe(host.url)
    expect(url.search).toBe('')
    expect(url.hash).toBe(`#token=${token}`)
  })

  it('refuses a WebSocket without the token (401), with a wrong one, with it in the URL, or from another site (403)', async () => {
    const { host, token } = await startHost()
    await expect(connect(wsUrl(host), { none: true }).ready).rejects.toThrow(/401/)
    await expect(connect(wsUrl(host), { bearer: '0'.repeat(64) }).ready).rejects.toThrow(/401/)
    await expect(connect(wsUrl(host), { protocol: '0'.repeat(64) }).ready).rejects.toThrow(/401/)
    // URLs end up in logs and histories: a token there is not accepted.
    await expect(connect(`${wsUrl(host)}?token=${token}`, { none: true }).ready).rejects.toThrow(/401/)
    await expect(
      connect(wsUrl(host), { bearer: token }, { Origin: 'https://evil.example' }).ready,
    ).rejects.toThrow(/403/)
    await expect(
      connect(wsUrl(host), { protocol: token }, { Origin: 'http://127.0.0.1:1' }).ready,
    ).rejects.toThrow(/403/)
  })

  it('accepts the token as a Bearer header (scripts) or as a subprotocol that is never echoed (browsers)', async () => {
    const { host, token } = await startHost()
    const bearer = connect(wsUrl(host), { bearer: token })
    await bearer.ready
    expect(await bearer.client.invoke('system.info', {})).toMatchObject({ ok: true })
    bearer.socket.close()

    // As a browser page of this host does it: its own Origin, the token as a subprotocol.
    const page = connect(wsUrl(host), { protocol: token }, { Origin: host.url })
    const { protocolHeader } = await page.ready
    expect(protocolHeader).toBe(WS_PROTOCOL)
    expect(page.socket.protocol).toBe(WS_PROTOCOL)
    expect(await page.client.invoke('system.info', {})).toMatchObject({ ok: true })
    page.socket.close()

    // The token as the only subprotocol: refused with a reason rather than half-accepted.
    await expect(connect(wsUrl(host), { protocols: [WS_TOKEN_PREFIX + token] }).ready).rejects.toThrow(/400/)
  })

  it('serves the contract over the WebSocket with the token; a loopback client sees the data folder', async () => {
    const { host, token, dataDir } = await startHost()
    const { client, ready } = connect(wsUrl(host), { bearer: token })
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
    const { socket, client, ready } = connect(wsUrl(host), { bearer: token })
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
    const socket = new WebSocket(wsUrl(host), { headers: { Authorization: `Bearer ${token}` } })
    const beats: { at: number; msg: unknown }[] = []
    const opened = Date.now()
    socket.on('message', (d) => beats.push({ at: Date.now() - opened, msg: JSON.parse(d.toString()) }))
    await vi.waitFor(() => expect(beats.length).toBeGreaterThanOrEqual(4), { timeout: 15_000 })
    socket.close()
    expect(beats.map((b) => b.msg)).toEqual(beats.map(() => ({ type: 'heartbeat', everyMs: 200 })))
    expect(beats[0]!.at).toBeLessThan(200) // before the first interval ends
    // Spaced by the interval (timers may run late on a busy machine, never early).
    for (let i = 2; i < beats.length; i++) expect(beats[i]!.at - beats[i - 1]!.at).toBeGreaterThanOrEqual(150)
  })

  it('cuts off a peer that stops answering pings, and ends its streams', async () => {
    const { host, token, engine } = await startHost({ heartbeatMs: 200 })
    const { socket, client, ready } = connect(wsUrl(host), { bearer: token })
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
  it('prints its URL with the token in the fragment, and on SIGTERM checkpoints the WAL and exits 0', async () => {
    const dataDir = tempDir()
    const out = await runServe(dataDir, [])
    expect(out).toMatch(/^Open http:\/\/127\.0\.0\.1:\d+\/#token=[0-9a-f]{64}$/m)
    expect(out).not.toMatch(/[?&]token=/)
    const wal = join(dataDir, 'candlework.db-wal')
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true)
    expect(existsSync(join(dataDir, 'candlework.db'))).toBe(true)
  })

  it('--new-token replaces the token before it starts', async () => {
    const dataDir = tempDir()
    const old = loadOrCreateToken(dataDir)
    const out = await runServe(dataDir, ['--new-token'])
    const printed = /#token=([0-9a-f]{64})$/m.exec(out)![1]
    expect(printed).not.toBe(old)
    expect(readFileSync(join(dataDir, 'headless-token'), 'utf8').trim()).toBe(printed)
  })
})

/** Starts src/main/headless/serve.ts, waits for its URL, stops it with SIGTERM; its stdout. */
async function runServe(dataDir: string, args: string[]): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main/headless/serve.ts', '--port', '0', '--data-dir', dataDir, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  await vi.waitFor(() => expect(out).toMatch(/^Open \S+$/m), { timeout: 20_000, interval: 50 })
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve))
  child.kill('SIGTERM')
  expect(await exit).toBe(0)
  return out
}
