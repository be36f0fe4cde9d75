/**
 * computeMetrics on hand-computed cases: trade statistics, drawdown periods, exposure, the
 * monthly table, periods per year, the tails (against a full sort) and bad input.
 */
import { describe, expect, it } from 'vitest'
import { computeMetrics, inferPeriodsPerYear, type TradeStat } from '../../../src/main/backtest/stats'
import * as R from '../../../src/main/backtest/stats/returns'
import { tailsInPlace } from '../../../src/main/backtest/stats/tails'

const DAY = 86_400_000
const T0 = Date.UTC(2024, 0, 1) // a Monday

function days(n: number, step = DAY, from = T0): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => from + i * step)
}

function trade(p: Partial<TradeStat> & Pick<TradeStat, 'pnl' | 'returnPct'>): TradeStat {
  return {
    entryTime: T0,
    exitTime: T0 + DAY,
    entryPrice: 100,
    exitPrice: 100,
    size: 1,
    fees: 0,
    entryBar: 0,
    exitBar: 1,
    ...p,
  }
}

describe('trade statistics (hand-computed)', () => {
  // pnl: +100, -50, +30, -20, -10, +40 ; returns 10 %, -5 %, 3 %, -2 %, -1 %, 4 %
  const trades: TradeStat[] = [
    trade({
      pnl: 100,
      returnPct: 0.1,
      fees: 1,
      entryBar: 0,
      exitBar: 2,
      entryTime: T0,
      exitTime: T0 + 2 * DAY,
    }),
    trade({
      pnl: -50,
      returnPct: -0.05,
      fees: 1,
      entryBar: 2,
      exitBar: 3,
      entryTime: T0 + 2 * DAY,
      exitTime: T0 + 3 * DAY,
    }),
    trade({
      pnl: 30,
      returnPct: 0.03,
      fees: 0.5,
      entryBar: 5,
      exitBar: 9,
      entryTime: T0 + 5 * DAY,
      exitTime: T0 + 9 * DAY,
    }),
    trade({
      pnl: -20,
      returnPct: -0.02,
      fees: 0.5,
      entryBar: 10,
      exitBar: 10,
      entryTime: T0 + 10 * DAY,
      exitTime: T0 + 10 * DAY,
    }),
    trade({
      pnl: -10,
      returnPct: -0.01,
      fees: 0.5,
      entryBar: 12,
      exitBar: 13,
      entryTime: T0 + 12 * DAY,
      exitTime: T0 + 13 * DAY,
    }),
    trade({
      pnl: 40,
      returnPct: 0.04,
      fees: 0.5,
      entryBar: 14,
      exitBar: 15,
      entryTime: T0 + 14 * DAY,
      exitTime: T0 + 15 * DAY,
    }),
  ]
  const time = days(20)
  const equity = Float64Array.from({ length: 20 }, (_, i) => 1000 + i)
  const m = computeMetrics({ time, equity, trades })

  it('counts, win rate, profit factor, expectancy, averages, best and worst', () => {
    expect(m.trades).toBe(6)
    expect(m.winRate).toBe(0.5)
    expect(m.profitFactor).toBeCloseTo(170 / 80, 14)
    expect(m.expectancy).toBeCloseTo(90 / 6, 14)
    expect(m.avgWin).toBeCloseTo(170 / 3, 12)
    expect(m.avgLoss).toBeCloseTo(-80 / 3, 12)
    expect(m.avgTradeReturn).toBeCloseTo(0.09 / 6, 14)
    expect(m.bestTrade).toBe(0.1)
    expect(m.worstTrade).toBe(-0.05)
    expect(m.fees).toBe(4)
  })

  it('durations, streaks, SQN and Kelly', () => {
    expect(m.avgTradeDuration).toBe(((2 + 1 + 4 + 0 + 1 + 1) / 6) * DAY)
    expect(m.maxTradeDuration).toBe(4 * DAY)
    expect(m.maxConsecutiveWins).toBe(1)
    expect(m.maxConsecutiveLosses).toBe(2)
    // pnl mean 15, sample variance = sum((p-15)^2)/5 = (7225+4225+225+1225+625+625)/5 = 2830
    expect(m.sqn).toBeCloseTo((Math.sqrt(6) * 15) / Math.sqrt(2830), 12)
    // Kelly = W - (1-W)/(avg win / |avg loss|) = 0.5 - 0.5/(170/80)
    expect(m.kelly).toBeCloseTo(0.5 - 0.5 / (170 / 80), 12)
  })

  it('exposure is the bars covered by entryBar..exitBar (overlaps counted once)', () => {
    // bars 0-3, 5-10, 12-15 = 4 + 6 + 4 = 14 of 20
    expect(m.exposureTime).toBe(14 / 20)
    const overlapping = computeMetrics({
      time,
      equity,
      trades: [
        trade({ pnl: 1, returnPct: 0.01, entryBar: 2, exitBar: 8 }),
        trade({ pnl: 1, returnPct: 0.01, entryBar: 4, exitBar: 11 }),
      ],
    })
    expect(overlapping.exposureTime).toBe(10 / 20)
  })

  it('streaks follow exit times, and a break-even trade ends both', () => {
    const w = (exit: number, pnl: number): TradeStat =>
      trade({ pnl, returnPct: pnl / 100, exitTime: T0 + exit * DAY })
    const s = computeMetrics({
      time,
      equity,
      trades: [w(5, 1), w(1, 1), w(2, 1), w(3, 0), w(4, -1), w(6, -1), w(7, -1)],
    })
    // by exit: +1 (1), +1 (2), 0 (3), -1 (4), +1 (5), -1 (6), -1 (7)
    expect(s.maxConsecutiveWins).toBe(2)
    expect(s.maxConsecutiveLosses).toBe(2)
    expect(s.winRate).toBeCloseTo(3 / 7, 15)
  })

  it('no trades: counts 0, the rest NaN, fees 0', () => {
    const none = computeMetrics({ time, equity })
    expect(none.trades).toBe(0)
    expect(none.winRate).toBeNaN()
    expect(none.profitFactor).toBeNaN()
    expect(none.sqn).toBeNaN()
    expect(none.exposureTime).toBe(0)
    expect(none.fees).toBe(0)
    expect(JSON.parse(JSON.stringify(none)).winRate).toBeNull()
  })

  it("compat 'backtesting.py' takes profit factor and expectancy on returns and the geometric mean trade", () => {
    const b = computeMetrics({ time, equity, trades }, { compat: 'backtesting.py' })
    expect(b.profitFactor).toBeCloseTo(0.17 / 0.08, 12)
    expect(b.expectancy).toBeCloseTo(0.09 / 6, 14)
    expect(b.avgTradeReturn).toBeCloseTo(Math.pow(1.1 * 0.95 * 1.03 * 0.98 * 0.99 * 1.04, 1 / 6) - 1, 12)
    expect(b.sqn).toBe(m.sqn)
    expect(b.kelly).toBe(m.kelly)
  })
})

describe('drawdowns of an equity curve', () => {
  // 100 120 90 96 120 130 117 104 130 125 : peaks at 1 (120), 4 (120 again), 5 (130), 8 (130)
  const equity = Float64Array.from([100, 120, 90, 96, 120, 130, 117, 104, 130, 125])
  const m = computeMetrics({ time: days(10), equity })
  it('max drawdown, durations from peak to recovery, average depth', () => {
    expect(m.maxDrawdown).toBeCloseTo(-0.25, 15)
    // periods: 1->4 (3 bars), 5->8 (3 bars); the last bar's 1-bar dip is not a period
    expect(m.maxDrawdownDurationBars).toBe(3)
    expect(m.maxDrawdownDuration).toBe(3 * DAY)
    expect(m.avgDrawdown).toBeCloseTo((-0.25 + -0.2) / 2, 15)
    expect(m.avgDrawdownDuration).toBe(3 * DAY)
  })
  it('an unrecovered drawdown runs to the last bar', () => {
    const u = computeMetrics({ time: days(6), equity: Float64Array.from([100, 110, 100, 90, 95, 99]) })
    expect(u.maxDrawdownDurationBars).toBe(4)
    expect(u.maxDrawdown).toBeCloseTo(90 / 110 - 1, 15)
  })
  it('equals empyrical max_drawdown of the returns', () => {
    const r = Array.from({ length: 9 }, (_, i) => equity[i + 1]! / equity[i]! - 1)
    expect(m.maxDrawdown).toBeCloseTo(R.maxDrawdown(r), 14)
    expect(m.calmar / R.calmarRatio(r, m.periodsPerYear)).toBeCloseTo(1, 12)
  })
})

describe('monthly returns', () => {
  it('compounds each UTC month from the last equity of the month before', () => {
    const time = Float64Array.from([
      Date.UTC(2024, 0, 30),
      Date.UTC(2024, 0, 31),
      Date.UTC(2024, 1, 1),
      Date.UTC(2024, 1, 29),
      Date.UTC(2024, 3, 2),
    ])
    const equity = Float64Array.from([100, 110, 99, 121, 133.1])
    const m = computeMetrics({ time, equity }, { periodsPerYear: 252 })
    expect(m.monthlyReturns.map((x) => [x.year, x.month])).toEqual([
      [2024, 1],
      [2024, 2],
      [2024, 4],
    ])
    expect(m.monthlyReturns[0]!.return).toBeCloseTo(0.1, 15)
    expect(m.monthlyReturns[1]!.return).toBeCloseTo(0.1, 15)
    expect(m.monthlyReturns[2]!.return).toBeCloseTo(0.1, 15)
  })
})

describe('periods per year from the bar times', () => {
  const weekdays = (n: number, step: number): Float64Array => {
    const out: number[] = []
    for (let t = T0; out.length < n; t += step) {
      const wd = new Date(t).getUTCDay()
      if (wd !== 0 && wd !== 6) out.push(t)
    }
    return Float64Array.from(out)
  }
  it('daily: 252 without weekend bars, 365 with', () => {
    expect(inferPeriodsPerYear(weekdays(300, DAY))).toBe(252)
    expect(inferPeriodsPerYear(days(300))).toBe(365)
  })
  it('weekly, monthly and yearly bars', () => {
    expect(inferPeriodsPerYear(days(100, 7 * DAY))).toBe(52)
    expect(inferPeriodsPerYear(Float64Array.from({ length: 40 }, (_, i) => Date.UTC(2020, i, 1)))).toBe(12)
    expect(inferPeriodsPerYear(Float64Array.from({ length: 10 }, (_, i) => Date.UTC(2000 + i, 0, 1)))).toBe(1)
  })
  it('intraday: 24/7 markets by bars a day, weekday markets by their bars per day', () => {
    expect(inferPeriodsPerYear(days(5000, 3_600_000))).toBe(365 * 24)
    expect(inferPeriodsPerYear(days(20_000, 60_000))).toBe(365 * 1440)
    // 7 hourly bars on each weekday
    const t: number[] = []
    for (let d = 0; d < 60; d++) {
      const day = T0 + d * DAY
      const wd = new Date(day).getUTCDay()
      if (wd === 0 || wd === 6) continue
      for (let h = 0; h < 7; h++) t.push(day + (14 + h) * 3_600_000)
    }
    expect(inferPeriodsPerYear(Float64Array.from(t))).toBe(252 * 7)
  })
  it('the option overrides the inference', () => {
    const m = computeMetrics(
      { time: days(30), equity: Float64Array.from({ length: 30 }, (_, i) => 100 + Math.sin(i)) },
      { periodsPerYear: 252 },
    )
    expect(m.periodsPerYear).toBe(252)
    const r = Array.from({ length: 29 }, (_, i) => (100 + Math.sin(i + 1)) / (100 + Math.sin(i)) - 1)
    expect(m.sharpe).toBeCloseTo(R.sharpeRatio(r, 0, 252), 10)
    expect(m.annualVolatility).toBeCloseTo(R.annualVolatility(r, 252), 12)
  })
})

describe('tails by selection equal those of a full sort', () => {
  // numpy's linear percentile and empyrical's CVaR, from a sorted copy.
  const pct = (s: Float64Array, q: number): number => {
    const h = (s.length - 1) * (q / 100)
    const lo = Math.floor(h)
    const hi = Math.min(lo + 1, s.length - 1)
    return s[lo]! + (s[hi]! - s[lo]!) * (h - lo)
  }
  const cvar = (s: Float64Array, c: number): number => {
    const k = Math.trunc((s.length - 1) * c)
    let t = 0
    for (let i = 0; i <= k; i++) t += s[i]!
    return t / (k + 1)
  }
  let seed = 7
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1
  it.each([1, 2, 3, 5, 20, 21, 101, 999, 5000, 100_001])('n = %i', (n) => {
    const a = Float64Array.from({ length: n }, () => Math.round(rand() * 1000) / 1e4) // ties included
    const sorted = Float64Array.from(a).sort()
    const t = tailsInPlace(Float64Array.from(a), n)
    const close = (x: number, y: number): void =>
      expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-15 + 1e-12 * Math.abs(y))
    close(t.valueAtRisk95, pct(sorted, 5))
    close(t.valueAtRisk99, pct(sorted, 1))
    close(t.conditionalValueAtRisk95, cvar(sorted, 0.05))
    close(t.conditionalValueAtRisk99, cvar(sorted, 0.01))
    expect(t.tailRatio).toBeCloseTo(Math.abs(pct(sorted, 95)) / Math.abs(pct(sorted, 5)), 10)
  })
})

describe('benchmark: buy and hold, alpha and beta', () => {
  it('an equity curve that is twice the benchmark return has beta 2; the same curve has alpha 0', () => {
    const b = Float64Array.from([100, 101, 99, 102, 104, 103, 107])
    const eq = new Float64Array(b.length)
    eq[0] = 1000
    for (let i = 1; i < b.length; i++) eq[i] = eq[i - 1]! * (1 + 2 * (b[i]! / b[i - 1]! - 1))
    const m = computeMetrics({ time: days(b.length), equity: eq, benchmark: b }, { periodsPerYear: 252 })
    expect(m.beta).toBeCloseTo(2, 12)
    expect(m.buyHoldReturn).toBeCloseTo(0.07, 15)
    const same = computeMetrics({ time: days(b.length), equity: b, benchmark: b }, { periodsPerYear: 252 })
    expect(same.beta).toBeCloseTo(1, 14)
    expect(same.alpha).toBeCloseTo(0, 12)
  })
})

describe('bad input names the field', () => {
  const time = days(4)
  it.each([
    [{ time, equity: Float64Array.from([1, 2, 3]) }, /equity has 3 values but time has 4/],
    [
      { time: Float64Array.from([1, 2, 2, 3]), equity: Float64Array.from([1, 2, 3, 4]) },
      /time\[2\] \(2\) is not after time\[1\]/,
    ],
    [{ time, equity: Float64Array.from([1, NaN, 3, 4]) }, /equity\[1\] must be a finite number/],
    [{ time, equity: Float64Array.from([1, 2, -3, 4]) }, /equity\[2\] must be a finite number >= 0/],
    [{ time, equity: Float64Array.from([1, 0, 3, 4]) }, /equity\[2\] \(3\) rises from 0/],
    [
      { time, equity: Float64Array.from([1, 2, 3, 4]), benchmark: Float64Array.from([1, 2, 0, 4]) },
      /benchmark\[2\] must be a finite number above 0/,
    ],
  ])('%#', (input, message) => {
    expect(() => computeMetrics(input)).toThrow(message)
  })
  it('periods per year and the risk-free rate', () => {
    const input = { time, equity: Float64Array.from([1, 2, 3, 4]) }
    expect(() => computeMetrics(input, { periodsPerYear: 0 })).toThrow(
      /periodsPerYear must be a positive number/,
    )
    expect(() => computeMetrics(input, { riskFree: -1 })).toThrow(/riskFree must be a finite rate above -1/)
  })
  it('no bars and one bar: NaN statistics, no error', () => {
    const none = computeMetrics({ time: new Float64Array(0), equity: new Float64Array(0) })
    expect(none.bars).toBe(0)
    expect(none.sharpe).toBeNaN()
    expect(none.maxDrawdown).toBeNaN()
    expect(none.monthlyReturns).toEqual([])
    const one = computeMetrics({ time: days(1), equity: Float64Array.from([100]) }, { periodsPerYear: 252 })
    expect(one.totalReturn).toBe(0)
    expect(one.sharpe).toBeNaN()
    expect(one.valueAtRisk95).toBeNaN()
    expect(one.equityPeak).toBe(100)
  })
  it('a blown account that stays at zero is accepted', () => {
    const m = computeMetrics({ time, equity: Float64Array.from([100, 50, 0, 0]) }, { periodsPerYear: 252 })
    expect(m.totalReturn).toBe(-1)
    expect(m.maxDrawdown).toBe(-1)
  })
})
