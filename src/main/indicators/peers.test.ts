/**
 * Indicators with no reference file, checked side by side against the technicalindicators and
 * trading-signals packages (and, where their conventions differ, against hand-written
 * definitions). Inputs: TA-Lib's 252-bar dataset and a seeded random walk. Differences of
 * convention, and how each comparison deals with them, are noted per test. Where a peer seeds
 * a smoother differently (trading-signals' EMA starts from the first price; its ATR counts
 * bar 0's high-low; technicalindicators' ADX seeds its sums with `period` bars), the two series
 * converge geometrically, so only the tail is compared, at 1e-9.
 */
import { describe, expect, it } from 'vitest'
import * as ti from 'technicalindicators'
import * as ts from 'trading-signals'
import { runSpec } from '../../../test/support/indicators/run-spec'
import { randomWalk } from '../../../test/support/indicators/random-walk'
import { talibSeries } from '../../../test/support/indicators/reference-data'
import type { CandleSeries } from './core/series'

const walk = randomWalk(1500, 7)
const talib = talibSeries()

function bars(s: CandleSeries): { high: number; low: number; close: number; open: number; volume: number }[] {
  return Array.from(s.close, (close, i) => ({
    open: s.open[i]!,
    high: s.high[i]!,
    low: s.low[i]!,
    close,
    volume: s.volume[i]!,
  }))
}

/** Compares ours and theirs (aligned on the last bar) over bars >= fromBar. */
function expectTail(
  ours: Float64Array,
  theirs: readonly (number | null | undefined)[],
  fromBar: number,
  label: string,
  rel = 1e-9,
): void {
  const offset = ours.length - theirs.length
  let checked = 0
  for (let i = fromBar; i < ours.length; i++) {
    const t = theirs[i - offset]
    if (t === null || t === undefined) continue
    const o = ours[i]!
    if (Number.isNaN(t)) {
      expect(o, `${label}: bar ${i} should be NaN like the reference`).toBeNaN()
      continue
    }
    expect(Math.abs(o - t), `${label}: bar ${i} ours ${o} theirs ${t}`).toBeLessThanOrEqual(
      rel * Math.max(1, Math.abs(t)),
    )
    checked++
  }
  expect(checked, `${label}: compared bars`).toBeGreaterThan(100)
}

/** Feeds a trading-signals indicator bar by bar; null while it has no result. */
function feed<I, R>(ind: { add(x: I): R | null }, inputs: readonly I[]): (R | null)[] {
  return inputs.map((x) => ind.add(x))
}

function naiveEma(x: readonly number[], p: number): number[] {
  const out: number[] = x.map(() => NaN)
  const k = 2 / (p + 1)
  let seed = 0
  for (let i = 0; i < x.length; i++) {
    if (i < p) {
      seed += x[i]!
      if (i === p - 1) out[i] = seed / p
    } else out[i] = x[i]! * k + out[i - 1]! * (1 - k)
  }
  return out
}

/** EMA of a series that starts with NaNs: the EMA starts on its first value (TA-Lib chaining). */
function chainedEma(x: readonly number[], p: number): number[] {
  const first = x.findIndex((v) => !Number.isNaN(v))
  return [...x.slice(0, first), ...naiveEma(x.slice(first), p)]
}

describe('moving averages without a reference file', () => {
  it('DEMA and TEMA equal their definition over TA-Lib EMAs (first values at 2(p-1), 3(p-1))', () => {
    const close = Array.from(walk.close)
    const e1 = chainedEma(close, 10)
    const e2 = chainedEma(e1, 10)
    const e3 = chainedEma(e2, 10)
    const demaRef = e1.map((v, i) => 2 * v - e2[i]!)
    const temaRef = e1.map((v, i) => 3 * v - 3 * e2[i]! + e3[i]!)
    const dema = runSpec('dema:10', walk)
    const tema = runSpec('tema:10', walk)
    for (const col of [dema.batch.dema!, dema.stream.dema!]) {
      expect(col.findIndex((v) => !Number.isNaN(v))).toBe(18)
      expectTail(col, demaRef, 0, 'dema vs definition')
    }
    for (const col of [tema.batch.tema!, tema.stream.tema!]) {
      expect(col.findIndex((v) => !Number.isNaN(v))).toBe(27)
      expectTail(col, temaRef, 0, 'tema vs definition')
    }
  })

  it('DEMA and TEMA converge to trading-signals (which seeds its EMAs with the first price)', () => {
    const close = Array.from(walk.close)
    const d = feed(new ts.DEMA(10), close)
    const t = feed(new ts.TEMA(10), close)
    expectTail(runSpec('dema:10', walk).batch.dema!, d, 400, 'dema vs trading-signals')
    expectTail(runSpec('tema:10', walk).batch.tema!, t, 400, 'tema vs trading-signals')
  })
})

describe('volatility', () => {
  it('NATR converges to trading-signals NATR (its ATR counts bar 0) and is 100 × ATR / close', () => {
    const theirs = feed(new ts.NATR(14), bars(walk))
    const ours = runSpec('natr:14', walk)
    expectTail(ours.batch.natr!, theirs, 600, 'natr vs trading-signals')
    const atr = runSpec('atr:14', walk).batch.atr!
    ours.stream.natr!.forEach((v, i) => {
      if (i >= 14) expect(v).toBeCloseTo((100 * atr[i]!) / walk.close[i]!, 10)
      else expect(v).toBeNaN()
    })
  })

  it('Donchian equals trading-signals DonchianChannels', () => {
    const theirs = feed(new ts.DonchianChannels(20), bars(walk))
    const run = runSpec('donchian:20', walk)
    for (const k of ['upper', 'middle', 'lower'] as const) {
      expectTail(
        run.batch[k]!,
        theirs.map((r) => r?.[k]),
        0,
        `donchian.${k}`,
      )
      expect(run.batch[k]!.findIndex((v) => !Number.isNaN(v))).toBe(19)
    }
  })

  it('Keltner equals technicalindicators KeltnerChannels (EMA 20, ATR 10, ×2)', () => {
    const theirs = ti.KeltnerChannels.calculate({
      high: Array.from(walk.high),
      low: Array.from(walk.low),
      close: Array.from(walk.close),
      maPeriod: 20,
      atrPeriod: 10,
      useSMA: false,
      multiplier: 2,
    })
    const run = runSpec('keltner:20,2,10', walk)
    for (const k of ['upper', 'middle', 'lower'] as const) {
      expectTail(
        run.batch[k]!,
        theirs.map((r) => r[k]),
        0,
        `keltner.${k}`,
      )
    }
    expect(theirs.length).toBe(walk.close.length - 19)
  })

  it('Keltner converges to trading-signals KeltnerChannels', () => {
    const theirs = feed(
      new ts.KeltnerChannels({ emaInterval: 20, atrInterval: 10, multiplier: 2 }),
      bars(walk),
    )
    expectTail(
      runSpec('keltner:20,2,10', walk).batch.upper!,
      theirs.map((r) => r?.upper),
      600,
      'keltner.upper vs trading-signals',
    )
  })
})

describe('trend', () => {
  it('ADX, +DI, -DI converge to technicalindicators ADX (it seeds with period bars, TA-Lib with period-1)', () => {
    const theirs = ti.ADX.calculate({
      high: Array.from(talib.high),
      low: Array.from(talib.low),
      close: Array.from(talib.close),
      period: 14,
    })
    const w = ti.ADX.calculate({
      high: Array.from(walk.high),
      low: Array.from(walk.low),
      close: Array.from(walk.close),
      period: 14,
    })
    const run = runSpec('adx:14', walk)
    expectTail(
      run.batch.adx!,
      w.map((r) => r.adx),
      800,
      'adx',
      1e-8,
    )
    expectTail(
      run.batch.plusDI!,
      w.map((r) => r.pdi),
      800,
      '+di',
      1e-8,
    )
    expectTail(
      run.batch.minusDI!,
      w.map((r) => r.mdi),
      800,
      '-di',
      1e-8,
    )
    // Same first bar as TA-Lib on its dataset.
    expect(talib.close.length - theirs.length).toBe(27)
  })

  it('Aroon equals trading-signals Aroon (ties: the latest extreme counts)', () => {
    const theirs = feed(new ts.Aroon(14), bars(talib))
    const run = runSpec('aroon:14', talib)
    expect(run.batch.up!.findIndex((v) => !Number.isNaN(v))).toBe(14)
    const up = theirs.map((r) => r?.aroonUp)
    const down = theirs.map((r) => r?.aroonDown)
    const offset = 0
    for (let i = 14; i < talib.close.length; i++) {
      expect(run.batch.up![i]).toBeCloseTo(up[i - offset]!, 9)
      expect(run.batch.down![i]).toBeCloseTo(down[i - offset]!, 9)
    }
    expectTail(run.batch.up!, up, 0, 'aroon.up on the random walk')
  })

  it('Supertrend converges to trading-signals SuperTrend (its ATR starts one bar earlier)', () => {
    const theirs = feed(new ts.SuperTrend({ interval: 10, multiplier: 3 }), bars(walk))
    const run = runSpec('supertrend:10,3', walk)
    expectTail(
      run.batch.supertrend!,
      theirs.map((r) => r?.supertrend),
      500,
      'supertrend',
    )
    expectTail(
      run.batch.direction!,
      theirs.map((r) => (r ? (r.trend === 'BULLISH' ? 1 : -1) : null)),
      500,
      'direction',
    )
    expect(run.batch.supertrend!.findIndex((v) => !Number.isNaN(v))).toBe(10)
  })

  it('Ichimoku equals technicalindicators and trading-signals (values on the computing bar)', () => {
    const theirs = ti.IchimokuCloud.calculate({
      high: Array.from(walk.high),
      low: Array.from(walk.low),
      conversionPeriod: 9,
      basePeriod: 26,
      spanPeriod: 52,
      displacement: 26,
    })
    const theirs2 = feed(
      new ts.IchimokuCloud({ conversionInterval: 9, baseInterval: 26, spanBInterval: 52 }),
      bars(walk),
    )
    const run = runSpec('ichimoku:9,26,52,26', walk)
    for (const k of ['conversion', 'base', 'spanA', 'spanB'] as const) {
      expectTail(
        run.batch[k]!,
        theirs.map((r) => r[k]),
        0,
        `ichimoku.${k} vs technicalindicators`,
      )
      expectTail(
        run.batch[k]!,
        theirs2.map((r) => r?.[k]),
        0,
        `ichimoku.${k} vs trading-signals`,
      )
    }
    // Each line has its own warm-up; the lagging span is the close.
    const first = (k: string): number => run.batch[k]!.findIndex((v) => !Number.isNaN(v))
    expect([first('conversion'), first('base'), first('spanA'), first('spanB'), first('lagging')]).toEqual([
      8, 25, 25, 51, 0,
    ])
    expect(Array.from(run.batch.lagging!)).toEqual(Array.from(walk.close))
  })
})

describe('momentum', () => {
  it('Stochastic RSI equals trading-signals StochasticRSI: raw (a fraction there) and k = SMA3; d = SMA3 of k', () => {
    const s = new ts.StochasticRSI(14)
    const raw: (number | null)[] = []
    const k: (number | null)[] = []
    for (const c of walk.close) {
      const r = s.add(c)
      raw.push(r === null ? null : 100 * r)
      const kr = s.smoothing.k.getResult()
      k.push(kr === null ? null : 100 * kr)
    }
    // trading-signals skips its d update whenever k is exactly 0 (`if (k)`), so d is checked
    // against its definition, the SMA(3) of trading-signals' k.
    const d = k.map((_, i) => {
      const w = k.slice(i - 2, i + 1)
      return i < 2 || w.some((v) => v === null) ? null : (w[0]! + w[1]! + w[2]!) / 3
    })
    const run = runSpec('stochrsi:14,14,3,3', walk)
    // Both outputs start together at bar 14 + 13 + 2 + 2.
    expect(run.batch.k!.findIndex((v) => !Number.isNaN(v))).toBe(31)
    expectTail(run.batch.k!, k, 31, 'stochrsi.k')
    expectTail(run.batch.d!, d, 31, 'stochrsi.d')
    // kPeriod 1 leaves the raw value (TA-Lib STOCHRSI's fastk), from bar 14 + 13 + 2.
    const rawOurs = runSpec('stochrsi:14,14,1,3', walk).batch.k!
    expect(rawOurs.findIndex((v) => !Number.isNaN(v))).toBe(29)
    expectTail(rawOurs, raw, 29, 'stochrsi raw')
  })

  it('Stochastic RSI is close to technicalindicators, which rounds its RSI to 2 decimals first', () => {
    const theirs = ti.StochasticRSI.calculate({
      values: Array.from(walk.close),
      rsiPeriod: 14,
      stochasticPeriod: 14,
      kPeriod: 3,
      dPeriod: 3,
    })
    // Same first bar.
    expect(walk.close.length - theirs.length).toBe(31)
    const ours = runSpec('stochrsi:14,14,3,3', walk).batch
    let total = 0
    theirs.forEach((r, i) => {
      const diff = Math.abs(ours.k![i + 31]! - r.k)
      expect(diff).toBeLessThan(0.25)
      expect(Math.abs(ours.d![i + 31]! - r.d)).toBeLessThan(0.25)
      total += diff
    })
    expect(total / theirs.length).toBeLessThan(0.05)
  })
})

describe('VWAP sessions (hand-computed)', () => {
  const H = 3_600_000
  // Two bars late on Sunday 2024-03-03 UTC, two on Monday, one on Friday, one in April.
  const times = [
    Date.UTC(2024, 2, 3, 22),
    Date.UTC(2024, 2, 3, 23),
    Date.UTC(2024, 2, 4, 0),
    Date.UTC(2024, 2, 4, 1),
    Date.UTC(2024, 2, 8, 12),
    Date.UTC(2024, 3, 1, 0) + H,
  ]
  // Typical prices 10, 20, 30, 40, 50, 60 (high = low = close) and volumes 1, 3, 1, 1, 2, 5.
  const tp = [10, 20, 30, 40, 50, 60]
  const vol = [1, 3, 1, 1, 2, 5]
  const s: CandleSeries = {
    time: Float64Array.from(times),
    open: Float64Array.from(tp),
    high: Float64Array.from(tp),
    low: Float64Array.from(tp),
    close: Float64Array.from(tp),
    volume: Float64Array.from(vol),
  }
  const expectations: [string, number[]][] = [
    // Day: resets on Monday 00:00, on Friday and in April.
    ['vwap', [10, 70 / 4, 30, 35, 50, 60]],
    // Week (Monday 00:00 UTC): Sunday bars, then Monday..Friday, then April.
    ['vwap:week', [10, 70 / 4, 30, 35, 170 / 4, 60]],
    // Month: all of March, then April.
    ['vwap:month', [10, 70 / 4, 100 / 5, 140 / 6, 240 / 8, 60]],
    ['vwap:none', [10, 70 / 4, 100 / 5, 140 / 6, 240 / 8, 540 / 13]],
  ]
  it.each(expectations)('%s', (spec, expected) => {
    const run = runSpec(spec, s)
    for (const col of [run.batch.vwap!, run.stream.vwap!]) {
      expected.forEach((e, i) => expect(col[i]).toBeCloseTo(e, 12))
    }
  })

  it('is NaN while the session has had no volume', () => {
    const run = runSpec('vwap', { ...s, volume: Float64Array.from([0, 0, 0, 2, 0, 0]) })
    expect(Array.from(run.batch.vwap!).map((v) => (Number.isNaN(v) ? null : v))).toEqual([
      null,
      null,
      null,
      40,
      null,
      null,
    ])
  })
})
