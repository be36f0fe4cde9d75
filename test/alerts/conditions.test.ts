import { describe, expect, it } from 'vitest'
import { alertSpecSchema } from '../../src/shared/contract/alerts'
import type { Candle } from '../../src/shared/domain/candles'
import { compileCondition } from '../../src/main/alerts/conditions'
import { AlertRunner, type Trigger } from '../../src/main/alerts/runner'
import { getIndicator } from '../../src/main/indicators'

const MIN = 60_000
const series = { source: 'demo', symbol: 'BTC/USDT', timeframe: '1m' } as const

/** A bar at minute `i` with the given close (and high/low around it unless given). */
function bar(i: number, close: number, extra: Partial<Candle> = {}): Candle {
  return { time: i * MIN, open: close, high: close, low: close, close, volume: 1, ...extra }
}

/** Parsed by the contract's schema, as a command's params are (so loose literals are fine here). */
function runner(spec: Record<string, unknown>): AlertRunner {
  const s = alertSpecSchema.parse({ series, ...spec })
  if (
    s.condition.type === 'order' ||
    s.condition.type === 'breaker' ||
    s.condition.type === 'job' ||
    s.condition.type === 'event' ||
    s.condition.type === 'signal_score'
  ) {
    throw new Error('not a bar condition')
  }
  return new AlertRunner(s, compileCondition(s.condition, 'params.alert.condition', MIN))
}

/** Closed bars one after another; answers the minutes at which it fired. */
function closes(r: AlertRunner, values: readonly number[]): number[] {
  const fired: number[] = []
  values.forEach((v, i) => {
    const t = r.onBar(bar(i, v), true, (i + 1) * MIN)
    if (t) fired.push(i)
  })
  return fired
}

const level = (op: string, value: number) => ({
  type: 'compare',
  left: { kind: 'price', field: 'close' },
  op,
  right: { kind: 'value', value },
})

describe('crossing, exactly at the level', () => {
  it('crossing up fires when the close reaches the level from below, once, not again as it leaves it upward', () => {
    const r = runner({ condition: level('crossing_up', 10), frequency: 'every_time', minIntervalMs: 0 })
    //                 0  1   2   3  4   5   6
    expect(closes(r, [9, 10, 11, 12, 9, 10, 10])).toEqual([1, 5])
  })

  it('a value starting on the level does not cross; crossing down mirrors crossing up', () => {
    const up = runner({ condition: level('crossing_up', 10), frequency: 'every_time', minIntervalMs: 0 })
    expect(closes(up, [10, 11, 10, 11])).toEqual([])
    const down = runner({ condition: level('crossing_down', 10), frequency: 'every_time', minIntervalMs: 0 })
    expect(closes(down, [11, 10, 9, 11, 10])).toEqual([1, 4])
    const either = runner({ condition: level('crossing', 10), frequency: 'every_time', minIntervalMs: 0 })
    expect(closes(either, [9, 10, 11, 9, 12])).toEqual([1, 3, 4])
  })

  it('greater and less are strict: a value on the level is neither', () => {
    const gt = runner({ condition: level('greater', 10), frequency: 'every_time', minIntervalMs: 0 })
    expect(closes(gt, [10, 10.5, 10, 9])).toEqual([1])
    const lt = runner({ condition: level('less', 10), frequency: 'every_time', minIntervalMs: 0 })
    expect(closes(lt, [10, 9.5, 10, 11])).toEqual([1])
  })

  it('a gap through the level fires on the first update of the bar that opens beyond it', () => {
    const r = runner({ condition: level('crossing_up', 100), evaluate: 'intrabar' })
    expect(r.onBar(bar(0, 95), true, MIN)).toBeNull()
    // The next bar opens at 104: its first forming update is compared with the last close.
    const t = r.onBar(bar(1, 104, { open: 104, low: 104, high: 104 }), false, MIN + 1_000)
    expect(t?.barTime).toBe(MIN)
    expect(t?.values).toMatchObject({ left: 104, right: 100 })
  })
})

describe('intrabar versus once per bar close', () => {
  // A bar that trades through 10 and closes back below it.
  const path = [9.5, 10.5, 9.6]
  function run(spec: Record<string, unknown>): Trigger[] {
    const r = runner({ condition: level('crossing_up', 10), ...spec })
    r.warm(bar(0, 9))
    const out: Trigger[] = []
    path.forEach((p, k) => {
      const t = r.onBar(bar(1, p), false, MIN + (k + 1) * 1_000)
      if (t) out.push(t)
    })
    const t = r.onBar(bar(1, 9.6), true, 2 * MIN)
    if (t) out.push(t)
    return out
  }

  it('intrabar fires on the update that reaches the level; once per bar close sees only the close', () => {
    expect(run({ evaluate: 'intrabar', frequency: 'once_per_bar' }).map((t) => t.time)).toEqual([MIN + 2_000])
    expect(run({ frequency: 'once_per_bar_close' })).toEqual([])
    expect(run({ evaluate: 'bar_close', frequency: 'once_per_bar' })).toEqual([])
  })

  it('once per bar fires at most once in a bar however often the condition holds', () => {
    const r = runner({ condition: level('greater', 10), evaluate: 'intrabar', frequency: 'once_per_bar' })
    const fired = [10.1, 10.2, 10.3].map((p, k) => r.onBar(bar(0, p), false, k * 1_000)).filter(Boolean)
    expect(fired).toHaveLength(1)
    expect(r.onBar(bar(0, 10.3), true, MIN)).toBeNull()
    expect(r.onBar(bar(1, 10.4), false, MIN + 1_000)).not.toBeNull()
  })

  it('every time keeps its minimum interval', () => {
    const r = runner({
      condition: level('greater', 10),
      evaluate: 'intrabar',
      frequency: 'every_time',
      minIntervalMs: 5_000,
    })
    const at = [0, 1_000, 4_999, 5_000, 9_000, 10_000]
    const fired = at.filter((t) => r.onBar(bar(0, 11), false, t) !== null)
    expect(fired).toEqual([0, 5_000, 10_000])
  })
})

describe('hysteresis', () => {
  it('a price hovering at the level fires once; the alert re-arms only after going back by the margin', () => {
    const r = runner({
      condition: level('crossing_up', 10),
      frequency: 'every_time',
      minIntervalMs: 0,
      hysteresis: { unit: 'absolute', value: 0.5 },
    })
    //                 0  1     2   3     4    5    6
    expect(closes(r, [9, 10, 9.8, 10.1, 9.6, 9.5, 10.2])).toEqual([1, 6])
    expect(r.state.armed).toBe(false)
  })

  it('a percent margin is a share of the level', () => {
    const r = runner({
      condition: level('crossing_down', 200),
      frequency: 'every_time',
      minIntervalMs: 0,
      hysteresis: { unit: 'percent', value: 1 },
    })
    // Re-arms at 202 (200 + 1%), not at 201.
    expect(closes(r, [205, 199, 201, 199, 202, 199])).toEqual([1, 5])
  })
})

describe('expiry and once', () => {
  it('an expired alert fires nothing and says so', () => {
    const r = runner({
      condition: level('greater', 10),
      frequency: 'every_time',
      minIntervalMs: 0,
      expiresAt: 3 * MIN,
    })
    expect(closes(r, [11, 11, 11, 11, 11])).toEqual([0, 1])
    expect(r.status).toBe('expired')
  })

  it('once fires once and ends', () => {
    const r = runner({ condition: level('greater', 10), frequency: 'once' })
    expect(closes(r, [11, 11, 12])).toEqual([0])
    expect(r.status).toBe('fired')
  })
})

/** Closes of a wavy made-up series, long enough for MACD and RSI to warm up. */
function wave(n: number): Candle[] {
  return Array.from({ length: n }, (_, i) => {
    const c = 100 + 10 * Math.sin(i / 7) + 3 * Math.sin(i / 2.3) + i * 0.05
    return {
      time: i * MIN,
      open: c - 0.5,
      high: c + 1 + (i % 3),
      low: c - 1 - (i % 2),
      close: c,
      volume: 10 + (i % 17) * 3,
    }
  })
}

describe("indicators: the registry's values, compared as the chart computes them", () => {
  const bars = wave(400)

  it('RSI 14 above 70 fires on exactly the bars where the batch RSI is above 70', () => {
    const r = runner({
      condition: {
        type: 'compare',
        left: { kind: 'indicator', indicator: 'rsi', params: { period: 14 } },
        op: 'greater',
        right: { kind: 'value', value: 70 },
      },
      frequency: 'once_per_bar',
    })
    const fired = bars.map((b, i) => (r.onBar(b, true, (i + 1) * MIN) ? i : -1)).filter((i) => i >= 0)
    const [rsi] = getIndicator('rsi').compute(bars, { period: 14 })
    const expected = bars.map((_, i) => (rsi![i]! > 70 ? i : -1)).filter((i) => i >= 0)
    expect(expected.length).toBeGreaterThan(5)
    expect(fired).toEqual(expected)
  })

  it('MACD line crossing its signal fires where the batch lines cross', () => {
    const r = runner({
      condition: {
        type: 'compare',
        left: { kind: 'indicator', indicator: 'macd', output: 'macd' },
        op: 'crossing',
        right: { kind: 'indicator', indicator: 'macd', output: 'signal' },
      },
      frequency: 'every_time',
      minIntervalMs: 0,
    })
    const fired = bars.map((b, i) => (r.onBar(b, true, (i + 1) * MIN) ? i : -1)).filter((i) => i >= 0)
    const [m, s] = getIndicator('macd').compute(bars)
    const expected: number[] = []
    for (let i = 1; i < bars.length; i++) {
      const p = m![i - 1]! - s![i - 1]!
      const d = m![i]! - s![i]!
      if ((p < 0 && d >= 0) || (p > 0 && d <= 0)) expected.push(i)
    }
    expect(expected.length).toBeGreaterThan(3)
    expect(fired).toEqual(expected)
  })

  it('close crossing SMA 20 (a price against another series)', () => {
    const r = runner({
      condition: {
        type: 'compare',
        left: { kind: 'price', field: 'close' },
        op: 'crossing_up',
        right: { kind: 'indicator', indicator: 'sma' },
      },
      frequency: 'every_time',
      minIntervalMs: 0,
    })
    const fired = bars.map((b, i) => (r.onBar(b, true, (i + 1) * MIN) ? i : -1)).filter((i) => i >= 0)
    const [sma] = getIndicator('sma').compute(bars, { period: 20 })
    const expected: number[] = []
    for (let i = 1; i < bars.length; i++) {
      if (bars[i - 1]!.close - sma![i - 1]! < 0 && bars[i]!.close - sma![i]! >= 0) expected.push(i)
    }
    expect(expected.length).toBeGreaterThan(3)
    expect(fired).toEqual(expected)
  })
})

describe('channels, moves and volume', () => {
  it('entering and exiting a channel of two values are events; inside and outside are states', () => {
    const ch = (op: string) =>
      runner({
        condition: { type: 'channel', op, channel: { kind: 'values', lower: 10, upper: 20 }, price: 'close' },
        frequency: 'every_time',
        minIntervalMs: 0,
      })
    const path = [5, 10, 15, 20, 21, 25, 19]
    expect(closes(ch('entering'), path)).toEqual([1, 6])
    expect(closes(ch('exiting'), path)).toEqual([4])
    expect(closes(ch('inside'), path)).toEqual([1, 2, 3, 6])
    expect(closes(ch('outside'), path)).toEqual([0, 4, 5])
  })

  it("a Bollinger channel reads the registry's bands", () => {
    const bars = wave(200)
    const r = runner({
      condition: {
        type: 'channel',
        op: 'outside',
        channel: { kind: 'bbands', params: { period: 20, mult: 1 } },
        price: 'close',
      },
      frequency: 'every_time',
      minIntervalMs: 0,
    })
    const fired = bars.map((b, i) => (r.onBar(b, true, (i + 1) * MIN) ? i : -1)).filter((i) => i >= 0)
    const [upper, , lower] = getIndicator('bbands').compute(bars, { period: 20, mult: 1 })
    const expected = bars
      .map((b, i) => (b.close > upper![i]! || b.close < lower![i]! ? i : -1))
      .filter((i) => i >= 0)
    expect(expected.length).toBeGreaterThan(3)
    expect(fired).toEqual(expected)
  })

  it("a Keltner channel reads the registry's bands", () => {
    const bars = wave(200)
    const params = { period: 20, atrPeriod: 10, multiplier: 1 }
    const r = runner({
      condition: { type: 'channel', op: 'outside', channel: { kind: 'keltner', params }, price: 'close' },
      frequency: 'every_time',
      minIntervalMs: 0,
    })
    const fired = bars.map((b, i) => (r.onBar(b, true, (i + 1) * MIN) ? i : -1)).filter((i) => i >= 0)
    const [upper, , lower] = getIndicator('keltner').compute(bars, params)
    const expected = bars
      .map((b, i) => (b.close > upper![i]! || b.close < lower![i]! ? i : -1))
      .filter((i) => i >= 0)
    expect(expected.length).toBeGreaterThan(3)
    expect(fired).toEqual(expected)
  })

  it('a Donchian channel is the bars before: a close beyond their highest high or lowest low exits it', () => {
    // The registry's channel includes its own bar, so no price of a bar is ever outside it; like
    // the turtle breakout strategy, the alert compares with the channel of the bars before.
    const bars = wave(200)
    const r = runner({
      condition: {
        type: 'channel',
        op: 'exiting',
        channel: { kind: 'donchian', params: { period: 20 } },
        price: 'close',
      },
      frequency: 'every_time',
      minIntervalMs: 0,
    })
    const fired = bars.map((b, i) => (r.onBar(b, true, (i + 1) * MIN) ? i : -1)).filter((i) => i >= 0)
    const [upper, , lower] = getIndicator('donchian').compute(bars, { period: 20 })
    const outside = (i: number) =>
      i >= 1 &&
      Number.isFinite(upper![i - 1]!) &&
      (bars[i]!.close > upper![i - 1]! || bars[i]!.close < lower![i - 1]!)
    const expected = bars.map((_, i) => (outside(i) && !outside(i - 1) ? i : -1)).filter((i) => i >= 0)
    expect(expected.length).toBeGreaterThan(3)
    expect(fired).toEqual(expected)
    // Intrabar, a forming bar's price is compared with the channel of the closed bars.
    const live = runner({
      condition: {
        type: 'channel',
        op: 'outside',
        channel: { kind: 'donchian', params: { period: 3 } },
        price: 'last',
      },
      evaluate: 'intrabar',
      frequency: 'every_time',
      minIntervalMs: 0,
    })
    for (const [i, c] of [10, 11, 12, 11].entries()) live.onBar(bar(i, c), true, (i + 1) * MIN)
    expect(live.onBar(bar(4, 12), false, 5 * MIN)).toBeNull()
    expect(live.onBar(bar(4, 12.5), false, 5 * MIN)?.values).toEqual({ price: 12.5, lower: 11, upper: 12 })
  })

  it('moving up 5 % within 3 bars compares with the close 3 bars before', () => {
    const r = runner({
      condition: { type: 'move', direction: 'up', by: { unit: 'percent', value: 5 }, bars: 3 },
      frequency: 'every_time',
      minIntervalMs: 0,
    })
    // Bar 3: 105 is 5 % over bar 0's 100 (reaching it counts); bar 4: 104 over 101 is not; bar 5: 107.2 over 102 is.
    expect(closes(r, [100, 101, 102, 105, 104, 107.2])).toEqual([3, 5])
  })

  it("moving down by 2 ATR uses the registry's ATR", () => {
    const r = runner({
      condition: { type: 'move', direction: 'down', by: { unit: 'atr', value: 2, atrPeriod: 3 }, bars: 2 },
      frequency: 'every_time',
      minIntervalMs: 0,
    })
    const path = [100, 100, 100, 100, 100, 97, 88, 87, 87]
    const candles = path.map((c, i) => bar(i, c, { high: c + 1, low: c - 1 }))
    const fired = candles.map((b, i) => (r.onBar(b, true, (i + 1) * MIN) ? i : -1)).filter((i) => i >= 0)
    const [atr] = getIndicator('atr').compute(candles, { period: 3 })
    const expected = path
      .map((c, i) => (i >= 2 && path[i - 2]! - c >= 2 * atr![i]! ? i : -1))
      .filter((i) => i >= 0)
    expect(expected).toEqual([6, 7])
    expect(fired).toEqual(expected)
  })

  it("a volume spike is the bar's volume above k times the average of the N bars before it", () => {
    const r = runner({
      condition: { type: 'volume_spike', factor: 3, bars: 3 },
      frequency: 'every_time',
      minIntervalMs: 0,
    })
    const vols = [10, 10, 10, 30, 31, 10]
    const fired = vols
      .map((v, i) => (r.onBar(bar(i, 1, { volume: v }), true, (i + 1) * MIN) ? i : -1))
      .filter((i) => i >= 0)
    // Bar 3: 30 is not above 3 x 10 (strictly above); bar 4: 31 is not above 3 x 50/3. 200 is.
    expect(fired).toEqual([])
    expect(r.onBar(bar(6, 1, { volume: 200 }), true, 7 * MIN)).not.toBeNull()
  })
})
