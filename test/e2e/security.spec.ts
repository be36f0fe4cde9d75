import { request as httpRequest } from 'node:http'
import { expect, test } from './fixtures'

/** Status of a WebSocket upgrade request (101 when accepted). */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': Buffer.alloc(16, 7).toString('base64'),
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

test('the host refuses requests without its token', async ({ host }) => {
  expect((await fetch(`${host.url}/`)).status).toBe(401)
  expect((await fetch(`${host.url}/?token=not-the-token`)).status).toBe(401)
  expect(await upgradeStatus(`${host.url}/ws`)).toBe(401)
  expect(await upgradeStatus(`${host.url}/ws?token=not-the-token`)).toBe(401)

  // With the token both work.
  expect((await fetch(host.appUrl)).status).toBe(200)
  expect(await upgradeStatus(`${host.url}/ws?token=${encodeURIComponent(host.token)}`)).toBe(101)
})

test('/healthz answers without the token', async ({ host }) => {
  const res = await fetch(`${host.url}/healthz`)
  expect(res.status).toBe(200)
  expect(await res.json()).toMatchObject({ status: 'ok' })
})
