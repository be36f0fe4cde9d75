import { describe, expect, it } from 'vitest'
import { settleOpenCheck } from '../../src/main/storage/database'
import { useHosts } from './support'

const { startHost } = useHosts()

describe('GET /metrics and /healthz', () => {
  it('answers the health figures in Prometheus text with the token, and nothing without it', async () => {
    const { host, token } = await startHost()
    const bare = await fetch(`${host.url}/metrics`)
    expect(bare.status).toBe(401)
    expect(await bare.text()).not.toMatch(/candlework_/)
    const wrong = await fetch(`${host.url}/metrics`, { headers: { Authorization: 'Bearer 00' } })
    expect(wrong.status).toBe(401)

    const res = await fetch(`${host.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    const text = await res.text()
    expect(text).toMatch(
      /^# HELP candlework_uptime_seconds .+\n# TYPE candlework_uptime_seconds gauge\ncandlework_uptime_seconds \d/m,
    )
    expect(text).toMatch(/^candlework_database_size_bytes \d+$/m)
    expect(text).toMatch(/^candlework_database_damaged 0$/m)
    // No verified backup yet: the item is amber and its age absent.
    expect(text).toMatch(/^candlework_backup_state 1$/m)
    expect(text).not.toMatch(/backup_last_verified_age_seconds/)
    // Every sample line is `name{labels} number`.
    for (const line of text
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#'))) {
      expect(line).toMatch(/^candlework_[a-z0-9_]+(\{[^}]*\})? -?[\d.e+-]+$/)
    }
  })

  it('/healthz turns 503 when the database is found damaged', async () => {
    const { host, engine } = await startHost()
    expect((await fetch(`${host.url}/healthz`)).status).toBe(200)
    settleOpenCheck(engine.db, ['page 7 is never used'], Date.now(), 1)
    const res = await fetch(`${host.url}/healthz`)
    expect(res.status).toBe(503)
    expect(await res.json()).toEqual({ status: 'unavailable' })
  })
})
