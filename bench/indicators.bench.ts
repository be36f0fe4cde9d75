/**
 * Indicator speed. Batch: bars per second over 1,000,000 bars of a seeded random walk for ours,
 * technicalindicators (its `calculate` on plain arrays) and trading-signals 8 (its streaming
 * classes fed bar by bar, outputs collected into an array like ours), and our ratio to each.
 * A peer too slow for 1M bars within PEER_BUDGET_MS runs on fewer bars, recorded as
 * `technicalindicatorsBars`/`tradingSignalsBars`. After JIT warm-up the three are timed in
 * interleaved rounds and each keeps its best: on a shared, busy machine every library gets the
 * same chance at a quiet moment.
 * Streaming: ns per closed bar to update a set of 10 indicators, through the registry (what the
 * chart uses) and through the classes directly.
 */
import * as ti from 'technicalindicators'
import * as ts from 'trading-signals'
import { bestOf, report } from './harness'
import {
  Adx,
  Atr,
  BBands,
  Ema,
  Macd,
  Obv,
  Rsi,
  Sma,
  Stoch,
  Vwap,
  atr,
  bbands,
  ema,
  getIndicator,
  macd,
  parseSpec,
  rsi,
  sma,
  stoch,
} from '../src/main/indicators'
import { randomWalk } from '../src/main/indicators/test-support/random-walk'
import type { Candle } from '../src/shared/domain/candles'

const N = 1_000_000
/** A peer run longer than this on 1M bars is measured on fewer bars instead. */
const PEER_BUDGET_MS = 1000
const ROUNDS = 6

interface Peer {
  /** Runs the peer over the first `n` bars. */
  run(n: number): void
}

interface Case {
  name: string
  ours: () => void
  ti: Peer
  ts: Peer
}

type Hlc = { high: number; low: number; close: number }

const walk = randomWalk(N, 20240601)
const close = Array.from(walk.close)
const high = Array.from(walk.high)
const low = Array.from(walk.low)
const sink = new Float64Array(N)

/**
 * trading-signals wants one object per bar. A million of them left on the heap would make every
 * major GC slow for everybody, so they exist only while a case that needs them runs.
 */
let hlcCache: Hlc[] | null = null
const hlcBars = (): Hlc[] => (hlcCache ??= close.map((c, i) => ({ high: high[i]!, low: low[i]!, close: c })))
const closes = (): number[] => close

/** Feeds a trading-signals indicator bar by bar, keeping one number per bar. */
function tsFeed<I, R>(
  make: () => { add(x: I): R | null },
  inputs: () => readonly I[],
  pick: (r: R) => number,
): Peer {
  return {
    run(n) {
      const ind = make()
      const bars = inputs()
      for (let i = 0; i < n; i++) {
        const r = ind.add(bars[i]!)
        sink[i] = r === null ? NaN : pick(r)
      }
    },
  }
}

const num = (r: number): number => r
const hlcSlices = (n: number): { high: number[]; low: number[]; close: number[] } => ({
  high: high.slice(0, n),
  low: low.slice(0, n),
  close: close.slice(0, n),
})

const CASES: Case[] = [
  {
    name: 'sma20',
    ours: () => sma(walk.close, 20),
    ti: { run: (n) => ti.SMA.calculate({ period: 20, values: close.slice(0, n) }) },
    ts: tsFeed(() => new ts.SMA(20), closes, num),
  },
  {
    name: 'ema20',
    ours: () => ema(walk.close, 20),
    ti: { run: (n) => ti.EMA.calculate({ period: 20, values: close.slice(0, n) }) },
    ts: tsFeed(() => new ts.EMA(20), closes, num),
  },
  {
    name: 'rsi14',
    ours: () => rsi(walk.close, 14),
    ti: { run: (n) => ti.RSI.calculate({ period: 14, values: close.slice(0, n) }) },
    ts: tsFeed(() => new ts.RSI(14), closes, num),
  },
  {
    name: 'macd12_26_9',
    ours: () => macd(walk.close, { fast: 12, slow: 26, signal: 9 }),
    ti: {
      run: (n) =>
        ti.MACD.calculate({
          values: close.slice(0, n),
          fastPeriod: 12,
          slowPeriod: 26,
          signalPeriod: 9,
          SimpleMAOscillator: false,
          SimpleMASignal: false,
        }),
    },
    ts: tsFeed(
      () => new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9)),
      closes,
      (r) => r.macd,
    ),
  },
  {
    name: 'bbands20_2',
    ours: () => bbands(walk.close, 20, 2),
    ti: { run: (n) => ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: close.slice(0, n) }) },
    ts: tsFeed(
      () => new ts.BollingerBands(20, 2),
      closes,
      (r) => r.upper,
    ),
  },
  {
    name: 'atr14',
    ours: () => atr(walk.high, walk.low, walk.close, 14),
    ti: { run: (n) => ti.ATR.calculate({ period: 14, ...hlcSlices(n) }) },
    ts: tsFeed(() => new ts.ATR(14), hlcBars, num),
  },
  {
    name: 'stoch14_3_3',
    ours: () => stoch(walk.high, walk.low, walk.close, 14, 3, 3),
    // technicalindicators has only the fast stochastic (%K, %D = SMA3): the closest workload.
    ti: { run: (n) => ti.Stochastic.calculate({ period: 14, signalPeriod: 3, ...hlcSlices(n) }) },
    ts: tsFeed(
      () => new ts.StochasticOscillator({ kPeriod: 14, kSlowingPeriod: 3, dPeriod: 3 }),
      hlcBars,
      (r) => r.stochK,
    ),
  },
]

/** How many bars a peer runs on: 1M if that fits the budget, else fewer (recorded). */
function peerBars(peer: Peer): number {
  const probe = 50_000
  peer.run(probe)
  const t0 = performance.now()
  peer.run(probe)
  const estimate = ((performance.now() - t0) / probe) * N
  if (estimate <= PEER_BUDGET_MS) return N
  return Math.max(probe, Math.floor((N * PEER_BUDGET_MS) / estimate / 10_000) * 10_000)
}

const ONCE = { warmup: 0, minRuns: 1, minMs: 0 }

/** One timed run. (A forced full GC before each run made V8 deoptimise: not done.) */
function timed(fn: () => void): number {
  return bestOf(fn, ONCE)
}

function batchBench(): void {
  for (const c of CASES) {
    const tiBars = peerBars(c.ti)
    const tsBars = peerBars(c.ts)
    for (let i = 0; i < 3; i++) c.ours()
    let ours = Infinity
    let tiMs = Infinity
    let tsMs = Infinity
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < 3; k++) ours = Math.min(ours, timed(c.ours))
      tiMs = Math.min(
        tiMs,
        timed(() => c.ti.run(tiBars)),
      )
      tsMs = Math.min(
        tsMs,
        timed(() => c.ts.run(tsBars)),
      )
    }
    hlcCache = null
    const oursRate = N / (ours / 1000)
    const tiRate = tiBars / (tiMs / 1000)
    const tsRate = tsBars / (tsMs / 1000)
    const ratioTi = oursRate / tiRate
    const ratioTs = oursRate / tsRate
    report({
      name: `indicators.batch.${c.name}`,
      value: Math.round(oursRate),
      unit: 'bars/s',
      bars: N,
      ms: Number(ours.toFixed(3)),
      technicalindicators: Math.round(tiRate),
      technicalindicatorsBars: tiBars,
      tradingSignals: Math.round(tsRate),
      tradingSignalsBars: tsBars,
      ratioTechnicalindicators: Number(ratioTi.toFixed(1)),
      ratioTradingSignals: Number(ratioTs.toFixed(1)),
      goals: 'ratioTechnicalindicators >= 50, ratioTradingSignals >= 5',
      meetsGoals: ratioTi >= 50 && ratioTs >= 5,
    })
  }
}

const SET_SPECS = [
  'sma:20',
  'ema:20',
  'rsi:14',
  'macd:12,26,9',
  'bbands:20,2',
  'atr:14',
  'stoch:14,3,3',
  'adx:14',
  'obv',
  'vwap',
]

function candleAt(i: number): Candle {
  return {
    time: walk.time[i]!,
    open: walk.open[i]!,
    high: walk.high[i]!,
    low: walk.low[i]!,
    close: walk.close[i]!,
    volume: walk.volume[i]!,
  }
}

/** Mean ns per bar to update every member of a set, after a warm-up of 20,000 bars. */
function streamBench(label: string, updateAll: (bar: Candle) => void): void {
  const bars = Array.from({ length: 220_000 }, (_, i) => candleAt(i))
  for (let i = 0; i < 20_000; i++) updateAll(bars[i]!)
  let next = 20_000
  const chunk = 10_000
  const ms = bestOf(
    () => {
      if (next + chunk > bars.length) next = 20_000
      for (let i = next; i < next + chunk; i++) updateAll(bars[i]!)
      next += chunk
    },
    { warmup: 2, minRuns: 15, minMs: 300 },
  )
  const ns = (ms * 1e6) / chunk
  report({
    name: `indicators.stream.${label}`,
    value: Number(ns.toFixed(1)),
    unit: 'ns/update of the set',
    indicators: SET_SPECS,
    goal: '< 5000 ns',
    meetsGoal: ns < 5000,
  })
}

export async function run(): Promise<void> {
  batchBench()

  const streams = SET_SPECS.map((text) => {
    const spec = parseSpec(text)
    return getIndicator(spec.descriptor.id).createStream(spec.params)
  })
  streamBench('set10.registry', (bar) => {
    for (const s of streams) s.update(bar)
  })

  const s = new Sma(20)
  const e = new Ema(20)
  const r = new Rsi(14)
  const m = new Macd()
  const b = new BBands(20, 2)
  const a = new Atr(14)
  const st = new Stoch(14, 3, 3)
  const ad = new Adx(14)
  const o = new Obv()
  const v = new Vwap()
  streamBench('set10.classes', (bar) => {
    s.update(bar.close)
    e.update(bar.close)
    r.update(bar.close)
    m.update(bar.close)
    b.update(bar.close)
    a.update(bar)
    st.update(bar)
    ad.update(bar)
    o.update(bar)
    v.update(bar)
  })
}
