import { wilder } from './core/arith'
import { trueRange } from './core/true-range'
import { HlcIndicator } from './core/streaming'
import { outColumn } from './core/out-columns'
import type { Hlc } from './core/types'
import { checkHlc, checkInteger, hlcError, okHlc, sameLength } from './core/validate'
import { PRIME_BARS, prime, primeSeries } from './core/prime'

/**
 * Average True Range (Wilder), TA-Lib convention: the true range of bar 0 is ignored (it has no
 * previous close); the first ATR, at bar `period`, is the mean of TR[1..period]; then
 * atr = (atr*(period-1) + tr)/period (as a multiply-add, see `wilder`). (TradingView and trading-signals count bar 0's high-low
 * and start one bar earlier; the difference fades out after a few periods.)
 */
export class Atr extends HlcIndicator {
  private count = 0
  private prevClose = NaN
  private acc = 0
  private readonly keep: number
  private readonly take: number

  constructor(readonly period = 14) {
    super('atr')
    checkInteger('atr', 'period', period, 1)
    this.keep = (period - 1) / period
    this.take = 1 / period
  }

  step(high: number, low: number, close: number, commit: boolean): number {
    const n = this.count
    const p = this.period
    let acc = 0
    if (n > 0) {
      const tr = trueRange(high, low, this.prevClose)
      acc = n <= p ? this.acc + tr : wilder(this.acc, tr, this.keep, this.take)
      if (n === p) acc /= p
    }
    if (commit) {
      this.prevClose = close
      this.acc = acc
      this.count = n + 1
    }
    return n >= p ? acc : NaN
  }

  protected compute(bar: Hlc, commit: boolean): number {
    return this.step(bar.high, bar.low, bar.close, commit)
  }
}

/**
 * Batch form: the operations of `Atr.step`, running values in local variables, in one loop after
 * bar 0 (true ranges summed for the seed up to bar `period`, then Wilder smoothing; one loop
 * measured faster than one per phase). Bar 0, whose range is not used, is checked in full;
 * after it, each bar tests only high >= low.
 *
 * Why that test is enough: it is false for a NaN high or low (so checkHlc runs and throws), and
 * for -Infinity high or +Infinity low with the other finite. What passes with a non-finite value
 * makes that bar's true range +Infinity or NaN (+Infinity high tops it; -Infinity low bottoms
 * it; a non-finite close is the next bar's prevClose and tops or bottoms the next range, or is
 * NaN in both comparisons, which then pick NaN). The seed sum and the smoothing
 * (acc*keep + tr*take, keep >= 0, take > 0) keep a non-finite value non-finite, so a finite final
 * `acc` and last close prove every bar good; otherwise `hlcError` throws what checkHlc throws at
 * the first bad bar, as the checked loop did (or reports the overflow). A failed high >= low
 * test goes through `hlcError` too, so an earlier non-finite bar is still the one reported.
 */
export function atr(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 14,
  out?: Float64Array,
): Float64Array {
  const n = sameLength('atr', { high, low, close })
  const p = checkInteger('atr', 'period', period, 1)
  return atrInto(high, low, close, p, outColumn('atr', n, [high, low, close], out))
}

/** The loops of `atr` (kept apart so that their feedback is only typed arrays and numbers). */
function atrInto(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  p: number,
  out: Float64Array,
): Float64Array {
  const n = high.length
  if (n === 0) return out
  const keep = (p - 1) / p
  const take = 1 / p
  if (!okHlc(high[0]!, low[0]!, close[0]!)) checkHlc('atr', high[0]!, low[0]!, close[0]!, 0)
  let prevClose = close[0]!
  let acc = 0
  out[0] = NaN
  for (let i = 1; i < n; i++) {
    const h = high[i]!
    const l = low[i]!
    if (!(h >= l)) throw hlcError('atr', high, low, close, i)
    const tr = trueRange(h, l, prevClose)
    prevClose = close[i]!
    if (i > p) {
      acc = wilder(acc, tr, keep, take)
      out[i] = acc
    } else {
      acc = acc + tr
      if (i === p) acc /= p
      out[i] = i === p ? acc : NaN
    }
  }
  if (acc - acc + (prevClose - prevClose) !== 0) throw hlcError('atr', high, low, close, n - 1)
  return out
}

prime(() => atrInto(primeSeries.high, primeSeries.low, primeSeries.close, 14, new Float64Array(PRIME_BARS)))
