/** The headless host's CSV download: token-protected, same-origin only, streamed, cancellable. */
import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { insertFiring } from '../../src/main/alerts/store'
import { insertFill } from '../../src/main/trading/store'
import type { Engine } from '../../src/main/engine'
import { httpGet, useHosts } from './support'

const { startHost } = useHosts()
const ctx = { transport: 'memory', peer: 'test' } as const
const T0 = Date.UTC(2024, 2, 1, 12)

/** `n` round trips on the demo paper account, journaled. */
async function seed(engine: Engine, n: number): Promise<void> {
  engine.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      for (const [k, side, price] of [
        [0, 'buy', '100'],
        [1, 'sell', i % 2 ? '101.5' : '99.25'],
      ] as const) {
        insertFill(
          engine.db,
          {
            accountId: 'demo-paper',
            tradeId: `t${i}-${k}`,
            exchangeOrderId: `o${i}-${k}`,
            clientOrderId: null,
            symbol: 'BTC/USDT',
            side,
            amount: '0.5',
            price,
            cost: '50',
            fee: { cost: '0.05', currency: 'USDT' },
            takerOrMaker: 'taker',
            time: T0 + (2 * i + k) * 60_000,
          },
          T0,
        )
      }
    }
  })()
  const r = await engine.registry.invoke('journal.rebuild', {}, ctx)
  expect(r.ok).toBe(true)
}

describe('GET /export/<kind>.csv', () => {
  it('streams the journal trades as an attachment to a request carrying the token', async () => {
    const { host, token, engine } = await startHost()
    await seed(engine, 2)
    const res = await httpGet(
      `${host.url}/export/trades.csv?columns=entry_time,symbol,net_pnl,tags&excel=1&localTime=UTC`,
      { headers: { Authorization: `Bearer ${token}`, Origin: host.url } },
    )
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="candlework-trades-\d{4}-\d\d-\d\d\.csv"$/,
    )
    expect(res.headers['x-candlework-rows']).toBe('2')
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/)
    expect(res.body).toBe(
      '\ufeffentry_time,entry_time_local,symbol,net_pnl,tags\r\n' +
        '2024-03-01T12:00:00.000Z,2024-03-01T12:00:00.000+00:00,BTC/USDT,-0.475,\r\n' +
        '2024-03-01T12:02:00.000Z,2024-03-01T12:02:00.000+00:00,BTC/USDT,0.65,\r\n',
    )
    const fills = await httpGet(
      `${host.url}/export/fills.csv?account=demo-paper&from=${T0 + 60_000}&to=${T0 + 120_000}`,
      {
        headers: { Authorization: `Bearer ${token}` },
      },
    )
    expect(fills.status).toBe(200)
    expect(fills.body.split('\r\n').slice(1, -1)).toHaveLength(1)
  })

  it('streams the alert history, filtered by alert, symbol and kind like the Alerts view', async () => {
    const { host, token, engine } = await startHost()
    for (const [i, alertId, symbol, kind] of [
      [0, 'a1', 'BTC/USDT', 'compare'],
      [1, 'a1', 'ETH/USDT', 'compare'],
      [2, 'a2', 'BTC/USDT', 'move'],
    ] as const)
      insertFiring(engine.db, {
        alertId,
        alertName: `Alert ${alertId}`,
        series: { source: 'demo', symbol, timeframe: '1m' },
        kind,
        symbol,
        time: T0 + i * 60_000,
        barTime: T0 + i * 60_000,
        away: false,
        message: `=fired ${i}`,
        values: {},
      })
    const auth = { headers: { Authorization: `Bearer ${token}` } }
    const all = await httpGet(`${host.url}/export/alerts.csv?columns=time,alert,symbol,kind,message`, auth)
    expect(all.status).toBe(200)
    expect(all.headers['x-candlework-rows']).toBe('3')
    expect(all.headers['content-disposition']).toMatch(/filename="candlework-alerts-/)
    expect(all.body.split('\r\n')[1]).toBe("2024-03-01T12:00:00.000Z,Alert a1,BTC/USDT,compare,'=fired 0")
    const some = await httpGet(
      `${host.url}/export/alerts.csv?columns=message&alert=a1&symbol=BTC%2FUSDT&kind=compare&from=${T0}&to=${T0 + 60_000}`,
      auth,
    )
    expect(some.body).toBe("message\r\n'=fired 0\r\n")
    const bad = await httpGet(`${host.url}/export/alerts.csv?kind=nope`, auth)
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).error).toMatch(/^kind: "nope" is not one of/)
  })

  it('refuses without the token, with a wrong one, from another origin or Host, and names a bad parameter', async () => {
    const { host, token, engine, port } = await startHost()
    await seed(engine, 1)
    const url = `${host.url}/export/trades.csv`
    expect((await httpGet(url)).status).toBe(401)
    expect((await httpGet(url, { headers: { Authorization: `Bearer ${token}x` } })).status).toBe(401)
    // The token in the URL is not a credential (it would land in logs and history).
    expect((await httpGet(`${url}?token=${token}`)).status).toBe(401)
    for (const Origin of ['http://evil.example', 'null', `http://127.0.0.1:${port + 1}`]) {
      const res = await httpGet(url, { headers: { Authorization: `Bearer ${token}`, Origin } })
      expect(res.status, Origin).toBe(403)
      expect(res.body).not.toContain('BTC/USDT')
    }
    const rebound = await httpGet(url, {
      headers: { Authorization: `Bearer ${token}`, Host: `evil.example:${port}` },
    })
    expect(rebound.status).toBe(421)
    const post = await httpGet(url, { method: 'POST', headers: { Authorization: `Bearer ${token}` } })
    expect(post.status).toBe(405)
    const bad = await httpGet(`${url}?columns=symbol,pnl`, { headers: { Authorization: `Bearer ${token}` } })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body).error).toMatch(/^columns: unknown column "pnl"/)
    const zone = await httpGet(`${url}?localTime=Mars/Base`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(zone.status).toBe(400)
    expect(
      (await httpGet(`${host.url}/export/secrets.csv`, { headers: { Authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(404)
  })

  it('stops when the browser cancels, and keeps serving', async () => {
    const { host, token, engine } = await startHost()
    await seed(engine, 6_000)
    // Read the first bytes, then drop the connection, as a cancelled download does.
    await new Promise<void>((resolve, reject) => {
      const req = request(`${host.url}/export/fills.csv`, { headers: { Authorization: `Bearer ${token}` } })
      req.on('response', (res) => {
        expect(res.headers['x-candlework-rows']).toBe('12000')
        res.once('data', () => {
          req.destroy()
          resolve()
        })
      })
      req.on('error', reject)
      req.end()
    })
    const after = await httpGet(`${host.url}/export/trades.csv?columns=symbol`, {
      headers: { Authorization: `Bearer ${token}` },
    })
    expect(after.status).toBe(200)
    expect(after.body.split('\r\n')).toHaveLength(6_002)
  })
})
