// `intrabar`: fills inside a bar resolved on finer bars of the same symbol, hand-computed.
import { describe, expect, it } from 'vitest'
import type { CandleSeries } from '../../src/main/indicators'
import { runBacktest } from '../../src/main/backtest/engine'
import { dataFingerprint } from '../../src/main/backtest/fingerprint'
import { parseSettings, type BacktestSettingsInput } from '../../src/main/backtest/settings'
import type { ExitRules, OrderIntent } from '../../src/main/backtest/strategy'
import { scripted } from './support'

const H = 3_600_000
const M = 60_000
const T0 = Date.UTC(2024, 0, 1)

/** Rows [open, high, low, close] at `T0 + offsets[i]`. */
function series(rows: readonly (readonly number[])[], offsets: readonly number[]): CandleSeries {
  const col = (k: number) => Float64Array.from(rows, (r) => r[k]!)
  return {
    time: Float64Array.from(offsets, (o) => T0 + o),
    open: col(0),
    high: col(1),
    low: col(2),
    close: col(3),
    volume: Float64Array.from(rows, () => 1e9),
  }
}

const hourly = (rows: readonly (readonly number[])[]) =>
  series(
    rows,
    rows.map((_, i) => i * H),
  )

/** Finer bars inside hour 1 (minutes 0, 1, 2...). */
const minutesOfHour1 = (rows: readonly (readonly number[])[]) =>
  series(
    rows,
    rows.map((_, i) => H + i * M),
  )

const BUY10: Record<number, OrderIntent[]> = { 0: [{ type: 'market', side: 'buy', size: 10 }] }
const SL2_TP3: ExitRules = {
  stopLoss: { kind: 'percent', value: 0.02 },
  takeProfit: { kind: 'percent', value: 0.03 },
}

function run(
  main: CandleSeries,
  fine: CandleSeries | undefined,
  exits: ExitRules,
  s: BacktestSettingsInput = {},
) {
  return runBacktest(
    scripted(BUY10, exits),
    [{ symbol: 'X', series: main, ...(fine ? { fine } : {}) }],
    parseSettings({ closeAtEnd: false, ...s }),
  )
}

// Hour 1 opens at 100 (the entry), stop 98, target 103. The bar reaches 97 and 104: the path
// goes to the nearer extreme first (100 - 97 = 3 < 104 - 100 = 4), the low, and takes the stop.
const MAIN = hourly([
  [100, 100, 100, 100],
  [100, 104, 97, 101],
  [101, 101, 101, 101],
])
// The minutes show the high first: 100 -> 99.5 -> 104 (target 103 filled) -> 103.5, then down to 97.
const TARGET_FIRST = minutesOfHour1([
  [100, 104, 99.5, 103.5],
  [103.5, 103.5, 97, 98.5],
  [98.5, 101, 98, 101],
])

describe('stop and target in one bar', () => {
  it('the path alone takes the stop and counts the bar ambiguous', () => {
    const r = run(MAIN, undefined, SL2_TP3)
    expect(r.trades[0]).toMatchObject({ entryPrice: 100, exitPrice: 98, exitReason: 'stop-loss', exitBar: 1 })
    expect(r.ambiguousBars).toBe(1)
    expect(r.intrabarBars).toBe(0)
  })

  it('with intrabar the minutes show the target came first: take-profit at 103, nothing ambiguous', () => {
    const r = run(MAIN, TARGET_FIRST, SL2_TP3, { intrabar: true })
    expect(r.trades).toHaveLength(1)
    expect(r.trades[0]).toMatchObject({
      entryPrice: 100,
      exitPrice: 103,
      exitReason: 'take-profit',
      exitBar: 1,
      pnl: 30,
    })
    expect(r.ambiguousBars).toBe(0)
    expect(r.intrabarBars).toBe(1)
    expect(r.equity.value[1]).toBe(10_030)
  })

  it('finer bars given without intrabar are not read', () => {
    const r = run(MAIN, TARGET_FIRST, SL2_TP3)
    expect(r.trades[0]!.exitReason).toBe('stop-loss')
  })

  it('a finer bar holding both levels stays ambiguous (its own path decides)', () => {
    const r = run(
      MAIN,
      minutesOfHour1([
        [100, 100.5, 99.5, 100],
        [100, 104, 97, 101],
        [101, 101, 101, 101],
      ]),
      SL2_TP3,
      { intrabar: true },
    )
    expect(r.trades[0]).toMatchObject({ exitPrice: 98, exitReason: 'stop-loss' })
    expect(r.ambiguousBars).toBe(1)
    expect(r.intrabarBars).toBe(1)
  })

  it('finer bars that do not match the bar (a missing minute held the low) are not used', () => {
    const r = run(
      MAIN,
      minutesOfHour1([
        [100, 104, 99.5, 103.5],
        [98.5, 101, 98, 101],
      ]),
      SL2_TP3,
      { intrabar: true },
    )
    expect(r.trades[0]).toMatchObject({ exitPrice: 98, exitReason: 'stop-loss' })
    expect(r.ambiguousBars).toBe(1)
    expect(r.intrabarBars).toBe(0)
  })

  it('a symbol without finer bars follows the path, and the run says so', () => {
    const r = run(MAIN, undefined, SL2_TP3, { intrabar: true })
    expect(r.trades[0]!.exitReason).toBe('stop-loss')
    expect(r.flags.join(' ')).toMatch(/intrabar: no finer bars of X/)
  })
})

describe('stops on finer bars', () => {
  it('a trailing stop follows the minutes: the high of minute 0, then the dip of minute 1', () => {
    const main = hourly([
      [100, 100, 100, 100],
      [100, 106, 99, 104],
      [104, 104, 104, 104],
    ])
    const trailing: ExitRules = { trailing: { kind: 'percent', value: 0.02 } }
    // The path: 100 -> 99 (stop 98 untouched) -> 106 (stop 103.88) -> 104: still open.
    const path = run(main, undefined, trailing)
    expect(path.trades).toHaveLength(0)
    // Minutes: 99, up to 103 (stop 103 x 0.98 = 100.94), down to 100.5 (stopped at 100.94), then 106.
    const fine = minutesOfHour1([
      [100, 103, 99, 102.9],
      [102.9, 102.9, 100.5, 100.5],
      [100.5, 106, 100.5, 104],
    ])
    const r = run(main, fine, trailing, { intrabar: true })
    expect(r.trades).toHaveLength(1)
    expect(r.trades[0]!.exitReason).toBe('trailing-stop')
    expect(r.trades[0]!.exitPrice).toBeCloseTo(100.94, 12)
    expect(r.intrabarBars).toBe(1)
  })

  it('a gap between minutes fills a stop at the later minute’s open', () => {
    const fine = minutesOfHour1([
      [100, 101, 99.5, 100],
      [96.5, 104, 96.5, 103],
      [103, 103, 97, 101],
    ])
    const main = hourly([
      [100, 100, 100, 100],
      [100, 104, 96.5, 101],
      [101, 101, 101, 101],
    ])
    const r = run(main, fine, SL2_TP3, { intrabar: true })
    // Minute 1 opens at 96.5, below the stop at 98: filled at 96.5 (a gap), not at 98.
    expect(r.trades[0]).toMatchObject({ exitPrice: 96.5, exitReason: 'stop-loss' })
  })

  it('the data fingerprint covers the finer bars', () => {
    expect(dataFingerprint([{ symbol: 'X', series: MAIN, fine: TARGET_FIRST }])).not.toBe(
      dataFingerprint([{ symbol: 'X', series: MAIN }]),
    )
  })
})
