import { describe, expect, it } from 'vitest'
import { CHART_TEMPLATE_KEY, chartSettingsKey } from '../../src/main/charting/settings'
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
  pinned: true,
}
const PINNED_DEFAULTS = { ...DEFAULT_CHART_SETTINGS, pinned: true }

describe('charting settings', () => {
  it('pinned ones are per symbol, round-trip with parameters completed, and survive a restart', async () => {
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
      expect(await r.invoke('charting.settings.get', BTC)).toEqual(PINNED_DEFAULTS)
      expect(r.log.lines.at(-1)).toMatch(/^WARN chart settings chart:demo:BTC\/USDT are not JSON/)

      put(JSON.stringify({ indicators: 'sma' }))
      expect(await r.invoke('charting.settings.get', BTC)).toEqual(PINNED_DEFAULTS)
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

  it('unpinned ones are the template every unpinned symbol shows; pinning keeps a symbol its own', async () => {
    const r = rig(tempDir())
    const ETH = { ...BTC, symbol: 'ETH/USDT' }
    const SOL = { ...BTC, symbol: 'SOL/USDT' }
    try {
      // Saved on BTC, unpinned: the template, shown on ETH and SOL too.
      const template = await r.invoke('charting.settings.set', {
        ...BTC,
        settings: { ...SETTINGS, pinned: false },
      })
      expect(template.pinned).toBe(false)
      for (const s of [BTC, ETH, SOL]) expect(await r.invoke('charting.settings.get', s)).toEqual(template)
      expect(
        r.db.prepare('SELECT 1 FROM settings WHERE key = ?').get(chartSettingsKey('demo', 'BTC/USDT')),
      ).toBe(undefined)

      // ETH pinned to RSI alone: its own from now on; the template changes without it.
      const eth = await r.invoke('charting.settings.set', {
        ...ETH,
        settings: { ...SETTINGS, indicators: [SETTINGS.indicators[1]!], pinned: true },
      })
      const next = await r.invoke('charting.settings.set', {
        ...SOL,
        settings: { ...template, indicators: [template.indicators[0]!], volume: true },
      })
      expect(await r.invoke('charting.settings.get', ETH)).toEqual(eth)
      expect(eth.indicators.map((i) => i.key)).toEqual(['rsi-1'])
      expect(await r.invoke('charting.settings.get', BTC)).toEqual(next)

      // Unpinned: ETH shows the template again, unchanged.
      expect(await r.invoke('charting.settings.unpin', ETH)).toEqual(next)
      expect(await r.invoke('charting.settings.get', ETH)).toEqual(next)
      await r.invoke('charting.settings.set', { ...ETH, settings: eth })

      // Saved unpinned: ETH's own row goes and it follows the template (what it saved becomes it).
      const unpinned = await r.invoke('charting.settings.set', {
        ...ETH,
        settings: { ...eth, pinned: false },
      })
      expect(
        r.db.prepare('SELECT 1 FROM settings WHERE key = ?').get(chartSettingsKey('demo', 'ETH/USDT')),
      ).toBe(undefined)
      expect(await r.invoke('charting.settings.get', SOL)).toEqual(unpinned)
      const row = r.db.prepare('SELECT value FROM settings WHERE key = ?').get(CHART_TEMPLATE_KEY) as {
        value: string
      }
      expect(JSON.parse(row.value)).toEqual(unpinned)
    } finally {
      await r.close()
    }
  })

  it('saved before templates existed, a symbol keeps its settings (read as pinned)', async () => {
    const r = rig(tempDir())
    try {
      const { pinned: _, ...old } = SETTINGS
      r.db
        .prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)')
        .run(chartSettingsKey('demo', 'BTC/USDT'), JSON.stringify(old))
      const got = await r.invoke('charting.settings.get', BTC)
      expect(got.pinned).toBe(true)
      expect(got.indicators.map((i) => i.key)).toEqual(['sma-1', 'rsi-1'])
      expect(await r.invoke('charting.settings.get', { ...BTC, symbol: 'ETH/USDT' })).toEqual(
        DEFAULT_CHART_SETTINGS,
      )
    } finally {
      await r.close()
    }
  })
})

describe('named indicator templates', () => {
  it('are saved checked, listed by name, replaced by name ignoring case, and deleted', async () => {
    const r = rig(tempDir())
    try {
      expect(await r.invoke('charting.templates.list', {})).toEqual([])
      const trend = { name: 'Trend', indicators: [SETTINGS.indicators[0]!] }
      await r.invoke('charting.templates.save', { template: trend })
      const list = await r.invoke('charting.templates.save', {
        template: { name: ' momentum ', indicators: [SETTINGS.indicators[1]!] },
      })
      expect(list.map((t) => t.name)).toEqual(['momentum', 'Trend'])
      // Completed like the chart's settings: parameters filled in, stray colours dropped.
      expect(list[0]!.indicators[0]).toMatchObject({
        id: 'rsi',
        params: { period: 14 },
        colors: { rsi: '#7e57c2' },
      })

      const replaced = await r.invoke('charting.templates.save', {
        template: { name: 'TREND', indicators: SETTINGS.indicators },
      })
      expect(replaced.map((t) => [t.name, t.indicators.length])).toEqual([
        ['momentum', 1],
        ['TREND', 2],
      ])
      expect(await r.invoke('charting.templates.delete', { name: 'Momentum' })).toEqual([replaced[1]])
      expect(await r.invoke('charting.templates.list', {})).toEqual([replaced[1]])

      const call = (name: 'charting.templates.save' | 'charting.templates.delete', params: unknown) =>
        r.registry.invoke(name, params, { transport: 'memory', peer: 't' })
      const bad = structuredClone(trend)
      bad.indicators[0]!.params.period = 0
      expect(await call('charting.templates.save', { template: bad })).toMatchObject({
        ok: false,
        error: { kind: 'validation', path: 'params.template.indicators[0].params.period' },
      })
      expect(await call('charting.templates.save', { template: { ...trend, name: '  ' } })).toMatchObject({
        ok: false,
        error: { kind: 'validation', path: 'params.template.name' },
      })
      expect(await call('charting.templates.delete', { name: 'nope' })).toMatchObject({
        ok: false,
        error: { kind: 'not_found', message: 'No template named nope' },
      })
      expect(await r.invoke('charting.templates.list', {})).toEqual([replaced[1]])
    } finally {
      await r.close()
    }
  })
})
