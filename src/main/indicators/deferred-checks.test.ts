/**
 * The batch loops of sma, ema, rsi, macd and atr check finiteness once, on their final state
 * (see the argument in each); stoch does so for its steady blocks. These pin down that they still report exactly what a per-value
 * check would: the first bad value with its bar, wherever it is (first, last, inside a warm-up
 * longer than the series), and an overflow of huge finite values as an error, not ±Infinity.
 */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../shared/contract/errors'
import { atr } from './atr'
import { ema } from './ema'
import { macd } from './macd'
import { rsi } from './rsi'
import { sma } from './sma'
import { stoch } from './stoch'
import { randomWalk } from '../../../test/support/indicators/random-walk'

const walk = randomWalk(80, 11)

function thrown(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    expect((e as AppError).kind).toBe('validation')
    return e as AppError
  }
  throw new Error('expected a validation error')
}

const VALUE_FNS: [string, (v: Float64Array) => unknown][] = [
  ['sma', (v) => sma(v, 20)],
  ['ema', (v) => ema(v, 20)],
  ['rsi', (v) => rsi(v, 14)],
  ['macd', (v) => macd(v, {})],
  ['macd', (v) => macd(v, { seeding: 'independent' })],
]

describe('deferred finiteness checks', () => {
  it.each(VALUE_FNS)('%s: the first bad value is reported with its bar', (name, fn) => {
    for (const n of [1, 5, 80]) {
      for (const bar of [0, Math.floor(n / 2), n - 1]) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const v = walk.close.slice(0, n)
          v[bar] = bad
          if (bar + 1 < n) v[n - 1] = NaN // a later bad value must not be the one reported
          const err = thrown(() => fn(v))
          expect(err.message).toBe(`${name}: value at bar ${bar} is ${bad}; inputs must be finite numbers`)
        }
      }
    }
  })

  it.each(VALUE_FNS)('%s: an overflow of finite values is an error, not Infinity', (_, fn) => {
    const v = new Float64Array(60).fill(Number.MAX_VALUE)
    for (let i = 1; i < v.length; i += 2) v[i] = -Number.MAX_VALUE
    // sma/ema sums overflow; rsi's changes overflow; macd's seed sums overflow.
    const huge = new Float64Array(60).fill(Number.MAX_VALUE)
    for (const input of [v, huge]) {
      let err: AppError | null = null
      let out: unknown = null
      try {
        out = fn(input)
      } catch (e) {
        err = e as AppError
      }
      if (err) expect(err.message).toMatch(/overflow/)
      else expect(JSON.stringify(out)).not.toMatch(/Infinity/)
    }
  })

  it('atr: the earliest bad bar wins, whatever kind of problem comes first', () => {
    const high = walk.high.slice()
    const low = walk.low.slice()
    const close = walk.close.slice()
    close[5] = Infinity
    high[10] = low[10]! - 1
    expect(thrown(() => atr(high, low, close, 14)).message).toBe(
      'atr: close at bar 5 is Infinity; inputs must be finite numbers',
    )
    for (const field of ['high', 'low', 'close'] as const) {
      for (const bar of [0, 1, 14, 15, 79]) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const cols = { high: walk.high.slice(), low: walk.low.slice(), close: walk.close.slice() }
          cols[field][bar] = bad
          const err = thrown(() => atr(cols.high, cols.low, cols.close, 14))
          expect(err.message).toBe(`atr: ${field} at bar ${bar} is ${bad}; inputs must be finite numbers`)
        }
      }
    }
  })

  it('stoch: the first bad bar is reported, in the warm-up and in steady blocks alike', () => {
    // Period 5: blocks of 5 bars, steady from bar 10 on (lookback 4 + 2 + 2 = 8).
    for (const field of ['high', 'low', 'close'] as const) {
      for (const bar of [0, 7, 10, 12, 44, 79]) {
        for (const bad of [NaN, Infinity, -Infinity]) {
          const cols = { high: walk.high.slice(), low: walk.low.slice(), close: walk.close.slice() }
          cols[field][bar] = bad
          if (bar < 60) cols.high[70] = cols.low[70]! - 1 // a later bad bar must not be the one reported
          const err = thrown(() => stoch(cols.high, cols.low, cols.close, 5, 3, 3))
          expect(err.message).toBe(`stoch: ${field} at bar ${bar} is ${bad}; inputs must be finite numbers`)
        }
      }
    }
    const high = walk.high.slice()
    high[33] = walk.low[33]! - 0.5
    expect(thrown(() => stoch(high, walk.low, walk.close, 5, 3, 3)).message).toMatch(/^stoch: .*bar 33/)
  })
})
