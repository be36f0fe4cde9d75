import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { newToken } from './host'

/** Status of a WebSocket upgrade request (101 when accepted). */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.alloc(16, 7).toString('base64'),
        ...headers,
      },
    })
    req.on('upgrade', (res, socket) => {
      socket.destroy()
      resolve(res.statusCode ?? 0)
    })
    req.on('response', (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * Another web server on 127.0.0.1, as any local tool or a page the trader opens might run: it
 * records every request it gets, and serves a page that tries everything a hostile page could
 * to reach the engine (its WebSocket, with and without a token; its HTTP endpoints).
 */
async function otherSite(): Promise<{
  url: string
  seen: { url: string; headers: IncomingHttpHeaders }[]
  close(): Promise<void>
}> {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = []
  const page = `<!doctype html><title>another site</title><img src="/pixel.png"><script>
    function tryWs(url, protocols) {
      return new Promise((resolve) => {
        let opened = false
        let ws
        try { ws = new WebSocket(url, protocols) } catch (e) { resolve('threw ' + e.name); return }
        ws.onopen = () => { opened = true }
        ws.onmessage = (e) => resolve('read: ' + String(e.data).slice(0, 80))
        ws.onclose = (e) => resolve(opened ? 'opened, closed ' + e.code : 'refused')
        setTimeout(() => resolve(opened ? 'opened' : 'no answer'), 8000)
      })
    }
    async function tryFetch(url, init) {
      try {
        const r = await fetch(url, init)
        return { status: r.status, type: r.type, body: (await r.text()).slice(0, 80) }
      } catch (e) {
        return { error: e.name }
      }
    }
    window.attack = async (engine, token) => ({
      wsWithoutToken: await tryWs(engine.replace('http', 'ws') + '/ws', ['candlework.v1']),
      wsWithStolenToken: await tryWs(engine.replace('http', 'ws') + '/ws', ['candlework.v1', 'candlework.token.' + token]),
      app: await tryFetch(engine + '/'),
      appNoCors: await tryFetch(engine + '/', { mode: 'no-cors', credentials: 'include' }),
      health: await tryFetch(engine + '/healthz', { credentials: 'include' }),
      authCheck: await tryFetch(engine + '/auth-check', { headers: { Authorization: 'Bearer ' + token } }),
    })
  </script>`
  const server: Server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers })
    if (req.url === '/pixel.png') res.writeHead(204).end()
    else res.writeHead(200, { 'Content-Type': 'text/html' }).end(page)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

const connection = (page: Page) => page.getByTestId('connection')

test('static files load without the token; the engine needs it, in a header and never in the URL', async ({
  host,
}) => {
  expect((await fetch(`${host.url}/`)).status).toBe(200)
  expect((await fetch(`${host.url}/`)).headers.get('set-cookie')).toBeNull()
  expect(await upgradeStatus(`${host.url}/ws`)).toBe(401)
  expect(await upgradeStatus(`${host.url}/ws?token=${host.token}`)).toBe(401)
  expect(await upgradeStatus(`${host.url}/ws`, { Authorization: 'Bearer not-the-token' })).toBe(401)
  expect((await fetch(`${host.url}/auth-check`)).status).toBe(401)

  // With the token both work.
  expect(await upgradeStatus(`${host.url}/ws`, { Authorization: `Bearer ${host.token}` })).toBe(101)
  expect(
    await upgradeStatus(`${host.url}/ws`, {
      Origin: host.url,
      'Sec-WebSocket-Protocol': `candlework.v1, candlework.token.${host.token}`,
    }),
  ).toBe(101)
  expect(
    (await fetch(`${host.url}/auth-check`, { headers: { Authorization: `Bearer ${host.token}` } })).status,
  ).toBe(204)
})

test('/healthz answers without the token and says only that the host is healthy', async ({ host }) => {
  const res = await fetch(`${host.url}/healthz`)
  expect(res.status).toBe(200)
  expect(await res.json()).toEqual({ status: 'ok' })
})

test('another site on 127.0.0.1 never receives the token and cannot use the engine', async ({
  app,
  host,
}) => {
  const other = await otherSite()
  try {
    // The trader has the app open, then follows a link from it and opens the other site.
    const fromApp = app.context().waitForEvent('page')
    // A string, not a function: these tests compile without the DOM library.
    await app.evaluate(`(() => {
      const a = document.createElement('a')
      a.href = ${JSON.stringify(`${other.url}/from-the-app`)}
      a.target = '_blank'
      document.body.append(a)
      a.click()
      a.remove()
    })()`)
    const followed = await fromApp
    await followed.waitForLoadState()
    await followed.close()

    const evil = await app.context().newPage()
    await evil.goto(`${other.url}/`)
    // Even handed the real token (as if stolen elsewhere), a page of another origin gets nothing.
    const results = await evil.evaluate(
      ([engine, token]) =>
        (globalThis as unknown as { attack(e: string, t: string): Promise<unknown> }).attack(engine!, token!),
      [host.url, host.token],
    )
    await evil.close()

    expect(results).toEqual({
      wsWithoutToken: 'refused',
      wsWithStolenToken: 'refused', // the Origin is not the host's: 403
      app: { error: 'TypeError' }, // no CORS: the response is not readable
      appNoCors: { error: 'TypeError' }, // Cross-Origin-Resource-Policy: not even an opaque copy
      health: { error: 'TypeError' },
      authCheck: { error: 'TypeError' }, // its preflight is refused
    })

    // What the other server received: no cookie, and the token nowhere (URL, Referer, any header).
    expect(other.seen.map((r) => r.url)).toEqual(expect.arrayContaining(['/from-the-app', '/', '/pixel.png']))
    for (const r of other.seen) {
      expect(r.headers.cookie, r.url).toBeUndefined()
      expect(JSON.stringify(r), r.url).not.toContain(host.token)
    }
    const fromTheApp = other.seen.find((r) => r.url === '/from-the-app')!
    expect(fromTheApp.headers.referer).toBeUndefined() // Referrer-Policy: no-referrer
    expect(await app.context().cookies()).toEqual([])

    // The app itself is still connected and working.
    await expect(connection(app)).toHaveAttribute('data-state', 'open')
  } finally {
    await other.close()
  }
})

test('the token leaves the address bar at once, a reload keeps working, a tab without it says what to open', async ({
  app,
  host,
}) => {
  expect(app.url()).toBe(`${host.url}/`)
  expect(await app.evaluate('location.href + JSON.stringify(history.state)')).not.toContain(host.token)
  // The history entry was rewritten, not added to: Back and Forward never bring the token back.
  await app.goBack()
  await app.goForward()
  expect(app.url()).toBe(`${host.url}/`)
  await expect(connection(app)).toHaveAttribute('data-state', 'open')

  await app.reload()
  await expect(connection(app)).toHaveAttribute('data-state', 'open')
  expect(app.url()).toBe(`${host.url}/`)

  // A new tab opened on the bare address has no token: it says so and does not try.
  const bare = await app.context().newPage()
  let sockets = 0
  bare.on('websocket', () => sockets++)
  await bare.goto(`${host.url}/`)
  await expect(connection(bare)).toHaveAttribute('data-state', 'closed')
  await expect(connection(bare)).toContainText('open the URL the host printed')
  await expect(bare.locator('.notice', { hasText: 'Disconnected from the Candlework engine' })).toContainText(
    'This page has no access token: open the URL the Candlework host printed',
  )
  expect(sockets).toBe(0)
  // Once the features have given up, that one notice is all: theirs would only repeat it.
  await expect(bare.getByText('The symbol list could not be loaded.')).toBeVisible()
  await expect(bare.locator('.notice')).toHaveCount(1)
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await bare.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/no-token.png` })
  }
  // Pasting the printed URL into that tab connects it (only the fragment changes: no load by itself).
  await bare.goto(host.appUrl)
  await expect(connection(bare)).toHaveAttribute('data-state', 'open')
  expect(bare.url()).toBe(`${host.url}/`)
  await bare.close()
})

test('a new token closes the open app with a message saying so; the new printed URL connects', async ({
  app,
  host,
}) => {
  let sockets = 0
  app.on('websocket', () => sockets++)
  await newToken(host.dataDir)

  await expect(connection(app)).toHaveAttribute('data-state', 'closed')
  await expect(connection(app)).toContainText('new access token')
  await expect(app.locator('.notice', { hasText: 'Disconnected from the Candlework engine' })).toContainText(
    'The access token was changed: open the new URL the host printed',
  )
  // The host printed the new URL, its token in the fragment only.
  await expect.poll(() => host.output().match(/^Open \S+$/gm)?.length ?? 0).toBe(2)
  const printed = host
    .output()
    .match(/^Open (\S+)$/gm)!
    .at(-1)!
    .slice('Open '.length)
  const fresh = new URL(printed)
  expect(fresh.search).toBe('')
  expect(fresh.hash).toMatch(/^#token=[0-9a-f]{64}$/)
  expect(fresh.hash).not.toContain(host.token)

  // No attempts with the old token.
  await app.waitForTimeout(2_000)
  expect(sockets).toBe(0)
  if (process.env.CANDLEWORK_SCREENSHOTS) {
    await app.screenshot({ path: `${process.env.CANDLEWORK_SCREENSHOTS}/token-changed.png` })
  }

  await app.goto(printed)
  await expect(connection(app)).toHaveAttribute('data-state', 'open')
})
