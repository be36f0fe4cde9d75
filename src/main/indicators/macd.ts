import { AppError } from '../../shared/contract/errors'
import { Ema } from './ema'
import { emaNext } from './core/arith'
import { ValueIndicator, outputColumn } from './core/streaming'
import { badValue, checkInteger } from './core/validate'

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
  private readonly fastEma: Ema
  private readonly slowEma: Ema
  private readonly signalEma: Ema
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
    this.fastEma = new Ema(fast)
    this.slowEma = new Ema(slow)
    this.signalEma = new Ema(signal)
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

/**
 * Batch form: the operations of `Macd.step` and its three `Ema.step`s, with the running values
 * in local variables (object fields would put a store and a load on every EMA's chain).
 */
export function macd(values: Float64Array, params: MacdParams = {}): MacdSeries {
  const { fast, slow, signal, seeding } = new Macd(params) // validates the parameters
  const kf = 2 / (fast + 1)
  const kf1 = 1 - kf
  const ks = 2 / (slow + 1)
  const ks1 = 1 - ks
  const kg = 2 / (signal + 1)
  const kg1 = 1 - kg
  const talib = seeding === 'talib'
  const fastDelay = talib ? slow - fast : 0
  const n = values.length
  const res: MacdSeries = { macd: outputColumn(n), signal: outputColumn(n), histogram: outputColumn(n) }
  let fSum = 0
  let fVal = NaN
  let sSum = 0
  let sVal = NaN
  let gSum = 0
  let gVal = NaN
  let gCount = 0
  for (let i = 0; i < n; i++) {
    const x = values[i]!
    if (!Number.isFinite(x)) throw badValue('macd', 'value', x, i)
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
    res.signal[i] = g
    res.histogram[i] = m - g
    res.macd[i] = talib && g !== g ? NaN : m
  }
  return res
}
