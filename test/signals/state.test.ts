import { describe, expect, it } from 'vitest'
import { atr, adx, bbands, ema, macd, mfi, obv, rsi, sma, stoch } from '../../src/main/indicators'
import * as map from '../../src/main/signals/mapping'
import { SignalState, type Readings } from '../../src/main/signals/state'
import { DEFAULT_PROFILE, signalProfileSchema } from '../../src/shared/domain/signals'
import type { Candle } from '../../src/shared/domain/candles'
import { walk1m } from './support'

const col = (bars: readonly Candle[], f: keyof Candle) => Float64Array.from(bars, (b) => b[f])

function run(profile = DEFAULT_PROFILE, bars = walk1m(400, 7)): (Readings | null)[] {
  const st = new SignalState(profile)
  return bars.map((b) => st.update(b))
}

describe('SignalState', () => {
  it('starts reading once the slowest indicator of the default profile is warm (EMA50: bar 49)', () => {
    const out = run()
    expect(out.findIndex((r) => r !== null)).toBe(49)
    expect(out.slice(49).every((r) => r !== null)).toBe(true)
  })

  it('reads exactly what the library batch functions compute, mapped as documented', () => {
    const bars = walk1m(400, 11)
    const out = run(DEFAULT_PROFILE, bars)
    const [h, l, c, v] = [col(bars, 'high'), col(bars, 'low'), col(bars, 'close'), col(bars, 'volume')]
    const e20 = ema(c, 20)
    const e50 = ema(c, 50)
    const a = atr(h, l, c, 14)
    const x = adx(h, l, c, 14)
    const r = rsi(c, 14)
    const m = macd(c, { fast: 12, slow: 26, signal: 9 })
    const b = bbands(c, 20, 2)
    const bw = sma(b.bandwidth.subarray(19), 20) // the average starts with the first bandwidth
    const f = mfi(h, l, c, v, 14)
    const o = obv(c, v)
    const va = sma(v, 20)
    for (const i of [49, 50, 120, 399]) {
      const got = out[i]!
      expect(got.emaFast).toBe(e20[i])
      expect(got.emaSlow).toBe(e50[i])
      expect(got.atr).toBe(a[i])
      expect(got.adx).toBe(x.adx[i])
      expect(got.rsi).toBe(r[i])
      expect(got.macdHistogram).toBe(m.histogram[i])
      expect(got.percentB).toBe(b.percentB[i])
      expect(got.widthRatio).toBe(b.bandwidth[i]! / bw[i - 19]!)
      expect(got.mfi).toBe(f[i])
      let volSum = 0
      for (let k = i; k > i - 20; k--) volSum += v[k]!
      expect(got.obvFlow).toBe((o[i]! - o[i - 20]!) / volSum)
      expect(got.relVolume).toBe(v[i]! / va[i]!)

      expect(got.terms.price).toBe(map.trendPriceTerm(c[i]!, e50[i]!, a[i]!))
      expect(got.terms.cross).toBe(map.trendCrossTerm(e20[i]!, e50[i]!, a[i]!))
      expect(got.terms.di).toBe(map.trendDiTerm(x.plusDI[i]!, x.minusDI[i]!))
      expect(got.terms.rsi).toBe(map.rsiTerm(r[i]!))
      expect(got.terms.macd).toBe(map.macdTerm(m.histogram[i]!, a[i]!, 0.3))
      expect(got.terms.bollinger).toBe(map.bollingerTerm(b.percentB[i]!, b.bandwidth[i]! / bw[i - 19]!))
      expect(got.terms.mfi).toBe(map.mfiTerm(f[i]!))
      const t = got.terms
      expect(got.devs.trend).toBeCloseTo(((t.price + t.cross + t.di) / 3) * map.adxStrength(x.adx[i]!), 12)
      expect(got.devs.momentum).toBeCloseTo((t.rsi + t.macd) / 2, 12)
      expect(got.devs.volatility).toBe(t.bollinger)
      expect(got.devs.volume).toBeCloseTo((t.mfi + t.obv) / 2, 12)
      const d = got.devs
      expect(got.raw).toBeCloseTo(0.4 * d.trend + 0.3 * d.momentum + 0.1 * d.volatility + 0.2 * d.volume, 12)
      expect(got.raw).toBeGreaterThanOrEqual(-1)
      expect(got.raw).toBeLessThanOrEqual(1)
    }
  })

  it('creates only the indicators the profile weighs', () => {
    const profile = signalProfileSchema.parse({
      id: 'lean',
      name: 'Lean',
      weights: { volatility: 0 },
      momentum: { terms: { rsi: 1, macd: 0, stoch: 1 } },
    })
    const bars = walk1m(200, 3)
    const got = run(profile, bars)[150]!
    expect(got.devs.volatility).toBeNaN()
    expect(got.percentB).toBeNaN()
    expect(got.macdHistogram).toBeNaN()
    const k = stoch(col(bars, 'high'), col(bars, 'low'), col(bars, 'close'), 14, 3, 3).k
    expect(got.stochK).toBe(k[150])
    expect(got.devs.momentum).toBeCloseTo((map.rsiTerm(got.rsi) + map.stochTerm(k[150]!)) / 2, 12)
    // Components renormalised over trend 0.4, momentum 0.3, volume 0.2.
    const d = got.devs
    expect(got.raw).toBeCloseTo((0.4 * d.trend + 0.3 * d.momentum + 0.2 * d.volume) / 0.9, 12)
  })

  it('reads no volume as no flow: MFI term 0 (not the -1 that MFI 0 would map to), OBV 0', () => {
    const bars = walk1m(120, 8).map((b, i) => (i >= 90 ? { ...b, volume: 0 } : b))
    const got = run(DEFAULT_PROFILE, bars)[119]!
    expect(got.mfi).toBe(0) // the library's MFI with no money flow in its window
    expect(got.terms.mfi).toBe(0)
    expect(got.terms.obv).toBe(0)
    expect(got.devs.volume).toBe(0)
    expect(got.relVolume).toBe(1) // 0 over an average of 0: neither high nor low
  })

  it('refuses a bad bar before any indicator commits it', () => {
    const st = new SignalState(DEFAULT_PROFILE)
    const bars = walk1m(60, 5)
    for (const b of bars.slice(0, 55)) st.update(b)
    const bad = { ...bars[55]!, high: bars[55]!.low - 1 }
    expect(() => st.update(bad)).toThrow(/bad bar/)
    expect(st.bars).toBe(55)
    // The state goes on exactly as a state that never saw the bad bar.
    const clean = new SignalState(DEFAULT_PROFILE)
    for (const b of bars.slice(0, 55)) clean.update(b)
    expect(st.update(bars[55]!)).toEqual(clean.update(bars[55]!))
  })
})

describe('profile schema', () => {
  const base = { id: 'p', name: 'P' }
  it('fills every default, so {id, name} is the default profile under another name', () => {
    const p = signalProfileSchema.parse(base)
    expect({
      ...p,
      id: 'default',
      name: DEFAULT_PROFILE.name,
      description: DEFAULT_PROFILE.description,
    }).toEqual(DEFAULT_PROFILE)
    expect(DEFAULT_PROFILE.timeframes).toEqual(['1m', '5m', '15m', '1h', '4h', '1d'])
    expect(DEFAULT_PROFILE.weights).toEqual({ trend: 0.4, momentum: 0.3, volatility: 0.1, volume: 0.2 })
  })

  it('rejects profiles that cannot be scored', () => {
    const bad = [
      { ...base, trend: { emaFast: 50, emaSlow: 20 } },
      { ...base, timeframes: ['1h', '5m'] },
      { ...base, timeframes: ['5m', '5m'] },
      { ...base, weights: { trend: 0, momentum: 0, volatility: 0, volume: 0 } },
      { ...base, momentum: { terms: { rsi: 0, macd: 0, stoch: 0 } } },
      { ...base, thresholds: { buy: 45 } },
      { ...base, id: 'Has Spaces' },
      { ...base, extra: 1 },
    ]
    for (const p of bad) expect(signalProfileSchema.safeParse(p).success, JSON.stringify(p)).toBe(false)
    // A component without weight may have no terms.
    expect(
      signalProfileSchema.safeParse({
        ...base,
        weights: { momentum: 0 },
        momentum: { terms: { rsi: 0, macd: 0 } },
      }).success,
    ).toBe(true)
  })
})
