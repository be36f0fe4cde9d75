import { describe, expect, it } from 'vitest'
import { INDICATORS, getIndicator } from './registry'
import { parseSpec, specColumns } from './spec'
import { randomWalk } from '../../../test/support/indicators/random-walk'
import { AppError } from '../../shared/contract/errors'

const REQUIRED = [
  'sma',
  'ema',
  'wma',
  'dema',
  'tema',
  'rsi',
  'macd',
  'bbands',
  'atr',
  'natr',
  'trange',
  'stoch',
  'stochf',
  'stochrsi',
  'willr',
  'cci',
  'mfi',
  'obv',
  'adx',
  'aroon',
  'donchian',
  'keltner',
  'vwap',
  'supertrend',
  'sar',
  'ichimoku',
  'stddev',
]

describe('indicator registry', () => {
  it('describes every indicator of issue 4 exactly once, with lowercase ids', () => {
    const ids = INDICATORS.map((d) => d.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual([...REQUIRED].sort())
    for (const id of ids) expect(id).toBe(id.toLowerCase())
  })

  it('has consistent metadata: defaults within bounds, unique outputs, known inputs, a pane', () => {
    const fields = ['time', 'open', 'high', 'low', 'close', 'volume']
    for (const d of INDICATORS) {
      expect(d.title.length).toBeGreaterThan(0)
      expect(d.description.length).toBeGreaterThan(10)
      expect(['overlay', 'separate']).toContain(d.pane)
      for (const f of d.inputs) expect(fields).toContain(f)
      expect(new Set(d.outputs.map((o) => o.name)).size).toBe(d.outputs.length)
      for (const p of d.params) {
        if (p.kind === 'choice') expect(p.choices).toContain(p.default)
        else expect(p.exclusiveMin ? p.default > p.min : p.default >= p.min).toBe(true)
      }
    }
  })

  it('computes one column per output and streams the same outputs in the same order', () => {
    const s = randomWalk(80, 5)
    for (const d of INDICATORS) {
      const cols = d.compute(s)
      expect(cols).toHaveLength(d.outputs.length)
      const stream = d.createStream()
      expect(stream.outputs).toEqual(d.outputs.map((o) => o.name))
    }
  })

  it('names the outputs the chart and the CLI expect', () => {
    const names = (id: string): string[] => getIndicator(id).outputs.map((o) => o.name)
    expect(names('macd')).toEqual(['macd', 'signal', 'histogram'])
    expect(names('bbands')).toEqual(['upper', 'middle', 'lower', 'percentB', 'bandwidth'])
    expect(names('stoch')).toEqual(['k', 'd'])
    expect(names('adx')).toEqual(['adx', 'plusDI', 'minusDI'])
    expect(getIndicator('MACD').id).toBe('macd')
  })

  it('carries the Ichimoku display offsets', () => {
    const d = getIndicator('ichimoku')
    const p = parseSpec('ichimoku:9,26,52,30').params
    const offsets = Object.fromEntries(d.outputs.map((o) => [o.name, o.offset?.(p) ?? 0]))
    expect(offsets).toEqual({ conversion: 0, base: 0, spanA: 29, spanB: 29, lagging: -29 })
  })
})

describe('indicator specs', () => {
  it('reads positional parameters and fills defaults', () => {
    expect(parseSpec('macd:12,26,9').params).toEqual({ fast: 12, slow: 26, signal: 9, seeding: 'talib' })
    expect(parseSpec('macd:5').params).toEqual({ fast: 5, slow: 26, signal: 9, seeding: 'talib' })
    expect(parseSpec('macd:,,,independent').params.seeding).toBe('independent')
    expect(parseSpec('bbands:20,2.5').params).toEqual({ period: 20, mult: 2.5 })
    expect(parseSpec('obv').params).toEqual({ start: 'volume' })
    expect(parseSpec('sar:0.01,0.1').params).toEqual({ acceleration: 0.01, maximum: 0.1 })
  })

  it('names columns after the spec, with .output for several outputs', () => {
    expect(specColumns(parseSpec('sma:20'))).toEqual(['sma:20'])
    expect(specColumns(parseSpec('macd:12,26,9'))).toEqual([
      'macd:12,26,9.macd',
      'macd:12,26,9.signal',
      'macd:12,26,9.histogram',
    ])
    expect(specColumns(parseSpec('bbands:20,2'))[0]).toBe('bbands:20,2.upper')
    expect(specColumns(parseSpec('obv'))).toEqual(['obv'])
  })

  it.each([
    ['foo:3', 'indicator spec "foo:3": unknown indicator "foo"'],
    ['sma:0', 'indicator spec "sma:0": period must be an integer >= 1, got 0'],
    ['sma:2.5', 'indicator spec "sma:2.5": period must be an integer >= 1, got 2.5'],
    ['sma:x', 'indicator spec "sma:x": period must be a number, got "x"'],
    ['sma:20,3', 'indicator spec "sma:20,3": sma takes at most 1 parameter(s) (period), got 2'],
    ['bbands:20,-1', 'indicator spec "bbands:20,-1": mult must be a number >= 0, got -1'],
    [
      'macd:12,26,9,tv',
      'indicator spec "macd:12,26,9,tv": seeding must be one of talib, independent, got tv',
    ],
    [':3', 'indicator spec ":3": missing indicator name'],
  ])('%s is rejected: %s', (spec, message) => {
    let err: unknown
    try {
      parseSpec(spec)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).kind).toBe('validation')
    expect((err as AppError).message.startsWith(message)).toBe(true)
  })
})
