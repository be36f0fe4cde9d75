import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { request } from 'node:https'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { silentLogger } from '../../src/main/log'
import { HandlerRegistry } from '../../src/main/rpc/registry'
import { createSystemDomain } from '../../src/main/system/handlers'
import type { CallContext } from '../../src/main/rpc/handlers'
import { connect, spawnServe, useHosts, wsUrl } from './support'

const { startHost, tempDir } = useHosts()

/** An IPv4 address of this machine that is not loopback, if it has one. */
function lanAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address
  }
  return undefined
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl; null when there is none. */
function selfSigned(dir: string): { certFile: string; keyFile: string; cert: Buffer; key: Buffer } | null {
  const certFile = join(dir, 'cert.pem')
  const keyFile = join(dir, 'key.pem')
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { encoding: 'utf8' },
  )
  if (made.error || made.status !== 0) return null
  return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) }
}

function httpsGet(
  url: string,
  ca: Buffer,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('system.info and where the caller is', () => {
  const info = {
    version: '1.0.0',
    host: 'headless' as const,
    dataDir: '/home/trader/.config/Candlework',
    startedAt: 1,
  }
  const registry = new HandlerRegistry(silentLogger, { checkResults: true }).add(
    createSystemDomain(info).handlers,
  )
  const call = (ctx: CallContext) => registry.invoke('system.info', {}, ctx)

  it('shows the data folder to the desktop app and to loopback peers only, within the contract', async () => {
    expect(await call({ transport: 'ipc', peer: 'window#1' })).toMatchObject({
      ok: true,
      value: { dataDir: info.dataDir },
    })
    expect(await call({ transport: 'websocket', peer: 'ws#1', loopback: true })).toMatchObject({
      ok: true,
      value: { dataDir: info.dataDir },
    })
    for (const ctx of [
      { transport: 'websocket' as const, peer: 'ws#2', loopback: false },
      { transport: 'websocket' as const, peer: 'ws#3' }, // not known: treated as remote
    ]) {
      expect(await call(ctx)).toEqual({ ok: true, value: { ...info, dataDir: null } })
    }
  })

  it('a client connecting over a LAN address does not see the data folder', async (ctx) => {
    const lan = lanAddress()
    if (!lan) {
      const why = 'this machine has no non-loopback IPv4 address to connect from'
      process.stdout.write(`remote.test.ts: skipped because ${why}\n`)
      return ctx.skip(why)
    }
    const { host, token, dataDir } = await startHost({ host: lan })
    expect(host.url).toContain(lan)
    const remote = connect(wsUrl(host), { bearer: token })
    await remote.ready
    expect(await remote.client.invoke('system.info', {})).toMatchObject({
      ok: true,
      value: { dataDir: null },
    })
    remote.socket.close()
    expect(dataDir).toBeTruthy()
  })
})

describe('--host and TLS', () => {
  const serveOnce = (args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/main/headless/serve.ts', '--port', '0', '--data-dir', tempDir(), ...args],
      { encoding: 'utf8', timeout: 20_000 },
    )

  it('refuses a --host that is not loopback without --allow-remote, and --allow-remote without TLS', () => {
    for (const args of [
      ['--host', '0.0.0.0'],
      ['--host', '127.evil.example'],
      ['--host', '0.0.0.0', '--allow-remote'],
    ]) {
      const run = serveOnce(args)
      expect(run.status, args.join(' ')).toBe(2)
      expect(run.stdout, args.join(' ')).not.toMatch(/Open /)
      expect(run.stderr, args.join(' ')).toMatch(/not loopback|needs TLS/)
    }
  })

  it('with --allow-remote --insecure-http it starts, warning on stderr', async () => {
    const lan = lanAddress() ?? '0.0.0.0'
    const serve = await spawnServe(tempDir(), ['--host', lan, '--allow-remote', '--insecure-http'])
    try {
      expect(serve.output()).toMatch(/WARNING: serving .* over plain HTTP/)
    } finally {
      await serve.stop()
    }
  })

  it('serves HTTPS and WSS with --tls-cert and --tls-key (openssl makes a certificate for the test)', async (ctx) => {
    const dir = tempDir()
    const tls = selfSigned(dir)
    if (!tls) {
      const why = 'openssl is not available to make a test certificate'
      process.stdout.write(`remote.test.ts: skipped because ${why}\n`)
      return ctx.skip(why)
    }
    const serve = await spawnServe(tempDir(), [
      '--host',
      '0.0.0.0',
      '--allow-remote',
      '--tls-cert',
      tls.certFile,
      '--tls-key',
      tls.keyFile,
    ])
    try {
      expect(serve.url).toMatch(/^https:\/\//)
      expect(serve.output()).not.toMatch(/WARNING/)
      const port = new URL(serve.url).port
      const base = `https://127.0.0.1:${port}`
      const health = await httpsGet(`${base}/healthz`, tls.cert)
      expect(health.status).toBe(200)
      expect(String(health.headers['content-security-policy'])).toContain(`wss://127.0.0.1:${port}`)
      const socket = new WebSocket(`wss://127.0.0.1:${port}/ws`, {
        ca: tls.cert,
        headers: { Authorization: `Bearer ${serve.token}` },
      })
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve())
        socket.once('error', reject)
      })
      socket.close()
      // Plain HTTP to the TLS port is not served (and does not hurt the host).
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow()
      expect((await httpsGet(`${base}/healthz`, tls.cert)).status).toBe(200)
    } finally {
      await serve.stop()
    }
  })
})
