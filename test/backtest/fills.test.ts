// Hand-computed cases for every fill rule of docs/BACKTEST.md "Fill model" and "Costs".
import { describe, expect, it } from 'vitest'
import { run } from './support'

const FLAT = [100, 100, 100, 100]
const BUY10 = { 0: [{ type: 'market' as const, side: 'buy' as const, size: 10 }] }

describe('market orders and fees', () => {
  it('fill at the next open; taker percent plus fixed fee on entry and exit', () => {
    const r = run(
      [FLAT, [100, 101, 99, 100], [105, 106, 104, 105], [110, 111, 109, 110]],
      { ...BUY10, 2: [{ type: 'close' }] },
      { fees: { taker: 0.001, fixed: 1 }, closeAtEnd: false },
    )
    expect(r.trades).toHaveLength(1)
    const t = r.trades[0]!
    // entry 10 x 100, fee 1 + 1 = 2; exit 10 x 110, fee 1.1 + 1 = 2.1
    expect(t).toMatchObject({
      entryPrice: 100,
      exitPrice: 110,
      size: 10,
      entryBar: 1,
      exitBar: 3,
      barsHeld: 2,
    })
    expect(t.fees).toBeCloseTo(4.1, 12)
    expect(t.pnl).toBeCloseTo(95.9, 12)
    expect(t.returnPct).toBeCloseTo(0.0959, 12)
    expect(r.equity.value[3]).toBeCloseTo(10_095.9, 9)
    expect(r.feesPaid).toBeCloseTo(4.1, 12)
  })

  it('a limit fill pays the maker fee', () => {
    const r = run(
      [FLAT, [100, 101, 99, 100], [110, 111, 109, 110], [110, 110, 110, 110]],
      { 0: [{ type: 'limit', side: 'buy', price: 99, size: 10 }], 1: [{ type: 'close' }] },
      { fees: { maker: 0.0005, taker: 0.002, fixed: 1 }, closeAtEnd: false },
    )
    const t = r.trades[0]!
    expect(t.entryPrice).toBe(99)
    // 10 x 99 x 0.0005 + 1 = 1.495 in, 10 x 110 x 0.002 + 1 = 3.2 out
    expect(t.fees).toBeCloseTo(4.695, 12)
    expect(t.pnl).toBeCloseTo(110 - 4.695, 12)
  })

  it('fill=close fills at the signal bar close and flags the run', () => {
    const r = run(
      [
        [100, 102, 98, 101],
        [105, 106, 104, 105],
      ],
      BUY10,
      { fill: 'close' },
    )
    expect(r.trades[0]).toMatchObject({
      entryPrice: 101,
      entryBar: 0,
      exitPrice: 105,
      exitBar: 1,
      exitReason: 'end',
    })
    expect(r.flags.join(' ')).toMatch(/fill=close/)
  })

  it('slippage: basis points and a fraction of the range, against the taker', () => {
    const r = run([FLAT, [100, 101, 99, 100], [100, 100, 100, 100]], BUY10, {
      slippage: { bps: 10, rangeFraction: 0.1 },
      closeAtEnd: false,
    })
    // 100 + 100 x 10 bps + 0.1 x (101 - 99) = 100.3
    expect(r.equity.value[1]).toBeCloseTo(10_000 - 10 * 100.3 + 10 * 100, 9)
    const end = run([FLAT, [100, 101, 99, 100], [100, 100, 100, 100]], BUY10, {
      slippage: { bps: 10, rangeFraction: 0.1 },
    })
    const t = end.trades[0]!
    expect(t.entryPrice).toBeCloseTo(100.3, 12)
    // exit at the last close 100 less 10 bps (the bar has no range)
    expect(t.exitPrice).toBeCloseTo(99.9, 12)
    expect(t.slippage).toBeCloseTo(10 * 0.3 + 10 * 0.1, 9)
  })

  it('borrow on a short: the yearly rate per day held, at each close after the entry bar', () => {
    const rate = 0.001 * 365.25 // 0.1 % a day
    const r = run(
      [FLAT, [100, 100, 100, 100], [100, 100, 100, 100], [100, 100, 100, 100]],
      { 0: [{ type: 'market', side: 'sell', size: 10 }], 2: [{ type: 'close' }] },
      { sides: 'short', borrowRate: rate, closeAtEnd: false },
    )
    const t = r.trades[0]!
    expect(t.size).toBe(-10)
    expect(t.borrow).toBeCloseTo(10 * 100 * 0.001, 12)
    expect(t.pnl).toBeCloseTo(-1, 12)
  })
})

describe('exits along the intrabar path', () => {
  it('a gap through the stop-loss fills at the open', () => {
    const r = run(
      [FLAT, [100, 102, 98, 101], [90, 92, 88, 89]],
      BUY10,
      {},
      { stopLoss: { kind: 'percent', value: 0.05 } },
    )
    expect(r.trades[0]).toMatchObject({ exitPrice: 90, exitBar: 2, exitReason: 'stop-loss', pnl: -100 })
  })

  it('stop and target in one bar: the nearer extreme comes first, and the bar is counted', () => {
    const exits = {
      stopLoss: { kind: 'percent', value: 0.05 },
      takeProfit: { kind: 'percent', value: 0.1 },
    } as const
    // open 100, low 94 is nearer than high 111: the stop at 95 first
    const a = run([FLAT, [100, 101, 99, 100], [100, 111, 94, 100]], BUY10, {}, exits)
    expect(a.trades[0]).toMatchObject({ exitPrice: 95, exitReason: 'stop-loss' })
    expect(a.ambiguousBars).toBe(1)
    // open 104, high 111 is nearer than low 94: the target at 110 first, at the maker fee
    const b = run(
      [FLAT, [100, 101, 99, 100], [104, 111, 94, 100]],
      BUY10,
      { fees: { maker: 0.001, taker: 0.002 } },
      exits,
    )
    expect(b.trades[0]).toMatchObject({ exitPrice: 110, exitReason: 'take-profit' })
    expect(b.trades[0]!.fees).toBeCloseTo(10 * 100 * 0.002 + 10 * 110 * 0.001, 12)
    expect(b.ambiguousBars).toBe(1)
  })

  it('a trailing stop follows the highs the path reaches and fills where it is crossed', () => {
    const exits = { trailing: { kind: 'percent', value: 0.1 } } as const
    // bar 1: 100 -> 99 -> 120 (stop 108) -> 115; bar 2: 112 -> 113 -> 100 crosses 108
    const r = run([FLAT, [100, 120, 99, 115], [112, 113, 100, 101]], BUY10, {}, exits)
    expect(r.trades[0]).toMatchObject({ exitPrice: 108, exitBar: 2, exitReason: 'trailing-stop' })
    expect(r.trades[0]!.pnl).toBeCloseTo(80, 9)
    // within the entry bar: 110 -> 120 (stop 108) -> 99 crosses it
    const same = run([FLAT, [110, 120, 99, 105]], BUY10, {}, exits)
    expect(same.trades[0]).toMatchObject({
      entryPrice: 110,
      exitPrice: 108,
      exitBar: 1,
      exitReason: 'trailing-stop',
    })
  })

  it('an ATR stop is placed at the signal bar ATR times the multiple', () => {
    // TA-Lib ATR(2) at bar 2 = mean(TR1 = 4, TR2 = 6) = 5; stop = 100 - 2 x 5 = 90
    const rows = [
      [100, 101, 99, 100],
      [100, 102, 98, 100],
      [100, 103, 97, 100],
      [100, 101, 89, 95],
    ]
    const exits = { stopLoss: { kind: 'atr' as const, value: 2 }, atrSlot: 0 }
    const r = run(rows, { 2: [{ type: 'market', side: 'buy', size: 10 }] }, {}, exits, [
      { id: 'atr', params: { period: 2 } },
    ])
    expect(r.trades[0]).toMatchObject({ entryPrice: 100, exitPrice: 90, exitBar: 3, exitReason: 'stop-loss' })
  })
})

describe('limit, stop and stop-limit entries', () => {
  const buy = (o: object): Record<number, never[]> => ({ 0: [{ side: 'buy', size: 10, ...o } as never] })

  it('limit: at its price inside the bar, at the open when the bar gaps through it', () => {
    expect(run([FLAT, [100, 101, 94, 99]], buy({ type: 'limit', price: 95 })).trades[0]!.entryPrice).toBe(95)
    expect(run([FLAT, [93, 96, 92, 95]], buy({ type: 'limit', price: 95 })).trades[0]!.entryPrice).toBe(93)
  })

  it('stop: at its price (slipped), at the open on a gap', () => {
    const r = run([FLAT, [100, 106, 99, 104]], buy({ type: 'stop', stop: 105 }), { slippage: { bps: 10 } })
    expect(r.trades[0]!.entryPrice).toBeCloseTo(105.105, 12)
    expect(run([FLAT, [107, 108, 106, 107]], buy({ type: 'stop', stop: 105 })).trades[0]!.entryPrice).toBe(
      107,
    )
  })

  it('stop-limit: a gap past the limit rests as a limit that fills when the path comes back', () => {
    const r = run([FLAT, [107, 109, 105.5, 108]], buy({ type: 'stop-limit', stop: 105, price: 106 }))
    expect(r.trades[0]!.entryPrice).toBe(106)
    const never = run([FLAT, [107, 109, 106.5, 108]], buy({ type: 'stop-limit', stop: 105, price: 106 }))
    expect(never.trades).toHaveLength(0)
    expect(never.workingAtEnd).toBe(1)
  })

  it('expireBars: the order is dropped after its last bar', () => {
    const r = run(
      [FLAT, [100, 101, 99, 100], [60, 61, 59, 60]],
      buy({ type: 'limit', price: 90, expireBars: 1 }),
    )
    expect(r.trades).toHaveLength(0)
    expect(r.workingAtEnd).toBe(0)
  })
})

describe('partial fills under the volume-share cap', () => {
  it('fills at most the share of each bar volume; the rest works at the next opens', () => {
    const rows = [
      FLAT,
      [100, 101, 99, 100, 50],
      [102, 103, 101, 102, 50],
      [104, 105, 103, 104, 50],
      [110, 111, 109, 110, 1000],
    ]
    const r = run(
      rows,
      { 0: [{ type: 'market', side: 'buy', size: 12 }], 3: [{ type: 'close' }] },
      {
        slippage: { volumeShare: 0.1 },
        closeAtEnd: false,
      },
    )
    // 5 at 100, 5 at 102, 2 at 104: average 101.5
    expect(r.equity.value[1]).toBeCloseTo(10_000, 9)
    const t = r.trades[0]!
    expect(t.size).toBe(12)
    expect(t.entryPrice).toBeCloseTo(101.5, 12)
    expect(t.entryBar).toBe(1)
    expect(t.pnl).toBeCloseTo(12 * (110 - 101.5), 9)
  })
})

describe('sizing', () => {
  const target = { 0: [{ type: 'market' as const, side: 'buy' as const }] }
  it('risk per trade: equity x risk / stop distance', () => {
    const r = run(
      [FLAT, [100, 101, 99, 100]],
      target,
      { sizing: { mode: 'risk', value: 0.01 }, lotStep: 1 },
      { stopLoss: { kind: 'percent', value: 0.05 } },
    )
    expect(r.trades[0]!.size).toBe(20)
  })
  it('percent of equity is capped by the leverage', () => {
    const r = run([FLAT, [100, 101, 99, 100]], target, { sizing: { mode: 'percent', value: 3 }, leverage: 2 })
    expect(r.trades[0]!.size).toBeCloseTo(200, 9)
  })
  it('quote amount with fees inside it, rounded down to the lot step', () => {
    const r = run([FLAT, [100, 101, 99, 100]], target, {
      sizing: { mode: 'quote', value: 1000 },
      fees: { taker: 0.01 },
      lotStep: 0.5,
    })
    // 1000 / 101 = 9.90 -> 9.5
    expect(r.trades[0]!.size).toBe(9.5)
  })
  it('a side the run does not allow is dropped and counted', () => {
    const r = run([FLAT, [100, 101, 99, 100]], { 0: [{ type: 'market', side: 'sell' }] }, { sides: 'long' })
    expect(r.trades).toHaveLength(0)
    expect(r.rejectedOrders).toBe(1)
  })
  it('a target entry the other way closes the position, then opens the new one', () => {
    const r = run(
      [FLAT, [100, 101, 99, 100], [100, 101, 99, 100], [90, 91, 89, 90], [80, 81, 79, 80]],
      { 0: [{ type: 'market', side: 'buy' }], 2: [{ type: 'market', side: 'sell' }] },
      { sides: 'both', sizing: { mode: 'units', value: 10 } },
    )
    expect(r.trades.map((t) => [t.size, t.entryPrice, t.exitPrice, t.exitReason])).toEqual([
      [10, 100, 90, 'reversal'],
      [-10, 90, 80, 'end'],
    ])
  })
})
