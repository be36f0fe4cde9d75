import { describe, expect, it } from 'vitest'
import type { IndicatorInstance } from '../../src/shared/contract/charting'
import { INDICATORS, resolveParams } from '../../src/main/indicators'
import { hasWarmupRule } from '../../src/main/charting/warmup'
import { bucketStart, timeframeMs, type Timeframe } from '../../src/shared/domain/timeframes'
import { useTempDirs } from '../support/temp-dir'
import { batch, close, fullHistory, NOW, rig, sliceSeries } from './support'

const tempDir = useTempDirs()

const ALL = INDICATORS.map((d) => ({ id: d.id, params: {} }))

describe('charting.series', () => {
  it('has a warm-up rule for every indicator in the library', () => {
    expect(INDICATORS.map((d) => d.id).filter((id) => !hasWarmupRule(id))).toEqual([])
  })

  for (const [symbol, tf] of [
    ['BTC/USDT', '1h'],
    ['EUR/USDT', '15m'],
  ] as [string, Timeframe][]) {
    it(`${symbol} ${tf}: every indicator's first values equal a full-history computation`, async () => {
      const r = rig(tempDir())
      try {
        const to = bucketStart(NOW - 3 * 86_400_000, tf)
        const limit = 400
        // Two requests: a chart takes at most 16 instances.
        const req = { source: 'demo', symbol, timeframe: tf, to, limit }
        const a = await r.invoke('charting.series', { ...req, instances: ALL.slice(0, 14) })
        const b = await r.invoke('charting.series', { ...req, instances: ALL.slice(14) })
        expect(b.time).toEqual(a.time)
        const res = { time: a.time, instances: [...a.instances, ...b.instances] }
        // The same bars market.candles returns for the same request.
        const candles = await r.invoke('market.candles', { source: 'demo', symbol, timeframe: tf, to, limit })
        expect(res.time).toEqual(candles.candles.time)
        expect(res.time.length).toBe(limit)

        const full = fullHistory(r.demo, symbol, tf, to)
        const at = full.time.indexOf(res.time[0]!)
        expect(at).toBeGreaterThan(1000)
        expect(full.time[full.time.length - 1]).toBe(res.time[res.time.length - 1])

        res.instances.forEach((inst, i) => {
          const id = ALL[i]!.id
          const ref = batch(id, {}, full)
          expect(inst.id).toBe(id)
          expect(inst.complete, id).toBe(true)
          expect(inst.params).toEqual(resolveParams(id, INDICATORS[i]!.params))
          inst.outputs.forEach((out, k) => {
            expect(out.values).toHaveLength(limit)
            const want = ref[k]!.slice(at)
            const bad = out.values.findIndex((v, j) => !close(v, want[j]!))
            expect(bad, `${id}.${out.name} differs from the full history at bar ${bad}`).toBe(-1)
            // Warm-up handled: the first shown bar already has its full-history value.
            expect(out.values[0], `${id}.${out.name}`).toEqual(want[0] === null ? null : expect.any(Number))
            if (out.offset > 0) {
              expect(out.before).toHaveLength(out.offset)
              const wantBefore = ref[k]!.slice(at - out.offset, at)
              expect(out.before.every((v, j) => close(v, wantBefore[j]!))).toBe(true)
            } else {
              expect(out.before).toEqual([])
            }
          })
        })
      } finally {
        await r.close()
      }
    })
  }

  it('equals the batch output on the very bars it computed from, to the bit', async () => {
    const r = rig(tempDir())
    try {
      const tf = '15m'
      const to = bucketStart(NOW - 86_400_000, tf)
      const instances: IndicatorInstance[] = [
        { id: 'sma', params: { period: 20 } },
        { id: 'ema', params: { period: 50 } },
        { id: 'rsi', params: { period: 14 } },
        { id: 'macd', params: {} },
        { id: 'vwap', params: { anchor: 'week' } },
        { id: 'ichimoku', params: {} },
      ]
      const res = await r.invoke('charting.series', {
        source: 'demo',
        symbol: 'SOL/USDT',
        timeframe: tf,
        instances,
        to,
        limit: 500,
      })
      const full = fullHistory(r.demo, 'SOL/USDT', tf, to)
      const at = full.time.indexOf(res.time[0]!)
      res.instances.forEach((inst, i) => {
        const start = full.time.indexOf(inst.from!)
        expect(at - start).toBe(inst.warmupBars)
        const ref = batch(inst.id, instances[i]!.params, sliceSeries(full, start))
        inst.outputs.forEach((out, k) => expect(out.values).toEqual(ref[k]!.slice(at - start)))
      })
      // The rules: SMA 20 reads the 19 bars before, VWAP back to its week's Monday 00:00 UTC.
      expect(res.instances[0]!.warmupBars).toBe(19)
      const week = res.instances[4]!.from!
      expect(new Date(week).getUTCDay()).toBe(1)
      expect(week % 86_400_000).toBe(0)
      expect(res.time[0]! - week).toBeLessThan(7 * 86_400_000)
      // EMA 50 needs the seed's weight below 1e-12: hundreds of bars, not 49.
      expect(res.instances[1]!.warmupBars).toBeGreaterThan(500)
    } finally {
      await r.close()
    }
  })

  it('cumulative indicators start at the first bar of the history; short histories say when values are warm-up', async () => {
    const r = rig(tempDir())
    try {
      const tf = '4h'
      const first = r.demo.candles('BTC/USDT', tf, NOW, 10_000_000, NOW)
      // A window that starts 10 bars into the history: only 10 warm-up bars exist.
      const to = first.time[59]!
      const res = await r.invoke('charting.series', {
        source: 'demo',
        symbol: 'BTC/USDT',
        timeframe: tf,
        instances: [
          { id: 'obv', params: {} },
          { id: 'sma', params: { period: 30 } },
        ],
        to,
        limit: 50,
      })
      expect(res.time[0]).toBe(first.time[10])
      const [obv, sma] = res.instances
      expect(obv!.from).toBe(first.time[0])
      expect(obv!.complete).toBe(true)
      const all = batch('obv', {}, sliceSeries(fullHistory(r.demo, 'BTC/USDT', tf, to), 0))
      expect(obv!.outputs[0]!.values).toEqual(all[0]!.slice(10))
      // SMA 30 cannot have a value before bar 29 of the history: null, as a full computation says.
      expect(sma!.complete).toBe(true)
      expect(sma!.outputs[0]!.values.slice(0, 19).every((v) => v === null)).toBe(true)
      expect(sma!.outputs[0]!.values[19]).toEqual(expect.any(Number))
    } finally {
      await r.close()
    }
  })

  it('computes large series in the worker thread with the same numbers', async () => {
    const inline = rig(tempDir())
    const worker = rig(tempDir(), { inlineLimit: 1_000 })
    try {
      const req = {
        source: 'demo',
        symbol: 'ETH/USDT',
        timeframe: '5m' as const,
        instances: [
          { id: 'bbands', params: {} },
          { id: 'supertrend', params: {} },
          { id: 'adx', params: {} },
        ],
        to: NOW,
        limit: 30_000,
      }
      const a = await inline.invoke('charting.series', req)
      const b = await worker.invoke('charting.series', req)
      expect(b.time.length).toBe(30_000)
      expect(b).toEqual(a)
    } finally {
      await inline.close()
      await worker.close()
    }
  })

  it('rejects unknown indicators and bad parameters naming the instance', async () => {
    const r = rig(tempDir())
    try {
      const base = { source: 'demo', symbol: 'BTC/USDT', timeframe: '1h' as const, limit: 10 }
      const call = (instances: unknown) =>
        r.registry.invoke('charting.series', { ...base, instances }, { transport: 'memory', peer: 't' })
      expect(await call([{ id: 'sma' }, { id: 'nope' }])).toMatchObject({
        ok: false,
        error: { kind: 'validation', path: 'params.instances[1].id' },
      })
      expect(await call([{ id: 'rsi', params: { period: 1 } }])).toMatchObject({
        ok: false,
        error: { kind: 'validation', path: 'params.instances[0].params.period' },
      })
      expect(await call([{ id: 'sma', params: { colour: 3 } }])).toMatchObject({
        ok: false,
        error: { kind: 'validation', path: 'params.instances[0].params.colour' },
      })
      expect(await call([{ id: 'vwap', params: { anchor: 'year' } }])).toMatchObject({
        ok: false,
        error: {
          kind: 'validation',
          message: expect.stringContaining('anchor must be one of day, week, month, none'),
        },
      })
    } finally {
      await r.close()
    }
  })

  it('describes every indicator for the picker', async () => {
    const r = rig(tempDir())
    try {
      const list = await r.invoke('charting.indicators', {})
      expect(list.map((d) => d.id)).toEqual(INDICATORS.map((d) => d.id))
      const ichimoku = list.find((d) => d.id === 'ichimoku')!
      expect(ichimoku.outputs.filter((o) => o.shifted).map((o) => o.name)).toEqual([
        'spanA',
        'spanB',
        'lagging',
      ])
      expect(list.find((d) => d.id === 'sar')!.params[0]).toEqual({
        name: 'acceleration',
        kind: 'number',
        default: 0.02,
        min: 0,
        exclusiveMin: true,
        description: expect.any(String),
      })
      expect(list.find((d) => d.id === 'rsi')!.warmup).toMatch(/1e-12/)
      expect(list.find((d) => d.id === 'sma')!.warmup).toMatch(/19 bars/)
      // Timeframe sanity for the rules above.
      expect(timeframeMs('1h')).toBe(3_600_000)
    } finally {
      await r.close()
    }
  })
})
