import { describe, expect, it } from 'vitest'
import { chartSettingsKey } from '../../src/main/charting/settings'
import { DEFAULT_CHART_SETTINGS, type ChartSettings } from '../../src/shared/contract/charting'
import { useTempDirs } from '../support/temp-dir'
import { rig } from './support'

const tempDir = useTempDirs()
const BTC = { source: 'demo', symbol: 'BTC/USDT' }

const SETTINGS: ChartSettings = {
  indicators: [
    { key: 'sma-1', id: 'sma', params: { period: 50 }, colors: { sma: '#f5a623' }, visible: true },
    { key: 'rsi-1', id: 'RSI', params: {}, colors: { rsi: '#7e57c2', nope: '#000000' }, visible: false },
  ],
  volume: false,
  markers: true,
}

describe('charting settings', () => {
  it('are per symbol, round-trip with parameters completed, and survive a restart', async () => {
    const dir = tempDir()
    const r = rig(dir)
    expect(await r.invoke('charting.settings.get', BTC)).toEqual(DEFAULT_CHART_SETTINGS)
    const saved = await r.invoke('charting.settings.set', { ...BTC, settings: SETTINGS })
    expect(saved.indicators[1]).toEqual({
      key: 'rsi-1',
      id: 'rsi',
      params: { period: 14 },
      // Colours for outputs the indicator does not have are dropped.
      colors: { rsi: '#7e57c2' },
      visible: false,
    })
    expect(await r.invoke('charting.settings.get', BTC)).toEqual(saved)
    expect(await r.invoke('charting.settings.get', { ...BTC, symbol: 'ETH/USDT' })).toEqual(
      DEFAULT_CHART_SETTINGS,
    )
    await r.close()

    const again = rig(dir)
    try {
      expect(await again.invoke('charting.settings.get', BTC)).toEqual(saved)
      const row = again.db
        .prepare('SELECT value, updated_at FROM settings WHERE key = ?')
        .get(chartSettingsKey('demo', 'BTC/USDT')) as {
        value: string
        updated_at: number
      }
      expect(JSON.parse(row.value)).toEqual(saved)
      expect(row.updated_at).toBe(again.clock.now())
    } finally {
      again.close()
    }
  })

  it('refuses invalid settings naming the field', async () => {
    const r = rig(tempDir())
    try {
      const set = (settings: unknown) =>
        r.registry.invoke('charting.settings.set', { ...BTC, settings }, { transport: 'memory', peer: 't' })
      const bad = structuredClone(SETTINGS)
      bad.indicators[0]!.params.period = 0
      expect(await set(bad)).toMatchObject({
        ok: false,
        error: { kind: 'validation', path: 'params.settings.indicators[0].params.period' },
      })
      expect(
        await set({ ...SETTINGS, indicators: [SETTINGS.indicators[0], SETTINGS.indicators[0]] }),
      ).toMatchObject({
        ok: false,
        error: { kind: 'validation', message: expect.stringContaining('keys must be unique') },
      })
      expect(
        await set({ ...SETTINGS, indicators: [{ ...SETTINGS.indicators[0], colors: { sma: 'red' } }] }),
      ).toMatchObject({
        ok: false,
        error: { kind: 'validation', path: 'params.settings.indicators[0].colors.sma' },
      })
      // Nothing was written.
      expect(await r.invoke('charting.settings.get', BTC)).toEqual(DEFAULT_CHART_SETTINGS)
    } finally {
      await r.close()
    }
  })

  it('fall back to the defaults with a warning when the stored value is bad, never failing', async () => {
    const r = rig(tempDir())
    try {
      const put = (value: string) =>
        r.db
          .prepare('INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, 0)')
          .run(chartSettingsKey('demo', 'BTC/USDT'), value)

      put('{not json')
      expect(await r.invoke('charting.settings.get', BTC)).toEqual(DEFAULT_CHART_SETTINGS)
      expect(r.log.lines.at(-1)).toMatch(/^WARN chart settings chart:demo:BTC\/USDT are not JSON/)

      put(JSON.stringify({ indicators: 'sma' }))
      expect(await r.invoke('charting.settings.get', BTC)).toEqual(DEFAULT_CHART_SETTINGS)
      expect(r.log.lines.at(-1)).toMatch(/do not match the schema; using the defaults/)

      // One indicator the library no longer accepts: only that one is dropped.
      put(
        JSON.stringify({
          ...SETTINGS,
          indicators: [
            ...SETTINGS.indicators,
            { key: 'x', id: 'sma', params: { period: -3 }, colors: {}, visible: true },
          ],
        }),
      )
      const got = await r.invoke('charting.settings.get', BTC)
      expect(got.indicators.map((i) => i.key)).toEqual(['sma-1', 'rsi-1'])
      expect(got.volume).toBe(false)
      expect(r.log.lines.at(-1)).toMatch(/dropping indicator x/)
    } finally {
      await r.close()
    }
  })
})
