import { BLOCK, BlockedRecurrence, powers } from './core/blocked-recurrence'
import { trueRange } from './core/true-range'
import { HlcIndicator } from './core/streaming'
import { outColumn } from './core/out-columns'
import type { Hlc } from './core/types'
import { checkHlc, checkInteger, hlcError, okHlc, sameLength } from './core/validate'
import { PRIME_BARS, prime, primeSeries } from './core/prime'

/**
 * Average True Range (Wilder), TA-Lib convention: the true range of bar 0 is ignored (it has no
 * previous close); the first ATR, at bar `period`, is the mean of TR[1..period]; then
 * atr = (atr*(period-1) + tr)/period, run as atr*keep + tr*take (keep = (period-1)/period,
 * take = 1/period) in blocks of 8 bars (core/blocked-recurrence.ts): only one step per block
 * waits for the previous ATR. It differs from TA-Lib's form in the last bits only; batch and
 * streaming give the same bits. (TradingView and trading-signals count bar 0's high-low and
 * start one bar earlier; the difference fades out after a few periods.)
 */
export class Atr extends HlcIndicator {
  private readonly blocks: BlockedRecurrence
  private count = 0
  private prevClose = NaN
  private sum = 0

  constructor(readonly period = 14) {
    super('atr')
    checkInteger('atr', 'period', period, 1)
    this.blocks = new BlockedRecurrence((period - 1) / period, 1 / period)
  }

  step(high: number, low: number, close: number, commit: boolean): number {
    const n = this.count
    const p = this.period
    let v = NaN
    if (n > p) {
      v = this.blocks.step(trueRange(high, low, this.prevClose), commit)
    } else if (n > 0) {
      const sum = this.sum + trueRange(high, low, this.prevClose)
      if (n === p) v = sum / p
      if (commit) {
        this.sum = sum
        if (n === p) this.blocks.start(v)
      }
    }
    if (commit) {
      this.prevClose = close
      this.count = n + 1
    }
    return v
  }

  protected compute(bar: Hlc, commit: boolean): number {
    return this.step(bar.high, bar.low, bar.close, commit)
  }
}

/**
 * Batch form: the operations of `Atr.step`, running values in local variables: the seed's true
 * ranges summed up to bar `period`, then a full block per iteration with the powers of keep in
 * registers. Bar 0, whose range is not used, is checked in full; after it, each bar tests only
 * high >= low.
 *
 * Why that test is enough: it is false for a NaN high or low (so checkHlc runs and throws), and
 * for -Infinity high or +Infinity low with the other finite. What passes with a non-finite value
 * makes that bar's true range +Infinity or NaN (+Infinity high tops it; -Infinity low bottoms
 * it; a non-finite close is the next bar's prevClose and tops or bottoms the next range, or is
 * NaN in both comparisons, which then pick NaN). True ranges are never negative, so the seed sum
 * and the blocks (w = keep*w + take*tr and keep^j*v0 + w, keep >= 0, take > 0) keep a
 * non-finite value non-finite up to the last ATR, and a finite final ATR (or seed sum) and last
 * close prove every bar good; otherwise `hlcError` throws what checkHlc throws at the first bad
 * bar, as a checked loop would (or reports the overflow). A failed high >= low test goes through
 * `hlcError` too, so an earlier non-finite bar is still the one reported. `out`: see
 * out-columns.ts.
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
  return atrInto(high, low, close, p, powers((p - 1) / p), outColumn('atr', n, [high, low, close], out))
}

/** Bar i's true range, after the high >= low test (see `atr` for why it is enough). */
function rangeAt(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  i: number,
  prevClose: number,
): number {
  const h = high[i]!
  const l = low[i]!
  if (!(h >= l)) throw hlcError('atr', high, low, close, i)
  return trueRange(h, l, prevClose)
}

/** The loops of `atr` (kept apart so that their feedback is only typed arrays and numbers). */
function atrInto(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  p: number,
  pow: Float64Array,
  out: Float64Array,
): Float64Array {
  const n = high.length
  if (n === 0) return out
  const keep = pow[1]!
  const take = 1 / p
  if (!okHlc(high[0]!, low[0]!, close[0]!)) checkHlc('atr', high[0]!, low[0]!, close[0]!, 0)
  out[0] = NaN
  const warm = n > p ? p : n - 1
  let sum = 0
  let i = 1
  for (; i <= warm; i++) {
    sum = sum + rangeAt(high, low, close, i, close[i - 1]!)
    out[i] = NaN
  }
  let v0 = sum / p
  if (n > p) out[p] = v0
  const k1 = pow[1]!
  const k2 = pow[2]!
  const k3 = pow[3]!
  const k4 = pow[4]!
  const k5 = pow[5]!
  const k6 = pow[6]!
  const k7 = pow[7]!
  const k8 = pow[8]!
  for (; i + BLOCK <= n; i += BLOCK) {
    // The block's true ranges in w's chain, which does not wait for v0; then eight outputs off v0.
    const w1 = take * rangeAt(high, low, close, i, close[i - 1]!)
    const w2 = keep * w1 + take * rangeAt(high, low, close, i + 1, close[i]!)
    const w3 = keep * w2 + take * rangeAt(high, low, close, i + 2, close[i + 1]!)
    const w4 = keep * w3 + take * rangeAt(high, low, close, i + 3, close[i + 2]!)
    const w5 = keep * w4 + take * rangeAt(high, low, close, i + 4, close[i + 3]!)
    const w6 = keep * w5 + take * rangeAt(high, low, close, i + 5, close[i + 4]!)
    const w7 = keep * w6 + take * rangeAt(high, low, close, i + 6, close[i + 5]!)
    const w8 = keep * w7 + take * rangeAt(high, low, close, i + 7, close[i + 6]!)
    out[i] = k1 * v0 + w1
    out[i + 1] = k2 * v0 + w2
    out[i + 2] = k3 * v0 + w3
    out[i + 3] = k4 * v0 + w4
    out[i + 4] = k5 * v0 + w5
    out[i + 5] = k6 * v0 + w6
    out[i + 6] = k7 * v0 + w7
    v0 = k8 * v0 + w8
    out[i + 7] = v0
  }
  // The last, partial block, one bar at a time as `BlockedRecurrence.step` runs it.
  let last = v0
  let w = 0
  for (let j = 1; i < n; i++, j++) {
    const tr = rangeAt(high, low, close, i, close[i - 1]!)
    w = j === 1 ? take * tr : keep * w + take * tr
    last = pow[j]! * v0 + w
    out[i] = last
  }
  const lastClose = close[n - 1]!
  if ((n > p ? last : sum) - (n > p ? last : sum) + (lastClose - lastClose) !== 0)
    throw hlcError('atr', high, low, close, n - 1)
  return out
}

prime(() =>
  atrInto(
    primeSeries.high,
    primeSeries.low,
    primeSeries.close,
    14,
    powers(13 / 14),
    new Float64Array(PRIME_BARS),
  ),
)
