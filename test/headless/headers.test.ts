import type { IncomingHttpHeaders } from 'node:http'
import { describe, expect, it } from 'vitest'
import { connect, httpGet, parseHead, rawExchange, useHosts, wsUrl } from './support'

const { startHost } = useHosts()

/** What every answer must carry, whatever its status. */
function expectSecurityHeaders(
  headers: IncomingHttpHeaders | Record<string, string>,
  what: string,
  port: number,
) {
  const csp = String(headers['content-security-policy'] ?? '')
  for (const part of [
    "default-src 'self'",
    "script-src 'self'",
    `connect-src 'self' `,
    `ws://127.0.0.1:${port}`,
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ]) {
    expect(csp, `${what}: CSP has ${part}`).toContain(part)
  }
  // Only this host's own WebSocket origins: no scheme-wide `ws:` or another port.
  const connect = /connect-src ([^;]*)/.exec(csp)![1]!.split(' ')
  for (const source of connect.slice(1))
    expect(source, `${what}: connect-src`).toMatch(new RegExp(`^ws://[^ ]+:${port}$`))
  expect(headers['x-content-type-options'], what).toBe('nosniff')
  expect(headers['referrer-policy'], what).toBe('no-referrer')
  expect(headers['x-frame-options'], what).toBe('DENY')
  expect(headers['cross-origin-opener-policy'], what).toBe('same-origin')
  expect(headers['cross-origin-resource-policy'], what).toBe('same-origin')
  expect(headers['set-cookie'], `${what}: no cookie`).toBeUndefined()
}

describe('security headers', () => {
  it('are on every answer: pages, assets, /healthz and every refusal', async () => {
    const { host, token, port } = await startHost()
    const auth = { Authorization: `Bearer ${token}` }
    const cases: {
      what: string
      status: number
      url: string
      method?: string
      headers?: Record<string, string>
    }[] = [
      { what: 'shell', status: 200, url: '/' },
      { what: 'asset', status: 200, url: '/assets/app.js' },
      { what: 'HEAD', status: 200, url: '/', method: 'HEAD' },
      { what: 'healthz', status: 200, url: '/healthz' },
      { what: 'auth ok', status: 204, url: '/auth-check', headers: auth },
      { what: 'auth refused', status: 401, url: '/auth-check' },
      { what: 'not found', status: 404, url: '/assets/missing.js' },
      { what: 'method', status: 405, url: '/', method: 'POST' },
      { what: 'preflight', status: 405, url: '/auth-check', method: 'OPTIONS' },
      { what: 'misdirected', status: 421, url: '/healthz', headers: { Host: 'evil.example' } },
      { what: 'other origin', status: 403, url: '/', headers: { Origin: 'http://evil.example' } },
      { what: 'ws over http', status: 426, url: '/ws' },
      { what: 'bad path', status: 400, url: '/%' },
      { what: 'not UTF-8', status: 400, url: '/%ff%fe' },
      { what: 'expectation', status: 417, url: '/', headers: { Expect: 'teapot' } },
    ]
    for (const c of cases) {
      const res = await httpGet(`${host.url}${c.url}`, { method: c.method, headers: c.headers })
      expect(res.status, c.what).toBe(c.status)
      expectSecurityHeaders(res.headers, c.what, port)
      if (c.status !== 200) expect(res.headers['cache-control'], c.what).toBe('no-store')
    }
  })

  it('are on refused WebSocket upgrades, the 101 that accepts one, and answers to unparsable requests', async () => {
    const { host, token, port } = await startHost()
    for (const [what, headers, status] of [
      ['no token', {}, 401],
      ['other site', { Authorization: `Bearer ${token}`, Origin: 'http://evil.example' }, 403],
      ['misdirected', { Authorization: `Bearer ${token}`, Host: 'evil.example' }, 421],
    ] as const) {
      const res = await httpGet(`${host.url}/ws`, { upgrade: true, headers })
      expect(res.status, what).toBe(status)
      expectSecurityHeaders(res.headers, what, port)
    }
    const accepted = connect(wsUrl(host), { bearer: token })
    let upgradeHeaders: IncomingHttpHeaders = {}
    accepted.socket.once('upgrade', (res) => (upgradeHeaders = res.headers))
    await accepted.ready
    expectSecurityHeaders(upgradeHeaders, '101', port)
    accepted.socket.close()

    const garbage = parseHead(await rawExchange(port, 'GARBAGE\r\n\r\n'))
    expect(garbage.status).toBe(400)
    expectSecurityHeaders(garbage.headers, 'unparsable', port)
    const huge = parseHead(
      await rawExchange(
        port,
        `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
      ),
    )
    expect(huge.status).toBe(431)
    expectSecurityHeaders(huge.headers, 'headers too large', port)
  })
})
