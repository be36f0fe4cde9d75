// The built-in `signal-score` strategy: its decisions on a hand-made score, its score equal to
// the signals domain's for the same bars, and no look-ahead in the score or the run.
// (Scoring ~14,000 1m bars takes about half a second; the look-ahead check scores several cuts.)
import { describe, expect, it } from 'vitest'
import { createDemoMarket } from '../../src/main/demo'
import { parseCandleFile } from '../../src/main/importing/parse'
import { candleSeries, type CandleSeries } from '../../src/main/indicators'
import { runBacktest } from '../../src/main/backtest/engine'
import { signalScoreColumn } from '../../src/main/backtest/signal-score'
import { inferTimeframe } from '../../src/main/backtest/timeframe-of'
import { parseSettings } from '../../src/main/backtest/settings'
import { STRATEGIES, getStrategy } from '../../src/main/backtest/strategies'
import { signalScoreDecision, type SignalScoreParams } from '../../src/main/backtest/strategies/signal-score'
import type { BarState, OrderIntent, StrategyInstance } from '../../src/main/backtest/strategy'
import { computeSeed } from '../../src/main/signals/seed'
import { DEFAULT_PROFILE } from '../../src/shared/domain/signals'
import { bars } from './support'

const btc = candleSeries(parseCandleFile('../shared/data/freqtrade/UNITTEST_BTC-1m.json').candles)

function head(s: CandleSeries, n: number): CandleSeries {
  return {
    time: s.time.slice(0, n),
    open: s.open.slice(0, n),
    high: s.high.slice(0, n),
    low: s.low.slice(0, n),
    close: s.close.slice(0, n),
    volume: s.volume.slice(0, n),
  }
}

const def = getStrategy('signal-score')
const params = (p: object = {}): SignalScoreParams => def.params.parse(p) as SignalScoreParams

/** The decision on a bar whose score was `before` and is `now`, holding `position`. */
function decide(p: SignalScoreParams, before: number, now: number, position = 0): string {
  const bar = { now: Float64Array.of(now), prev: Float64Array.of(before), position } as unknown as BarState
  return signalScoreDecision(p, bar)
    .map((o) => (o.type === 'market' ? o.side : o.type))
    .join('+')
}

describe('signal-score decisions (entry 60, exit 50: shorts at 40, covered above 50)', () => {
  const p = params()
  it('enters on a cross up to the entry level, not while already above it', () => {
    expect(decide(p, 59.9, 60)).toBe('buy')
    expect(decide(p, 55, 71.3)).toBe('buy')
    expect(decide(p, 60, 65)).toBe('')
    expect(decide(p, 58, 59.9)).toBe('')
    expect(decide(p, NaN, 70)).toBe('') // the first scored bar crosses nothing
    expect(decide(p, 65, NaN)).toBe('')
  })
  it('shorts on a cross down to 100 - entry', () => {
    expect(decide(p, 40.1, 40)).toBe('sell')
    expect(decide(p, 40, 30)).toBe('')
  })
  it('a long leaves below exit, or reverses on a cross down to the short level', () => {
    expect(decide(p, 55, 50, 1)).toBe('')
    expect(decide(p, 50, 49.9, 1)).toBe('close')
    expect(decide(p, 45, 41, 1)).toBe('close')
    expect(decide(p, 45, 39, 1)).toBe('close+sell')
    expect(decide(p, 65, 61, 1)).toBe('')
  })
  it('a short leaves above 100 - exit, or reverses on a cross up to entry', () => {
    expect(decide(p, 45, 50, -1)).toBe('')
    expect(decide(p, 45, 50.1, -1)).toBe('close')
    expect(decide(p, 55, 62, -1)).toBe('close+buy')
  })
  it('other levels: entry 70, exit 30', () => {
    const q = params({ entry: 70, exit: 30 })
    expect(decide(q, 65, 69)).toBe('')
    expect(decide(q, 65, 70)).toBe('buy')
    expect(decide(q, 50, 31, 1)).toBe('')
    expect(decide(q, 31, 29, 1)).toBe('close+sell') // 29 crosses 30 = 100 - 70 too
    expect(decide(q, 60, 69.9, -1)).toBe('')
    expect(decide(q, 60, 71, -1)).toBe('close+buy')
    expect(decide(q, 71, 70.5, -1)).toBe('close')
  })
  it('parameters are checked, naming the field', () => {
    expect(def.params.safeParse({ entry: 55, exit: 60 }).error?.issues[0]?.path).toEqual(['exit'])
    expect(def.params.safeParse({ entry: 40 }).success).toBe(false)
    expect(def.params.safeParse({ timeframe: '7m' }).success).toBe(false)
  })
  it('is listed with the built-ins', () => {
    expect(STRATEGIES.map((s) => s.id)).toContain('signal-score')
  })
})

describe('the score a run trades', () => {
  it('equals the signals domain’s for the same bars: 1h with 4h and 1d from the demo market', () => {
    const demo = createDemoMarket({ seed: 11, historyDays: 120 })
    const now = Date.UTC(2025, 5, 2) // midnight: the three series start on the same day
    const sym = demo.symbols[0]!.symbol
    const days = 100
    const series = {
      '1h': candleSeries(fromDemo(demo, sym, '1h', days * 24, now)),
      '4h': candleSeries(fromDemo(demo, sym, '4h', days * 6, now)),
      '1d': candleSeries(fromDemo(demo, sym, '1d', days, now)),
    }
    expect(series['1h'].time[0]).toBe(series['1d'].time[0])
    const seed = computeSeed({
      source: 'demo',
      symbol: sym,
      profile: DEFAULT_PROFILE,
      timeframes: ['1h', '4h', '1d'],
      seedBars: 0,
      now,
      bars: { series },
    })
    const expected = new Map<number, number>()
    const k1h = seed.timeframes.indexOf('1h')
    for (let i = 0; i < seed.signals.count; i++)
      if (seed.signals.timeframe[i] === k1h) expected.set(seed.signals.time[i]!, seed.signals.score[i]!)
    // The run's own 4h and 1d are aggregated from its 1h bars; the demo's came from its 1m.
    const col = signalScoreColumn(series['1h'])
    let scored = 0
    for (let i = 0; i < col.length; i++) {
      const want = expected.get(series['1h'].time[i]!)
      if (want === undefined) expect(col[i]).toBeNaN()
      else {
        expect(col[i]).toBe(want)
        scored++
      }
    }
    expect(scored).toBeGreaterThan(2000)
    // 1d warms up at its 50th bar: from then on the 1h scores are confirmed by it too.
    expect(seed.signals.timeframe.some((t) => seed.timeframes[t] === '1d')).toBe(true)
  })

  it('reads the timeframe from the bars’ spacing and refuses bars it cannot place', () => {
    expect(inferTimeframe(btc.time)).toBe('1m')
    const odd = bars([
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ])
    odd.time[1] = odd.time[0]! + 7 * 60_000
    expect(inferTimeframe(odd.time)).toBeUndefined()
    expect(() => signalScoreColumn(odd)).toThrow(/params\.timeframe/)
    expect(signalScoreColumn(odd, '1d')).toHaveLength(2)
  })
})

describe('no look-ahead', () => {
  it('the score at bar t, and the decisions and fills up to t, are the same with or without later bars', () => {
    const whole = signalScoreColumn(btc)
    const p = { entry: 58, exit: 48, stopLoss: 1.5, takeProfit: 3, trailing: 2, exitUnit: 'atr' }
    const settings = parseSettings({ sides: 'both', fees: { taker: 0.001 }, closeAtEnd: false })
    const full = recording(def.create(def.params.parse(p)))
    const all = runBacktest(full.inst, [{ symbol: 'BTC', series: btc }], settings)
    expect(all.trades.length).toBeGreaterThan(20)
    for (const t of [700, 9_003]) {
      const part = head(btc, t + 1)
      expect(Array.from(signalScoreColumn(part))).toEqual(Array.from(whole.subarray(0, t + 1)))
      // A different future changes nothing up to t.
      const other = head(btc, t + 200)
      for (let i = t + 1; i < t + 200; i++) {
        other.close[i] = other.close[i]! * 1.05
        other.high[i] = Math.max(other.high[i]!, other.close[i]!)
      }
      expect(Array.from(signalScoreColumn(other).subarray(0, t + 1))).toEqual(
        Array.from(whole.subarray(0, t + 1)),
      )
      const cut = recording(def.create(def.params.parse(p)))
      const run = runBacktest(cut.inst, [{ symbol: 'BTC', series: part }], settings)
      expect(cut.log).toEqual(full.log.filter((l) => Number(l.split(':')[0]) <= t))
      expect(run.trades).toEqual(all.trades.filter((x) => x.exitBar <= t))
      expect(Array.from(run.equity.value)).toEqual(Array.from(all.equity.value.subarray(0, t + 1)))
    }
  })
})

function fromDemo(
  demo: ReturnType<typeof createDemoMarket>,
  sym: string,
  tf: '1h' | '4h' | '1d',
  n: number,
  now: number,
) {
  const c = demo.candles(sym, tf, now, n, now)
  return c.time.map((time, i) => ({
    time,
    open: c.open[i]!,
    high: c.high[i]!,
    low: c.low[i]!,
    close: c.close[i]!,
    volume: c.volume[i]!,
  }))
}

function recording(inner: StrategyInstance): { inst: StrategyInstance; log: string[] } {
  const log: string[] = []
  return {
    log,
    inst: {
      ...inner,
      decide(bar: BarState): readonly OrderIntent[] {
        const out = inner.decide(bar)
        if (out.length > 0) log.push(`${bar.index}:${bar.position}:${JSON.stringify(out)}`)
        return out
      },
    },
  }
}
