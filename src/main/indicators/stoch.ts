import { RollingMax, RollingMin } from './core/rolling-extremes'
import { PRIME_BARS, prime, primeSeries } from './core/prime'
import { HlcIndicator } from './core/streaming'
import { outColumns } from './core/out-columns'
import type { Hlc } from './core/types'
import { checkHlc, checkInteger, hlcError, okHlc, sameLength } from './core/validate'

export interface StochValue {
  k: number
  d: number
}

export interface StochSeries {
  k: Float64Array
  d: Float64Array
}

/**
 * Raw (fast) %K over `period` bars: 100 × (close - lowest low)/(highest high - lowest low),
 * 0 when the range is 0 (TA-Lib). Shared by Stoch, StochF and StochRsi.
 */
export class FastK {
  private readonly hi: RollingMax
  private readonly lo: RollingMin

  constructor(readonly period: number) {
    this.hi = new RollingMax(period)
    this.lo = new RollingMin(period)
  }

  step(high: number, low: number, close: number, commit: boolean): number {
    return rawK(this.hi.step(high, commit), this.lo.step(low, commit), close)
  }
}

/**
 * Raw %K from the window's highest high and lowest low: 100 × (close - ll)/(hh - ll), 0 for a
 * range of 0 (TA-Lib). One division; TA-Lib divides twice, (close - ll)/((hh - ll)/100), which
 * differs in the last bit at most and costs a second trip through the divider, the busiest unit
 * of the batch loop.
 */
export function rawK(hh: number, ll: number, close: number): number {
  const range = hh - ll
  return range !== 0 ? (100 * (close - ll)) / range : 0
}

/**
 * Stoch's smoothing: the SMA of `Sma.step` (zeroed ring, sum = sum + x - leaving), with the mean
 * taken as sum × (1/period), a multiply instead of a division (equal up to the last bit).
 */
export class RingMean {
  private readonly buf: Float64Array
  private readonly inv: number
  private pos = 0
  private count = 0
  private sum = 0

  constructor(readonly period: number) {
    this.buf = new Float64Array(period)
    this.inv = 1 / period
  }

  step(x: number, commit: boolean): number {
    const p = this.period
    const n = this.count
    const pos = this.pos
    const sum = this.sum + x - this.buf[pos]!
    if (commit) {
      this.buf[pos] = x
      this.pos = pos + 1 === p ? 0 : pos + 1
      this.sum = sum
      this.count = n + 1
    }
    return n + 1 >= p ? sum * this.inv : NaN
  }
}

/**
 * Slow stochastic, TA-Lib STOCH with SMA smoothing (also backtrader's Stochastic):
 * k = SMA(kSmooth) of raw %K(period), d = SMA(dPeriod) of k (see RingMean). Both outputs start together, as
 * in TA-Lib, at bar (period-1) + (kSmooth-1) + (dPeriod-1): bar 17 for 14,3,3.
 * technicalindicators' "Stochastic" is the fast one: see StochF.
 */
export class Stoch extends HlcIndicator<StochValue> {
  readonly out: StochValue = { k: NaN, d: NaN }
  private readonly fastK: FastK
  private readonly kSma: RingMean
  private readonly dSma: RingMean
  private readonly lookback: number
  private count = 0

  constructor(
    readonly period = 14,
    readonly kSmooth = 3,
    readonly dPeriod = 3,
  ) {
    super('stoch')
    checkInteger('stoch', 'period', period, 1)
    checkInteger('stoch', 'kSmooth', kSmooth, 1)
    checkInteger('stoch', 'dPeriod', dPeriod, 1)
    this.fastK = new FastK(period)
    this.kSma = new RingMean(kSmooth)
    this.dSma = new RingMean(dPeriod)
    this.lookback = period - 1 + kSmooth - 1 + dPeriod - 1
  }

  step(high: number, low: number, close: number, commit: boolean): void {
    const n = this.count
    if (commit) this.count = n + 1
    const raw = this.fastK.step(high, low, close, commit)
    let k = NaN
    let d = NaN
    if (n >= this.period - 1) {
      k = this.kSma.step(raw, commit)
      if (k === k) d = this.dSma.step(k, commit)
    }
    const ready = n >= this.lookback
    this.out.k = ready ? k : NaN
    this.out.d = ready ? d : NaN
  }

  protected compute(bar: Hlc, commit: boolean): StochValue {
    this.step(bar.high, bar.low, bar.close, commit)
    return { ...this.out }
  }
}

/**
 * Batch form: the steps of `Stoch.step` with local state. The window extremes come from blocks
 * (van Herk / Gil-Werman) instead of the streaming deque: max and min are exact, so any correct
 * scan gives the very values of RollingMax/RollingMin. Cut the series into blocks of `period`
 * bars; a full window ending at bar i is the tail of the previous block (from i - period + 1)
 * plus the head of the current one (up to i), so its highest high is the larger of a suffix
 * maximum of the previous block, computed backwards when a block starts, and the running maximum
 * of the current block. Three comparisons per bar and side, none of the deque's unpredictable
 * pops and none of the rescans of a "current extreme" scheme, which on a random walk expires
 * every few bars. On market data these comparisons are close to coin flips, so all of them are
 * done without a branch (`pick`): on 1M bars of a random walk the extremes alone took 9.6 ms so,
 * 12.8 ms with conditional jumps. The exception is the final comparison of each window, which
 * is predictable (see stochInto): whole Stoch 14,3,3 on 1M bars 14.2 -> 13.4 ms in the bench.
 * Tried and slower here: a one-pass doubling scan (max over 2, 4, 8 bars, then the two
 * overlapping 8s: 4 picks per bar and side, no block pass), 14.9 ms hard-coded for period 14 and
 * 18.6 ms with a loop over the levels; and Math.max, which V8 compiles to jumps (9.5 ms for 3
 * levels of maxima alone, against 3.1 with picks).
 */
export function stoch(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 14,
  kSmooth = 3,
  dPeriod = 3,
  out?: StochSeries,
): StochSeries {
  const n = sameLength('stoch', { high, low, close })
  new Stoch(period, kSmooth, dPeriod) // validates the parameters
  const res = outColumns('stoch', ['k', 'd'], n, [high, low, close], out)
  stochInto(
    high,
    low,
    close,
    period,
    kSmooth,
    dPeriod,
    res.k,
    res.d,
    new Float64Array(4 * (period + 1) + kSmooth + dPeriod),
  )
  return res
}

/**
 * `g ? a : b` without a branch, for g = +(a > b) (a max) or +(a < b) (a min): g is 0 or 1 (a
 * comparison read as a number, from a flag register, not a jump), and g*a + (1-g)*b is then a or
 * b exactly, for finite a and b (the loop checks every bar before using it). A zero's sign may
 * be lost (0*-0 + 1*0 is +0), which no Stoch output can show: a raw %K of ±0 adds nothing to the
 * sums of the SMAs, which start at +0.
 */
function pick(g: number, a: number, b: number): number {
  return g * a + (1 - g) * b
}

/**
 * The loops of `stoch`; `scratch` holds two suffix buffers (each `period` slots plus one for the
 * identity) for the highs, two for the lows, and the two SMA rings.
 *
 * One loop per block: while bar i of the block runs forward (running maxima/minima, window
 * extremes, %K, the SMAs), the same iteration builds the block's suffix extremes backwards from
 * its last bar, for the next block. Each of the four running extremes is a chain of one `pick`
 * per bar; in one loop they overlap with each other and with the divisions of %K, instead of
 * waiting for one another. The backward reads run ahead of the checks; a bad bar still throws,
 * at its own turn and before anything computed from it is used.
 *
 * Full blocks past the warm-up take a second copy of the loop without the warm-up's branches and
 * counters (12.4 -> 10.4 ms per 1M bars). Its check is lighter too: a range below 0 (or NaN)
 * throws at once; a non-finite value that passes it (an infinite high, a NaN close) makes `bad`
 * NaN, and the final test then throws what the first bad bar would have thrown. The outputs
 * computed from such a bar in between are never returned.
 */
function stochInto(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  kSmooth: number,
  dPeriod: number,
  kOut: Float64Array,
  dOut: Float64Array,
  scratch: Float64Array,
): void {
  const n = high.length
  const lookback = period - 1 + kSmooth - 1 + dPeriod - 1
  const size = period + 1
  const MAX = Number.MAX_VALUE
  // [hiA | hiB | loA | loB], `size` slots each: slot `period` of each keeps the identity (the
  // most negative, resp. positive, finite double), read by the window that is exactly one block.
  scratch.fill(-MAX, 0, 2 * size)
  scratch.fill(MAX, 2 * size, 4 * size)
  const kRing = 4 * size
  const dRing = kRing + kSmooth
  scratch.fill(0, kRing)
  let prevH = 0 // the previous block's suffix maxima (all identity before block 1)
  let curH = size
  const kInv = 1 / kSmooth
  const dInv = 1 / dPeriod
  let kSum = 0
  let kPos = 0
  let kCount = 0
  let dSum = 0
  let dPos = 0
  let dCount = 0
  // NaN once any steady bar had a non-finite value (see the steady loop).
  let bad = 0
  for (let start = 0; start < n; start += period) {
    const end = start + period < n ? start + period : n
    const last = start + period - 1
    let ph = -MAX
    let pl = MAX
    let sh = -MAX
    let sl = MAX
    if (start >= lookback && end === start + period) {
      // A full block past the warm-up (all blocks but the first few and a partial last one): the
      // loop below without its warm-up branches and counters, and with the lighter check of
      // steady bars. The same operations in the same order, so the same numbers.
      for (let t = 0; t < period; t++) {
        const i = start + t
        const hb = high[last - t]!
        const lb = low[last - t]!
        sh = pick(+(hb > sh), hb, sh)
        sl = pick(+(lb < sl), lb, sl)
        scratch[curH + period - 1 - t] = sh
        scratch[curH + 2 * size + period - 1 - t] = sl
        const c = close[i]!
        const h = high[i]!
        const l = low[i]!
        const range = h - l
        if (!(range >= 0)) throw hlcError('stoch', high, low, close, i)
        bad = bad + (range - range + (c - c))
        ph = pick(+(h > ph), h, ph)
        pl = pick(+(l < pl), l, pl)
        const th = scratch[prevH + t + 1]!
        const tl = scratch[prevH + 2 * size + t + 1]!
        const raw = rawK(th > ph ? th : ph, tl < pl ? tl : pl, c)
        kSum = kSum + raw - scratch[kRing + kPos]!
        scratch[kRing + kPos] = raw
        kPos = kPos + 1 === kSmooth ? 0 : kPos + 1
        const k = kSum * kInv
        dSum = dSum + k - scratch[dRing + dPos]!
        scratch[dRing + dPos] = k
        dPos = dPos + 1 === dPeriod ? 0 : dPos + 1
        kOut[i] = k
        dOut[i] = dSum * dInv
      }
      kCount += period
      dCount += period
      const swap = prevH
      prevH = curH
      curH = swap
      continue
    }
    for (let i = start; i < end; i++) {
      const t = i - start
      // This block's suffix extremes from its last bar backwards (the next block's windows).
      const back = last - t < n ? last - t : n - 1
      const hb = high[back]!
      const lb = low[back]!
      sh = pick(+(hb > sh), hb, sh)
      sl = pick(+(lb < sl), lb, sl)
      scratch[curH + period - 1 - t] = sh
      scratch[curH + 2 * size + period - 1 - t] = sl
      const c = close[i]!
      const h = high[i]!
      const l = low[i]!
      if (!okHlc(h, l, c)) checkHlc('stoch', h, l, c, i)
      ph = pick(+(h > ph), h, ph)
      pl = pick(+(l < pl), l, pl)
      if (i < period - 1) {
        kOut[i] = NaN
        dOut[i] = NaN
        continue
      }
      // The window [i - period + 1, i]: the previous block's suffix from offset t + 1. Here a
      // branch, not a pick (Gil-Kimmel): along a block that suffix never rises and the running
      // maximum never falls, so `th > ph` is true up to one crossing and false after it: about
      // one mispredict per block and side, cheaper than a pick per bar (12.8 -> 11.9 ms).
      const th = scratch[prevH + t + 1]!
      const tl = scratch[prevH + 2 * size + t + 1]!
      const hh = th > ph ? th : ph
      const ll = tl < pl ? tl : pl
      const raw = rawK(hh, ll, c)
      kSum = kSum + raw - scratch[kRing + kPos]!
      scratch[kRing + kPos] = raw
      kPos = kPos + 1 === kSmooth ? 0 : kPos + 1
      let k = ++kCount >= kSmooth ? kSum * kInv : NaN
      let d = NaN
      if (k === k) {
        dSum = dSum + k - scratch[dRing + dPos]!
        scratch[dRing + dPos] = k
        dPos = dPos + 1 === dPeriod ? 0 : dPos + 1
        d = ++dCount >= dPeriod ? dSum * dInv : NaN
      }
      if (i < lookback) {
        k = NaN
        d = NaN
      }
      kOut[i] = k
      dOut[i] = d
    }
    const swap = prevH
    prevH = curH
    curH = swap
  }
  if (bad !== 0) throw hlcError('stoch', high, low, close, n - 1)
}

prime(() =>
  stochInto(
    primeSeries.high,
    primeSeries.low,
    primeSeries.close,
    14,
    3,
    3,
    new Float64Array(PRIME_BARS),
    new Float64Array(PRIME_BARS),
    new Float64Array(4 * 15 + 6),
  ),
)
