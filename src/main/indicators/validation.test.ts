/**
 * Bad input never turns into a silently wrong number: non-finite values, high below low,
 * negative volume, bad parameters and mismatched columns throw AppError('validation') naming
 * the indicator, the field or parameter and the bar; a period longer than the data gives the
 * documented all-NaN warm-up.
 */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../shared/contract/errors'
import { Atr, atr } from './atr'
import { Ema } from './ema'
import { Macd } from './macd'
import { Sar } from './sar'
import { Sma, sma } from './sma'
import type { CandleSeries } from './core/series'
import { INDICATORS, getIndicator } from './registry'
import { randomWalk } from '../../../test/support/indicators/random-walk'
import { candlesOf } from '../../../test/support/indicators/run-spec'

function validationError(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    expect((e as AppError).kind).toBe('validation')
    return e as AppError
  }
  throw new Error('expected a validation error')
}

function corrupt(s: CandleSeries, field: keyof CandleSeries, bar: number, value: number): CandleSeries {
  const copy = Float64Array.from(s[field])
  copy[bar] = value
  return { ...s, [field]: copy }
}

const walk = randomWalk(60, 3)

describe('bad input values', () => {
  it.each(INDICATORS.map((d) => [d.id, d] as const))(
    '%s: each input, NaN or ±Infinity, is reported by name and bar',
    (_, d) => {
      for (const field of d.inputs) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const err = validationError(() => d.compute(corrupt(walk, field, 17, bad)))
          expect(err.message).toContain(d.id)
          expect(err.message).toContain(field)
          expect(err.message).toContain('bar 17')
        }
      }
    },
  )

  it.each(INDICATORS.filter((d) => d.inputs.includes('high')).map((d) => [d.id, d] as const))(
    '%s: high below low is rejected, batch and streaming',
    (_, d) => {
      const s = corrupt(walk, 'high', 9, walk.low[9]! - 1)
      expect(validationError(() => d.compute(s)).message).toMatch(/high .* below low .* at bar 9/)
      const stream = d.createStream()
      const bars = candlesOf(s)
      for (let i = 0; i < 9; i++) stream.update(bars[i]!)
      expect(validationError(() => stream.update(bars[9]!)).message).toContain('bar 9')
      expect(validationError(() => stream.preview(bars[9]!)).message).toContain('below low')
    },
  )

  it.each(INDICATORS.filter((d) => d.inputs.includes('volume')).map((d) => [d.id, d] as const))(
    '%s: negative volume is rejected',
    (_, d) => {
      expect(validationError(() => d.compute(corrupt(walk, 'volume', 4, -1))).message).toContain(
        'volume at bar 4',
      )
    },
  )

  it('the low-level batch functions check their own inputs too', () => {
    expect(validationError(() => sma(Float64Array.of(1, 2, NaN, 4), 2)).message).toBe(
      'sma: value at bar 2 is NaN; inputs must be finite numbers',
    )
    expect(
      validationError(() => atr(Float64Array.of(2, 3), Float64Array.of(1), Float64Array.of(1, 2))).message,
    ).toBe('atr: low has 1 values but high has 2')
  })

  it('a bad bar fed to a stream throws and leaves its state untouched', () => {
    const bars = candlesOf(walk)
    const clean = new Atr(5)
    const hit = new Atr(5)
    bars.forEach((bar, i) => {
      if (i === 20) {
        expect(() => hit.update({ ...bar, close: NaN })).toThrow(AppError)
        expect(() => hit.update({ ...bar, high: bar.low - 1 })).toThrow(AppError)
      }
      expect(hit.update(bar)).toBe(clean.update(bar))
    })
    const s = new Sma(3)
    expect(() => s.update(Infinity)).toThrow(/value at bar 0 is Infinity/)
    expect(s.update(3)).toBeNaN()
  })
})

describe('bad parameters', () => {
  it.each([0, -1, 2.5, NaN, Infinity])('period %s is rejected by every indicator that has one', (bad) => {
    for (const d of INDICATORS.filter((x) => x.params.some((p) => p.name === 'period'))) {
      const err = validationError(() => d.compute(walk, { period: bad }))
      expect(err.message).toContain(`${d.id}: period must be an integer >=`)
      expect(err.path).toBe('period')
      expect(() => d.createStream({ period: bad })).toThrow(AppError)
    }
  })

  it('constructors check their parameters as well', () => {
    expect(validationError(() => new Sma(0)).message).toBe('sma: period must be an integer >= 1, got 0')
    expect(validationError(() => new Ema(1.5)).message).toContain('ema: period')
    expect(validationError(() => new Macd({ fast: 26, slow: 12 })).message).toBe(
      'macd: fast (26) must not exceed slow (12)',
    )
    expect(validationError(() => new Sar(0.3, 0.2)).message).toContain('must not exceed maximum')
    expect(validationError(() => new Sar(0, 0.2)).message).toContain('acceleration must be a number > 0')
  })

  it('choices and unknown parameter names are rejected', () => {
    expect(validationError(() => getIndicator('macd').compute(walk, { seeding: 'tv' })).message).toBe(
      'macd: seeding must be one of talib, independent, got tv',
    )
    expect(validationError(() => getIndicator('sma').compute(walk, { length: 3 })).message).toContain(
      'unknown parameter "length"',
    )
    expect(validationError(() => getIndicator('nope')).message).toContain('unknown indicator "nope"')
  })

  it('RSI and ADX need a period of at least 2', () => {
    expect(validationError(() => getIndicator('rsi').compute(walk, { period: 1 })).message).toContain('>= 2')
    expect(validationError(() => getIndicator('adx').compute(walk, { period: 1 })).message).toContain('>= 2')
  })
})

describe('a period longer than the data', () => {
  it('gives an all-NaN warm-up, not an error (documented)', () => {
    for (const d of INDICATORS) {
      const params: Record<string, number> = {}
      for (const p of d.params) if (p.kind === 'integer') params[p.name] = 500
      if (d.id === 'macd') params.fast = 400
      const cols = d.compute(walk, params)
      expect(cols).toHaveLength(d.outputs.length)
      for (const [k, col] of cols.entries()) {
        expect(col).toHaveLength(walk.close.length)
        // Outputs with no window (OBV, TRANGE, VWAP, SAR, the lagging span) have values anyway.
        const windowed = d.params.some((p) => p.kind === 'integer') && d.outputs[k]!.name !== 'lagging'
        if (windowed) expect(col.every(Number.isNaN), `${d.id}.${d.outputs[k]!.name}`).toBe(true)
      }
    }
  })

  it('an empty series gives empty columns', () => {
    const empty = randomWalk(0, 1)
    for (const d of INDICATORS) for (const col of d.compute(empty)) expect(col).toHaveLength(0)
  })
})
