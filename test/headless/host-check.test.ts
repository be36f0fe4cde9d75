import { describe, expect, it } from 'vitest'
import { httpGet, parseHead, rawExchange, useHosts, wsUrl } from './support'

const { startHost } = useHosts()

describe('Host header allowlist (DNS rebinding)', () => {
  it('refuses with 421 any Host that is not this host and port, on HTTP, /healthz and WebSocket upgrades', async () => {
    const { host, token, port } = await startHost()
    const auth = { Authorization: `Bearer ${token}` }
    const targets = [
      { url: `${host.url}/`, headers: {} },
      { url: `${host.url}/healthz`, headers: {} },
      { url: `${host.url}/auth-check`, headers: auth },
      { url: wsUrl(host).replace(/^ws/, 'http'), headers: auth, upgrade: true },
    ]
    const foreign = [
      `evil.example:${port}`, // a rebound DNS name
      `127.evil.example:${port}`, // looks like loopback, is a DNS name
      `127.0.0.1:${port + 1}`, // another port
      `127.0.0.1`, // no port: port 80
      `localhost:${port}@evil.example`,
    ]
    for (const t of targets) {
      for (const Host of foreign) {
        const res = await httpGet(t.url, { headers: { ...t.headers, Host }, upgrade: t.upgrade })
        expect(res.status, `${t.url} with Host "${Host}"`).toBe(421)
      }
      for (const Host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
        const res = await httpGet(t.url, { headers: { ...t.headers, Host }, upgrade: t.upgrade })
        expect(res.status, `${t.url} with Host "${Host}"`).toBe(
          t.upgrade ? 101 : t.url.endsWith('check') ? 204 : 200,
        )
      }
    }
  })

  it('refuses a request without any Host (HTTP/1.0 and 1.1) with 421, not a crash or a page', async () => {
    const { port } = await startHost()
    for (const version of ['1.0', '1.1']) {
      const raw = await rawExchange(port, `GET /healthz HTTP/${version}\r\n\r\n`)
      expect(parseHead(raw).status, version).toBe(421)
    }
  })

  it('refuses HTTP requests a page on another origin makes (403), serves its own', async () => {
    const { host } = await startHost()
    for (const Origin of ['http://127.0.0.1:1', 'http://evil.example', 'null', `${host.url}.evil.example`]) {
      expect((await httpGet(`${host.url}/`, { headers: { Origin } })).status, Origin).toBe(403)
    }
    expect((await httpGet(`${host.url}/`, { headers: { Origin: host.url } })).status).toBe(200)
  })

  it('accepts a browser WebSocket only from its own origin, any of its names', async () => {
    const { host, token, port } = await startHost()
    const upgrade = (Origin: string) =>
      httpGet(`${host.url}/ws`, {
        upgrade: true,
        headers: { Origin, 'Sec-WebSocket-Protocol': `candlework.v1, candlework.token.${token}` },
      })
    for (const origin of [host.url, `http://localhost:${port}`, `http://[::1]:${port}`]) {
      expect((await upgrade(origin)).status, origin).toBe(101)
    }
    for (const origin of [
      `https://127.0.0.1:${port}`, // other scheme
      `http://127.0.0.1:${port + 1}`, // other port
      `http://evil.example:${port}`,
      'null',
      'garbage',
    ]) {
      expect((await upgrade(origin)).status, origin).toBe(403)
    }
  })
})
