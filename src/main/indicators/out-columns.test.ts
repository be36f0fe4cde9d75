/**
 * Batch functions that take the caller's output columns (`out`) give exactly what they return
 * when they allocate, overwrite whatever the columns held, and refuse columns of the wrong length
 * or sharing memory with an input or another output.
 */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../shared/contract/errors'
import { atr, bbands, ema, macd, rsi, sma, stoch } from './index'
import { randomWalk } from '../../../test/support/indicators/random-walk'

const N = 400
const w = randomWalk(N, 7)

type Columns = Record<string, Float64Array>

/** Each case: compute allocating (no `out`) or into the given columns. */
const CASES: [string, string[], (out?: Columns) => Columns][] = [
  ['sma', ['out'], (o) => ({ out: sma(w.close, 20, o?.out) })],
  ['ema', ['out'], (o) => ({ out: ema(w.close, 20, o?.out) })],
  ['rsi', ['out'], (o) => ({ out: rsi(w.close, 14, o?.out) })],
  ['atr', ['out'], (o) => ({ out: atr(w.high, w.low, w.close, 14, o?.out) })],
  [
    'macd',
    ['macd', 'signal', 'histogram'],
    (o) => ({ ...macd(w.close, {}, o as Parameters<typeof macd>[2]) }),
  ],
  [
    'bbands',
    ['upper', 'middle', 'lower', 'percentB', 'bandwidth'],
    (o) => ({ ...bbands(w.close, 20, 2, o as Parameters<typeof bbands>[3]) }),
  ],
  [
    'stoch',
    ['k', 'd'],
    (o) => ({ ...stoch(w.high, w.low, w.close, 14, 3, 3, o as Parameters<typeof stoch>[6]) }),
  ],
]

function dirtyColumns(keys: string[]): Columns {
  return Object.fromEntries(keys.map((k) => [k, new Float64Array(N).fill(12345.678)]))
}

function same(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]))
}

function thrown(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    return e as AppError
  }
  throw new Error('expected an error')
}

describe('batch functions into the caller’s columns', () => {
  it.each(CASES)(
    '%s: same numbers as allocating, in the columns given, whatever they held',
    (_, keys, run) => {
      const fresh = run()
      const given = dirtyColumns(keys)
      for (let pass = 0; pass < 2; pass++) {
        const res = run(given)
        for (const k of keys) {
          expect(res[k]).toBe(given[k])
          expect(same(given[k]!, fresh[k]!)).toBe(true)
        }
      }
    },
  )

  it.each(CASES)('%s: a column of the wrong length is refused, naming it', (name, keys, run) => {
    const given = dirtyColumns(keys)
    const last = keys[keys.length - 1]!
    given[last] = new Float64Array(N - 1)
    const field = last === 'out' ? 'out' : `out.${last}`
    const err = thrown(() => run(given))
    expect(err.path).toBe(field)
    expect(err.message).toBe(
      `${name}: ${field} has ${N - 1} slots for ${N} bars; it needs exactly one per bar`,
    )
  })

  it('a column sharing memory with an input or another output is refused; disjoint views are fine', () => {
    const close = w.close.slice()
    expect(thrown(() => sma(close, 20, close)).message).toMatch(/^sma: out shares memory with an input/)
    const buf = new Float64Array(3 * N)
    const cols = { macd: buf.subarray(0, N), signal: buf.subarray(N, 2 * N), histogram: buf.subarray(2 * N) }
    expect(same(macd(close, {}, cols).histogram, macd(close).histogram)).toBe(true)
    const overlapping = { ...cols, histogram: buf.subarray(N - 1, 2 * N - 1) }
    const err = thrown(() => macd(close, {}, overlapping))
    expect(err.path).toBe('out.histogram')
    const both = new Float64Array(N + 1)
    expect(
      thrown(() => stoch(w.high, w.low, w.close, 14, 3, 3, { k: both.subarray(1), d: both.subarray(0, N) }))
        .path,
    ).toBe('out.d')
  })
})
