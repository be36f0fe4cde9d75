/** GET /export/drift.csv?run=ID: a strategy run's drift report as a download, behind the token. */
import { describe, expect, it } from 'vitest'
import { DRIFT_HEADERS } from '../../src/main/runner/drift-csv'
import { httpGet, useHosts } from './support'

const { startHost } = useHosts()
const ctx = { transport: 'memory', peer: 'test' } as const

describe('GET /export/drift.csv', () => {
  it('downloads a run’s drift report with the token; refuses without it, without a run, for an unknown run', async () => {
    const { host, token, engine } = await startHost()
    const started = await engine.registry.invoke(
      'runner.start',
      {
        strategyId: 'sma-cross',
        params: { fast: 2, slow: 5 },
        accountId: 'demo-paper',
        symbol: 'BTC/USDT',
        timeframe: '1m',
        allocation: '1000',
      },
      ctx,
    )
    if (!started.ok) throw new Error(started.error.message)
    const runId = (started.value as { id: string }).id
    const auth = { headers: { Authorization: `Bearer ${token}`, Origin: host.url } }

    const res = await httpGet(`${host.url}/export/drift.csv?run=${runId}`, auth)
    expect(res.status).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="candlework-drift-[A-Za-z0-9_-]+-\d{4}-\d\d-\d\d\.csv"$/,
    )
    expect(res.headers['cache-control']).toBe('no-store')
    const lines = res.body.split('\r\n')
    expect(lines[0]).toBe(DRIFT_HEADERS.join(','))
    expect(lines[1]).toMatch(/^summary,(,){10}\d+,\d+,/)
    expect(res.headers['x-candlework-rows']).toBe(String(lines.length - 2))

    expect((await httpGet(`${host.url}/export/drift.csv?run=${runId}`)).status).toBe(401)
    const noRun = await httpGet(`${host.url}/export/drift.csv`, auth)
    expect(noRun.status).toBe(400)
    expect(noRun.body).toContain('run')
    expect((await httpGet(`${host.url}/export/drift.csv?run=nope`, auth)).status).toBe(404)

    // The desktop's save-dialog path is the desktop's only: the headless host says where to go.
    const desk = await engine.registry.invoke('runner.exportDrift', { runId }, ctx)
    expect(desk.ok).toBe(false)
    if (!desk.ok) expect(desk.error).toMatchObject({ kind: 'unavailable' })
  })
})
