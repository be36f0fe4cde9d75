/**
 * Properties every indicator must have, checked with fast-check on random candles:
 * - streaming equals batch, bit for bit, NaN for NaN;
 * - `preview` returns exactly what the following `update` returns and changes nothing, even
 *   after previews of unrelated bars;
 * - causality: changing bars after t never changes an output at or before t.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Candle } from '../../shared/domain/candles'
import { candleSeries } from './core/series'
import { INDICATORS } from './registry'
import { parseSpec } from './spec'
import { candlesArb } from '../../../test/support/indicators/arbitraries'

/** Small periods so that warm-ups end inside short random series; defaults as well. */
const SPECS = [
  'sma:3',
  'ema:4',
  'wma:3',
  'dema:3',
  'tema:3',
  'rsi:3',
  'macd:3,6,4',
  'macd:3,6,4,independent',
  'macd:5,5,2',
  'bbands:5,2',
  'bbands:1,1',
  'stddev:4,1.5',
  'trange',
  'atr:3',
  'atr:1',
  'natr:3',
  'stoch:5,3,2',
  'stochf:4,2',
  'stochrsi:3,4,2,2',
  'willr:4',
  'cci:5',
  'mfi:4',
  'obv',
  'obv:zero',
  'adx:3',
  'aroon:4',
  'donchian:4',
  'keltner:4,2,3',
  'vwap',
  'vwap:week',
  'vwap:month',
  'vwap:none',
  'supertrend:3,2',
  'sar',
  'sar:0.1,0.3',
  'ichimoku:3,5,8,5',
  ...INDICATORS.map((d) => d.id),
]

const same = (a: number, b: number): boolean => a === b || (a !== a && b !== b)

function batch(spec: string, candles: Candle[]): Float64Array[] {
  const s = parseSpec(spec)
  return s.descriptor.compute(candleSeries(candles), s.params)
}

describe('properties of every indicator', () => {
  it('the specs cover every registered indicator', () => {
    const ids = new Set(SPECS.map((s) => parseSpec(s).descriptor.id))
    expect([...ids].sort()).toEqual(INDICATORS.map((d) => d.id).sort())
  })

  it.each(SPECS)('%s: streaming = batch; preview = next update and leaves no trace', (spec) => {
    fc.assert(
      fc.property(candlesArb(), (candles) => {
        const cols = batch(spec, candles)
        const s = parseSpec(spec)
        const stream = s.descriptor.createStream(s.params)
        candles.forEach((bar, i) => {
          // A preview of some other bar first: it must not leave anything behind.
          stream.preview(candles[candles.length - 1 - i]!)
          const seen = stream.preview(bar)
          const got = stream.update(bar)
          got.forEach((v, k) => {
            if (!same(v, seen[k]!)) throw new Error(`bar ${i} output ${k}: preview ${seen[k]} update ${v}`)
            if (!same(v, cols[k]![i]!))
              throw new Error(`bar ${i} output ${k}: stream ${v} batch ${cols[k]![i]}`)
          })
        })
      }),
      { numRuns: 60 },
    )
  })

  it.each(SPECS)('%s: no output depends on a later bar', (spec) => {
    fc.assert(
      fc.property(candlesArb(), candlesArb(), fc.nat(), (a, b, cut) => {
        const t = a.length === 0 ? 0 : cut % a.length
        // Keep a[0..t], replace the rest with b's bars moved to later times.
        const shift = a.length > 0 ? a[t]!.time : 0
        const changed = [...a.slice(0, t + 1), ...b.map((c) => ({ ...c, time: c.time + shift }))]
        const before = batch(spec, a)
        const after = batch(spec, changed)
        for (let k = 0; k < before.length; k++) {
          for (let i = 0; i <= Math.min(t, a.length - 1); i++) {
            if (!same(before[k]![i]!, after[k]![i]!)) throw new Error(`output ${k} bar ${i} changed`)
          }
        }
      }),
      { numRuns: 40 },
    )
  })
})
