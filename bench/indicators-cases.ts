/**
 * The batch cases of indicators.bench.ts, as runners a child process can build on its own: each
 * library and the copy floor is built from the same seeded random walk, in the process that
 * times it and nowhere else.
 * - 'ours': our batch functions writing into the caller's columns (their `out` argument), the
 *   same columns every run, as the trading-signals runner writes into one reused array;
 * - 'oursFresh': the same functions allocating fresh output columns on every run;
 * - 'technicalindicators', 'tradingSignals': the peers (see their runners);
 * - 'floor' / 'floorFresh': the least work a batch indicator does, copying one column into a
 *   reused / a fresh column.
 */
import * as ti from 'technicalindicators'
import * as ts from 'trading-signals'
import {
  type BBandsSeries,
  type MacdSeries,
  type StochSeries,
  atr,
  bbands,
  ema,
  macd,
  rsi,
  sma,
  stoch,
} from '../src/main/indicators'
import { randomWalk } from '../test/support/indicators/random-walk'

export const N = 1_000_000
export const SEED = 20240601

export type Lib = 'ours' | 'oursFresh' | 'technicalindicators' | 'tradingSignals' | 'floor' | 'floorFresh'
export const LIBS: readonly Lib[] = [
  'ours',
  'oursFresh',
  'technicalindicators',
  'tradingSignals',
  'floor',
  'floorFresh',
]

export const CASE_NAMES = [
  'sma20',
  'ema20',
  'rsi14',
  'macd12_26_9',
  'bbands20_2',
  'atr14',
  'stoch14_3_3',
] as const
export type CaseName = (typeof CASE_NAMES)[number]

export interface Runner {
  /** Runs over the first `n` bars (ours and the floor always run on all N). */
  run(n: number): void
}

type Hlc = { high: number; low: number; close: number }

/** The floor's last value lands here, so that its loop cannot be optimised away. */
export let keep = 0

/** Builds the runner of one library for one case; only that library's inputs are created. */
export function makeRunner(lib: Lib, name: CaseName): Runner {
  const walk = randomWalk(N, SEED)
  if (lib === 'ours' || lib === 'oursFresh') return oursRunner(name, walk, lib === 'ours')
  if (lib === 'floor' || lib === 'floorFresh') {
    // Reads 1M doubles and writes them into an output, as the least any batch indicator must do
    // (ours read at least one column and write at least one).
    const src = walk.close
    const reused = new Float64Array(src.length)
    return {
      run() {
        const out = lib === 'floor' ? reused : new Float64Array(src.length)
        for (let i = 0; i < src.length; i++) out[i] = src[i]!
        keep += out[out.length - 1]!
      },
    }
  }
  const close = Array.from(walk.close)
  const high = Array.from(walk.high)
  const low = Array.from(walk.low)
  if (lib === 'technicalindicators') return tiRunner(name, close, high, low)
  return tsRunner(name, close, high, low)
}

function oursRunner(name: CaseName, walk: ReturnType<typeof randomWalk>, reuse: boolean): Runner {
  const { high, low, close } = walk
  // The caller's columns: made once and passed on every run, or none (the function allocates).
  const cols = (...keys: string[]): Record<string, Float64Array> | undefined =>
    reuse ? Object.fromEntries(keys.map((k) => [k, new Float64Array(N)])) : undefined
  const one = cols('out')?.out
  const macdOut = cols('macd', 'signal', 'histogram') as MacdSeries | undefined
  const bbOut = cols('upper', 'middle', 'lower', 'percentB', 'bandwidth') as BBandsSeries | undefined
  const stochOut = cols('k', 'd') as StochSeries | undefined
  const cases: Record<CaseName, () => unknown> = {
    sma20: () => sma(close, 20, one),
    ema20: () => ema(close, 20, one),
    rsi14: () => rsi(close, 14, one),
    macd12_26_9: () => macd(close, { fast: 12, slow: 26, signal: 9 }, macdOut),
    bbands20_2: () => bbands(close, 20, 2, bbOut),
    atr14: () => atr(high, low, close, 14, one),
    stoch14_3_3: () => stoch(high, low, close, 14, 3, 3, stochOut),
  }
  const f = cases[name]
  // Results are dropped at once, as a caller that reads them and lets them go.
  return {
    run() {
      f()
    },
  }
}

function tiRunner(name: CaseName, close: number[], high: number[], low: number[]): Runner {
  const hlc = (n: number): { high: number[]; low: number[]; close: number[] } => ({
    high: high.slice(0, n),
    low: low.slice(0, n),
    close: close.slice(0, n),
  })
  const cases: Record<CaseName, (n: number) => unknown> = {
    sma20: (n) => ti.SMA.calculate({ period: 20, values: close.slice(0, n) }),
    ema20: (n) => ti.EMA.calculate({ period: 20, values: close.slice(0, n) }),
    rsi14: (n) => ti.RSI.calculate({ period: 14, values: close.slice(0, n) }),
    macd12_26_9: (n) =>
      ti.MACD.calculate({
        values: close.slice(0, n),
        fastPeriod: 12,
        slowPeriod: 26,
        signalPeriod: 9,
        SimpleMAOscillator: false,
        SimpleMASignal: false,
      }),
    bbands20_2: (n) => ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: close.slice(0, n) }),
    atr14: (n) => ti.ATR.calculate({ period: 14, ...hlc(n) }),
    // technicalindicators has only the fast stochastic (%K, %D = SMA3): the closest workload.
    stoch14_3_3: (n) => ti.Stochastic.calculate({ period: 14, signalPeriod: 3, ...hlc(n) }),
  }
  const f = cases[name]
  return {
    run(n) {
      f(n)
    },
  }
}

function tsRunner(name: CaseName, close: number[], high: number[], low: number[]): Runner {
  const sink = new Float64Array(N)
  /** Feeds a trading-signals indicator bar by bar, keeping one number per bar. */
  function feed<I, R>(
    make: () => { add(x: I): R | null },
    bars: readonly I[],
    pick: (r: R) => number,
  ): Runner {
    return {
      run(n) {
        const ind = make()
        for (let i = 0; i < n; i++) {
          const r = ind.add(bars[i]!)
          sink[i] = r === null ? NaN : pick(r)
        }
      },
    }
  }
  const num = (r: number): number => r
  // trading-signals wants one object per bar: built only in the process of a case that needs them.
  const hlcBars = (): Hlc[] => close.map((c, i) => ({ high: high[i]!, low: low[i]!, close: c }))
  switch (name) {
    case 'sma20':
      return feed(() => new ts.SMA(20), close, num)
    case 'ema20':
      return feed(() => new ts.EMA(20), close, num)
    case 'rsi14':
      return feed(() => new ts.RSI(14), close, num)
    case 'macd12_26_9':
      return feed(
        () => new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9)),
        close,
        (r) => r.macd,
      )
    case 'bbands20_2':
      return feed(
        () => new ts.BollingerBands(20, 2),
        close,
        (r) => r.upper,
      )
    case 'atr14':
      return feed(() => new ts.ATR(14), hlcBars(), num)
    case 'stoch14_3_3':
      return feed(
        () => new ts.StochasticOscillator({ kPeriod: 14, kSlowingPeriod: 3, dPeriod: 3 }),
        hlcBars(),
        (r) => r.stochK,
      )
  }
}
