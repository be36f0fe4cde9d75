/** export alerts: the alert history through the one exporter, its filters, and the injection guard. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportCommand } from '../../src/main/cli/export'
import { insertDelivery, insertFiring, readHistory, type NewFiring } from '../../src/main/alerts/store'
import { EXPORT_KINDS } from '../../src/main/export/kinds'
import { useTempDirs } from '../support/temp-dir'
import { readCsv, readsAsFormula, run, withDb } from './helpers'

const tempDir = useTempDirs()
const T = Date.UTC(2026, 11, 1, 9, 30)
const HOUR = 3_600_000

const firing = (f: Partial<NewFiring>): NewFiring => ({
  alertId: 'a1',
  alertName: 'BTC breakout',
  series: { source: 'demo', symbol: 'BTC/USDT', timeframe: '1h' },
  kind: 'compare',
  symbol: 'BTC/USDT',
  time: T,
  barTime: T - HOUR,
  away: false,
  message: 'BTC breakout: BTC/USDT 1h: close crossing up 43250 at 43,250.50 (2026-12-01 09:30 UTC)',
  values: { left: 43250.5, right: 43250 },
  ...f,
})

function seeded(): string {
  const dir = tempDir()
  withDb(dir, (db) => {
    const first = insertFiring(db, firing({}))
    insertDelivery(db, first.id, {
      channel: 0,
      kind: 'webhook',
      attempt: 1,
      at: T,
      ok: false,
      status: 503,
      error: 'HTTP 503',
      durationMs: 12,
    })
    insertDelivery(db, first.id, {
      channel: 0,
      kind: 'webhook',
      attempt: 2,
      at: T + 2_000,
      ok: true,
      status: 200,
      error: null,
      durationMs: 9,
    })
    insertFiring(
      db,
      firing({
        alertId: 'a2',
        alertName: 'ETH',
        symbol: 'ETH/USDT',
        time: T + HOUR,
        series: { source: 'demo', symbol: 'ETH/USDT', timeframe: '1m' },
      }),
    )
    insertFiring(
      db,
      firing({
        alertId: 'a3',
        alertName: '=HYPERLINK("http://evil.example","x")',
        series: null,
        kind: 'risk_limit_hit',
        symbol: null,
        barTime: null,
        time: T + 2 * HOUR,
        message: "@SUM(1,1) Daily loss limit 500.00 USDT reached: today's loss 512.40 USDT",
        values: { limit: 500, value: 512.4 },
      }),
    )
  })
  return dir
}

describe('export alerts', () => {
  it('writes the default columns, oldest first, with exact values and delivery counts', async () => {
    const dir = seeded()
    const out = join(dir, 'alerts.csv')
    const res = await run(exportCommand, ['alerts', '--data-dir', dir, '--out', out])
    expect(res.err).toBe('')
    expect(res.code).toBe(0)
    const rows = readCsv(out)
    expect(rows[0]).toEqual(EXPORT_KINDS.alerts.columns.filter((c) => c.default).map((c) => c.name))
    expect(rows[0]).toEqual([
      'time',
      'alert',
      'kind',
      'symbol',
      'timeframe',
      'message',
      'values',
      'away',
      'delivered',
      'failed',
    ])
    expect(rows[1]).toEqual([
      '2026-12-01T09:30:00.000Z',
      'BTC breakout',
      'compare',
      'BTC/USDT',
      '1h',
      'BTC breakout: BTC/USDT 1h: close crossing up 43250 at 43,250.50 (2026-12-01 09:30 UTC)',
      '{"left":43250.5,"right":43250}',
      'false',
      '1',
      '1',
    ])
    expect(rows.map((r) => r[2])).toEqual(['kind', 'compare', 'compare', 'risk_limit_hit'])
    // Names and messages a spreadsheet would run as formulas are guarded.
    for (const cell of rows.flat()) expect(readsAsFormula(cell), cell).toBe(false)
    expect(rows[3]![1]).toBe(`'=HYPERLINK("http://evil.example","x")`)
  })

  it('filters by alert (id or name), symbol, kind and time', async () => {
    const dir = seeded()
    const count = async (...flags: string[]) => {
      const out = join(dir, `f${Math.random()}.csv`)
      const res = await run(exportCommand, ['alerts', '--data-dir', dir, '--out', out, ...flags])
      expect(res.err).toBe('')
      return readCsv(out).length - 1
    }
    expect(await count('--alert', 'a2')).toBe(1)
    expect(await count('--alert', 'BTC breakout')).toBe(1)
    expect(await count('--symbol', 'BTC/USDT')).toBe(1)
    expect(await count('--kind', 'risk_limit_hit')).toBe(1)
    expect(await count('--kind', 'compare', '--from', '2026-12-01 10:00')).toBe(1)
    expect(await count('--to', '2026-12-01 10:30')).toBe(1)
  })

  it('refuses an unknown kind, and filter flags of another kind, as usage errors', async () => {
    const dir = seeded()
    const out = join(dir, 'x.csv')
    const bad = await run(exportCommand, ['alerts', '--data-dir', dir, '--out', out, '--kind', 'disk_full'])
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/--kind: "disk_full" is not one of compare, move/)
    const wrong = await run(exportCommand, ['fills', '--data-dir', dir, '--out', out, '--symbol', 'BTC/USDT'])
    expect(wrong.code).toBe(2)
    expect(wrong.err).toMatch(/--symbol is for export alerts only/)
    const account = await run(exportCommand, ['alerts', '--data-dir', dir, '--out', out, '--account', 'x'])
    expect(account.code).toBe(2)
  })
})

describe('alert history filter', () => {
  it('filters stored firings by symbol and kind, newest first', () => {
    const dir = seeded()
    withDb(dir, (db) => {
      const all = { unreadOnly: false, limit: 100 }
      expect(readHistory(db, all).map((f) => f.alertId)).toEqual(['a3', 'a2', 'a1'])
      expect(readHistory(db, { ...all, symbol: 'ETH/USDT' }).map((f) => f.alertId)).toEqual(['a2'])
      const risk = readHistory(db, { ...all, kind: 'risk_limit_hit' })
      expect(risk).toMatchObject([{ alertId: 'a3', kind: 'risk_limit_hit', symbol: null }])
      expect(readHistory(db, { ...all, kind: 'compare', to: T })).toHaveLength(1)
    })
  })
})
