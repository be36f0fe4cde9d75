/**
 * Against the worked examples of the technicalindicators npm package
 * (technicalindicators_vectors.json; mostly StockCharts ChartSchool). Its outputs omit the
 * warm-up, so expected[i] belongs to bar firstBar + i. Tolerances: 1e-9 relative where the
 * package keeps full precision, 0.0051 where its test rounds to 2 decimals. Conventions that
 * differ and how they are handled:
 * - MACD: technicalindicators seeds each EMA on its own -> `independent` seeding.
 * - Stochastic: its "Stochastic" is the fast one (STOCHF), and it shows %K from bar 13 where
 *   TA-Lib (and we) align %K with %D from bar 15; compared from bar 15.
 * - MFI: it starts one bar later (bar 15 vs TA-Lib's 14); compared from bar 15. Its example
 *   has bars with low above high; MFI only reads (high+low+close)/3, so the two are swapped
 *   to pass our high >= low check without changing any value.
 * - OBV: it starts at 0 and shows values from bar 1 -> `start=zero`; TA-Lib's start is the same
 *   series plus volume[0].
 * - VWAP: cumulative from bar 0 = one session; bars are given times within one UTC day.
 */
import { describe, expect, it } from 'vitest'
import { runSpec } from '../../../test/support/indicators/run-spec'
import { tiVector, type TiVector } from '../../../test/support/indicators/reference-data'
import type { CandleSeries } from './core/series'

function seriesOf(v: TiVector): CandleSeries {
  const close = Float64Array.from(v.input.values ?? v.input.close ?? [])
  const n = close.length
  const col = (name: string, fallback: Float64Array): Float64Array =>
    v.input[name] ? Float64Array.from(v.input[name]) : fallback
  return {
    time: Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 2) + i * 60_000),
    open: close,
    high: col('high', close),
    low: col('low', close),
    close,
    volume: col('volume', new Float64Array(n)),
  }
}

/** Compares expected[i] with both forms of ours at bar firstBar + i. */
function compare(
  spec: string,
  output: string,
  s: CandleSeries,
  expected: readonly (number | null)[],
  firstBar: number,
  tol: { rel?: number; abs?: number },
  fromBar = 0,
): number {
  const run = runSpec(spec, s)
  let checked = 0
  expected.forEach((e, i) => {
    const bar = firstBar + i
    if (e === null || bar < fromBar) return
    const allowed = tol.abs ?? (tol.rel ?? 0) * Math.max(1, Math.abs(e))
    for (const col of [run.batch[output]!, run.stream[output]!]) {
      expect(Math.abs(col[bar]! - e), `${spec}.${output} bar ${bar}`).toBeLessThanOrEqual(allowed)
    }
    checked++
  })
  expect(checked).toBeGreaterThan(0)
  return checked
}

const FULL = { rel: 1e-9 }
const TWO_DECIMALS = { abs: 0.0051 }
const nums = (v: TiVector): number[] => v.expected as number[]
const field = (v: TiVector, key: string): (number | null)[] =>
  (v.expected as Record<string, number | null>[]).map((e) => e[key] ?? null)

describe('technicalindicators vectors', () => {
  it('SMA, EMA, WMA: first value at bar period-1', () => {
    for (const [name, id] of [
      ['SMA', 'sma'],
      ['EMA', 'ema'],
      ['WMA', 'wma'],
    ] as const) {
      const v = tiVector(name)
      const p = v.params.period as number
      compare(`${id}:${p}`, id, seriesOf(v), nums(v), p - 1, FULL)
    }
  })

  it('MACD 5,8,3 with independent EMA seeding; the MACD line from bar slow-1', () => {
    const v = tiVector('MACD')
    const s = seriesOf(v)
    compare('macd:5,8,3,independent', 'macd', s, field(v, 'MACD'), 7, FULL)
    compare('macd:5,8,3,independent', 'signal', s, field(v, 'signal'), 7, FULL)
    compare('macd:5,8,3,independent', 'histogram', s, field(v, 'histogram'), 7, FULL)
  })

  it('RSI 14 (ChartSchool, 2 decimals) and its flat/no-loss case', () => {
    const v = tiVector('RSI')
    compare('rsi:14', 'rsi', seriesOf(v), nums(v), 14, TWO_DECIMALS)
    const flat = tiVector('RSI (flat/no-loss edge case)')
    compare('rsi:14', 'rsi', seriesOf(flat), nums(flat), 14, TWO_DECIMALS)
  })

  it('Bollinger Bands 10,2 with %B', () => {
    const v = tiVector('BollingerBands')
    const s = seriesOf(v)
    for (const [theirs, ours] of [
      ['upper', 'upper'],
      ['middle', 'middle'],
      ['lower', 'lower'],
      ['pb', 'percentB'],
    ]) {
      compare('bbands:10,2', ours!, s, field(v, theirs!), 9, FULL)
    }
  })

  it('ATR 14 (ChartSchool)', () => {
    const v = tiVector('ATR')
    compare('atr:14', 'atr', seriesOf(v), nums(v), 14, FULL)
  })

  it('Stochastic 14,3 is STOCHF; compared from bar 15 where TA-Lib alignment starts', () => {
    const v = tiVector('Stochastic')
    const s = seriesOf(v)
    expect(compare('stochf:14,3', 'k', s, field(v, 'k'), 13, FULL, 15)).toBe(15)
    compare('stochf:14,3', 'd', s, field(v, 'd'), 13, FULL, 15)
    const k = runSpec('stochf:14,3', s).batch.k!
    expect(Number.isNaN(k[14]!)).toBe(true)
  })

  it('Williams %R 14 and CCI 20', () => {
    const w = tiVector('WilliamsR')
    compare('willr:14', 'willr', seriesOf(w), nums(w), 13, FULL)
    const c = tiVector('CCI')
    compare('cci:20', 'cci', seriesOf(c), nums(c), 19, FULL)
  })

  it('MFI 14: theirs starts at bar 15, ours at bar 14 like TA-Lib', () => {
    const v = tiVector('MFI')
    const s = seriesOf(v)
    const high = s.high.map((h, i) => Math.max(h, s.low[i]!))
    const low = s.low.map((l, i) => Math.min(l, s.high[i]!))
    const fixed = { ...s, high, low }
    compare('mfi:14', 'mfi', fixed, nums(v), 15, TWO_DECIMALS)
    const ours = runSpec('mfi:14', fixed).batch.mfi!
    expect(Number.isNaN(ours[13]!)).toBe(true)
    expect(Number.isNaN(ours[14]!)).toBe(false)
  })

  it('OBV: start=zero equals theirs from bar 1; the TA-Lib default adds volume[0]', () => {
    const v = tiVector('OBV')
    const s = seriesOf(v)
    compare('obv:zero', 'obv', s, nums(v), 1, FULL)
    const v0 = s.volume[0]!
    compare(
      'obv',
      'obv',
      s,
      nums(v).map((x) => x + v0),
      1,
      FULL,
    )
    expect(runSpec('obv', s).batch.obv![0]).toBe(v0)
    expect(runSpec('obv:zero', s).batch.obv![0]).toBe(0)
  })

  it('VWAP: cumulative within one session, to 2 decimals and to the recomputed full precision', () => {
    const v = tiVector('VWAP')
    const s = seriesOf(v)
    compare('vwap', 'vwap', s, nums(v), 0, { abs: 0.005 + 1e-9 })
    compare('vwap', 'vwap', s, v.recomputed_full_precision!, 0, FULL)
    compare('vwap:none', 'vwap', s, v.recomputed_full_precision!, 0, FULL)
  })
})
