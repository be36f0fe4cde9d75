import { AppError } from '../../shared/contract/errors'
import { SerialEma } from './ema'
import { emaNext } from './core/arith'
import { ValueIndicator } from './core/streaming'
import { outColumns } from './core/out-columns'
import { checkInteger, nonFiniteError } from './core/validate'
import { PRIME_BARS, prime, primeSeries } from './core/prime'

/**
 * How the two EMAs of MACD are seeded.
 * - `talib` (default, TA-Lib MACD): the fast EMA starts `slow - fast` bars late, so both EMAs
 *   are seeded (with an SMA) on bar `slow - 1`; the signal EMA is seeded with the SMA of the
 *   first `signal` MACD values; all three outputs start together at bar `slow + signal - 2`
 *   (bar 33 for 12,26,9).
 * - `independent` (backtrader, technicalindicators, TradingView-style): each EMA is seeded on
 *   its own first `period` bars; the MACD line starts at bar `slow - 1`, signal and histogram
 *   at bar `slow + signal - 2`. Early values differ from `talib`; later they converge.
 */
export type MacdSeeding = 'talib' | 'independent'
export const MACD_SEEDINGS: readonly MacdSeeding[] = ['talib', 'independent']

export interface MacdValue {
  macd: number
  signal: number
  histogram: number
}

export interface MacdParams {
  fast?: number
  slow?: number
  signal?: number
  seeding?: MacdSeeding
}

/** MACD = EMA(fast) - EMA(slow); signal = EMA(signal) of MACD; histogram = MACD - signal. */
export class Macd extends ValueIndicator<MacdValue> {
  readonly out: MacdValue = { macd: NaN, signal: NaN, histogram: NaN }
  readonly fast: number
  readonly slow: number
  readonly signal: number
  readonly seeding: MacdSeeding
  private readonly fastEma: SerialEma
  private readonly slowEma: SerialEma
  private readonly signalEma: SerialEma
  private readonly fastDelay: number
  private count = 0

  constructor({ fast = 12, slow = 26, signal = 9, seeding = 'talib' }: MacdParams = {}) {
    super('macd')
    checkInteger('macd', 'fast', fast, 1)
    checkInteger('macd', 'slow', slow, 1)
    checkInteger('macd', 'signal', signal, 1)
    if (fast > slow) {
      throw new AppError('validation', `macd: fast (${fast}) must not exceed slow (${slow})`, 'params.fast')
    }
    if (!MACD_SEEDINGS.includes(seeding)) {
      throw new AppError(
        'validation',
        `macd: seeding must be one of ${MACD_SEEDINGS.join(', ')}, got ${String(seeding)}`,
        'params.seeding',
      )
    }
    this.fast = fast
    this.slow = slow
    this.signal = signal
    this.seeding = seeding
    this.fastEma = new SerialEma(fast)
    this.slowEma = new SerialEma(slow)
    this.signalEma = new SerialEma(signal)
    this.fastDelay = seeding === 'talib' ? slow - fast : 0
  }

  step(x: number, commit: boolean): void {
    const n = this.count
    if (commit) this.count = n + 1
    const f = n >= this.fastDelay ? this.fastEma.step(x, commit) : NaN
    const s = this.slowEma.step(x, commit)
    macdOf(f, s, s === s ? this.signalEma.step(f - s, commit) : NaN, this.seeding, this.out)
  }

  protected compute(x: number, commit: boolean): MacdValue {
    this.step(x, commit)
    return { ...this.out }
  }
}

/** The output arithmetic, shared by the streaming and batch forms. */
function macdOf(fast: number, slow: number, signal: number, seeding: MacdSeeding, out: MacdValue): void {
  const m = fast - slow
  out.signal = signal
  out.histogram = m - signal
  // TA-Lib reports the MACD line only once the signal exists.
  out.macd = seeding === 'talib' && signal !== signal ? NaN : m
}

export interface MacdSeries {
  macd: Float64Array
  signal: Float64Array
  histogram: Float64Array
}

const MACD_OUTPUTS = ['macd', 'signal', 'histogram'] as const

/**
 * Batch form: the operations of `Macd.step` and its three `SerialEma.step`s, with the running values
 * in local variables (object fields would put a store and a load on every EMA's chain).
 *
 * The loops live in `macdInto`, whose arguments are only typed arrays and numbers: with the
 * parameter object, the result object and the loops in one function, a compile that ran after a
 * garbage collection had cleared the literal's feedback bailed out at every call and the
 * function ran at a third of its speed (13-17 ms instead of 5 per 1M bars, in some processes
 * and not others). The kernel has no such feedback to lose.
 */
export function macd(values: Float64Array, params: MacdParams = {}, out?: MacdSeries): MacdSeries {
  const { fast, slow, signal, seeding } = new Macd(params) // validates the parameters
  const res = outColumns('macd', MACD_OUTPUTS, values.length, [values], out)
  macdInto(values, fast, slow, signal, seeding === 'talib', res.macd, res.signal, res.histogram)
  return res
}

/**
 * The loops of `macd`: bars before `slow + signal - 1`, where some EMA is still seeding, run the
 * per-bar tests of `Macd.step`; from there on all three EMAs run, with no test at all.
 *
 * No per-value check: the slow EMA reads every value, from bar 0 (its seed sum, then
 * `ks*x + ks1*ema` with ks > 0, ks1 >= 0), and a non-finite value keeps it non-finite to the
 * end (the argument of `ema`). So a finite final slow state proves every value finite; the fast
 * and signal states are checked too, so that an overflow is reported, not returned.
 */
function macdInto(
  values: Float64Array,
  fast: number,
  slow: number,
  signal: number,
  talib: boolean,
  macdOut: Float64Array,
  signalOut: Float64Array,
  histOut: Float64Array,
): void {
  const kf = 2 / (fast + 1)
  const kf1 = 1 - kf
  const ks = 2 / (slow + 1)
  const ks1 = 1 - ks
  const kg = 2 / (signal + 1)
  const kg1 = 1 - kg
  const fastDelay = talib ? slow - fast : 0
  const n = values.length
  // From bar `steady` on, fast (from fastDelay + fast <= slow), slow (from slow) and signal
  // (fed from bar slow - 1, so running from slow - 1 + signal) are all past their seeds.
  const steady = slow + signal - 1
  const warm = n < steady ? n : steady
  let fSum = 0
  let fVal = NaN
  let sSum = 0
  let sVal = NaN
  let gSum = 0
  let gVal = NaN
  let gCount = 0
  for (let i = 0; i < warm; i++) {
    const x = values[i]!
    let f = NaN
    if (i >= fastDelay) {
      const j = i - fastDelay
      if (j >= fast) fVal = emaNext(fVal, x, kf, kf1)
      else {
        fSum = fSum + x
        fVal = j + 1 === fast ? fSum / fast : NaN
      }
      f = fVal
    }
    if (i >= slow) sVal = emaNext(sVal, x, ks, ks1)
    else {
      sSum = sSum + x
      sVal = i + 1 === slow ? sSum / slow : NaN
    }
    const s = sVal
    let g = NaN
    if (s === s) {
      const m = f - s
      if (gCount >= signal) gVal = emaNext(gVal, m, kg, kg1)
      else {
        gSum = gSum + m
        gVal = gCount + 1 === signal ? gSum / signal : NaN
      }
      gCount++
      g = gVal
    }
    const m = f - s
    signalOut[i] = g
    histOut[i] = m - g
    macdOut[i] = talib && g !== g ? NaN : m
  }
  for (let i = steady; i < n; i++) {
    const x = values[i]!
    fVal = emaNext(fVal, x, kf, kf1)
    sVal = emaNext(sVal, x, ks, ks1)
    const m = fVal - sVal
    gVal = emaNext(gVal, m, kg, kg1)
    signalOut[i] = gVal
    histOut[i] = m - gVal
    macdOut[i] = m
  }
  const sState = n >= slow ? sVal : sSum
  const fState = n - fastDelay >= fast ? fVal : fSum
  const gState = n >= steady || gCount >= signal ? gVal : gSum
  if (sState - sState + (fState - fState) + (gState - gState) !== 0) {
    throw nonFiniteError('macd', 'value', values)
  }
}

prime(() => {
  const col = (): Float64Array => new Float64Array(PRIME_BARS)
  macdInto(primeSeries.close, 12, 26, 9, true, col(), col(), col())
  macdInto(primeSeries.close, 12, 26, 9, false, col(), col(), col())
})
