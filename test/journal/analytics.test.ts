import { describe, expect, it } from 'vitest'
import type { JournalTrade } from '../../src/shared/contract/journal'
import { Decimal } from '../../src/shared/decimal/decimal'
import { computeAnalytics, equityCurve, histogram } from '../../src/main/journal/analytics'
import { readSharedJson } from '../support/shared'

const H = 3_600_000
let n = 0
function trade(net: string, exitTime: number, extra: Partial<JournalTrade> = {}): JournalTrade {
  n++
  return {
    key: `k${String(n).padStart(3, '0')}`,
    accountId: 'a',
    accountName: 'A',
    symbol: 'BTC/USDT',
    quote: 'USDT',
    side: 'long',
    status: 'closed',
    entryTime: exitTime - H,
    exitTime,
    avgEntry: '100',
    avgExit: '101',
    size: '1',
    exitedSize: '1',
    grossPnl: net,
    fees: '0',
    netPnl: net,
    otherFees: [],
    accountPnl: null,
    returnPct: Number(net),
    holdingMs: H,
    exitReason: 'manual',
    stopPrice: null,
    stopSource: null,
    r: null,
    mae: null,
    mfe: null,
    signal: null,
    strategy: 'manual',
    notes: '',
    tags: [],
    rating: null,
    fillCount: 2,
    ...extra,
  }
}

// Monday 2025-03-03, UTC.
const MON = Date.UTC(2025, 2, 3, 12)

describe('journal analytics (hand-computed)', () => {
  const trades = [
    trade('10', MON, { r: 2, tags: [{ kind: 'setup', name: 'breakout' }] }),
    trade('-4', MON + 1 * H, { r: -1, side: 'short' }),
    trade('6', MON + 2 * H, { r: 1.5, symbol: 'ETH/USDT', tags: [{ kind: 'setup', name: 'breakout' }] }),
    trade('-3', MON + 24 * H, { r: -1 }),
    trade('-5', MON + 25 * H),
    trade('0', MON + 26 * H),
    trade('8', MON + 48 * H, { holdingMs: 10 * 60_000, entryTime: MON + 48 * H - 10 * 60_000 }),
    trade('1000', MON, { quote: 'BTC' }),
    trade('3', MON, { status: 'open', exitTime: null }),
  ]
  const a = computeAnalytics(trades, { timeZone: 'UTC' })

  it('totals, rates and ratios', () => {
    expect(a).toMatchObject({
      quote: 'USDT',
      otherQuoteTrades: 1,
      closedTrades: 7,
      openTrades: 1,
      wins: 3,
      losses: 3,
      breakeven: 1,
      // 10 - 4 + 6 - 3 - 5 + 0 + 8 = 12
      netPnl: '12',
      grossProfit: '24',
      grossLoss: '-12',
      winRate: 0.5,
      profitFactor: 2,
      expectancy: '1.714285714286', // 12 / 7, half-even at 12 places
      expectancyR: 0.375, // (2 - 1 + 1.5 - 1) / 4
      avgWin: '8',
      avgLoss: '-4',
      payoffRatio: 2,
      largestWin: '10',
      largestLoss: '-5',
      maxConsecutiveWins: 1,
      maxConsecutiveLosses: 2, // -3, -5; the breakeven ends it
    })
    // Equity 10, 6, 12, 9, 4, 4, 12: the deepest drawdown is 4 below the peak of 12.
    expect(a.equity.map((p) => p.equity)).toEqual(['10', '6', '12', '9', '4', '4', '12'])
    expect(a.equity.map((p) => p.drawdown)).toEqual(['0', '-4', '0', '-3', '-8', '-8', '0'])
    expect(a.maxDrawdown).toBe('-8')
    expect(a.avgHoldingMs).toBe((6 * H + 10 * 60_000) / 7)
  })

  it('breakdowns, calendar and time zone', () => {
    expect(a.bySymbol.map((b) => [b.key, b.count, b.netPnl])).toEqual([
      // Equal net P&L: by name.
      ['BTC/USDT', 6, '6'],
      ['ETH/USDT', 1, '6'],
    ])
    expect(a.byTag.map((b) => [b.key, b.count, b.netPnl])).toEqual([
      ['breakout', 2, '16'],
      ['(untagged)', 5, '-4'],
    ])
    expect(a.bySide.map((b) => [b.key, b.netPnl, b.winRate])).toEqual([
      ['long', '16', 0.6],
      ['short', '-4', 0],
    ])
    expect(a.byWeekday.map((b) => [b.key, b.netPnl])).toEqual([
      ['Mon', '12'],
      ['Tue', '-8'],
      ['Wed', '8'],
    ])
    expect(a.byHolding.map((b) => [b.key, b.count])).toEqual([
      ['1m-15m', 1],
      ['1h-4h', 6],
    ])
    expect(a.daily).toEqual([
      { day: '2025-03-03', count: 3, netPnl: '12' },
      { day: '2025-03-04', count: 3, netPnl: '-8' },
      { day: '2025-03-05', count: 1, netPnl: '8' },
    ])
    // In Tokyo (UTC+9) entries at 11:00, 11:50, 12:00 and 13:00 UTC are 20:00-22:00; exits stay on their days.
    const tokyo = computeAnalytics(trades, { timeZone: 'Asia/Tokyo' })
    expect(tokyo.byHour.map((b) => [b.key, b.count])).toEqual([
      ['20', 3],
      ['21', 2],
      ['22', 2],
    ])
    expect(tokyo.daily.map((d) => d.day)).toEqual(['2025-03-03', '2025-03-04', '2025-03-05'])
    // Half-hour zone across its DST change (Lord Howe, UTC+11 -> +10:30 on 2025-04-06 02:00 local).
    const lh = computeAnalytics(
      [trade('1', Date.UTC(2025, 3, 5, 15, 10)), trade('1', Date.UTC(2025, 3, 5, 15, 40))],
      { timeZone: 'Australia/Lord_Howe' },
    )
    expect(lh.daily.map((d) => d.day)).toEqual(['2025-04-06'])
  })

  it('a histogram of returns with equal bins, the top edge in the last', () => {
    expect(histogram([0, 1, 2, 3, 4], 2)).toEqual([
      { from: 0, to: 2, count: 2 },
      { from: 2, to: 4, count: 3 },
    ])
    expect(histogram([5, 5], 20)).toEqual([{ from: 5, to: 5, count: 2 }])
  })
})

interface Empyrical {
  series: Record<string, { values: (number | null)[] }>
  cases: { function: string; args: { returns?: string }; expected: unknown; decimal_places: number }[]
}

describe('the drawdown against empyrical', () => {
  it('max_drawdown: the deepest fall below the running peak, as a fraction of it', () => {
    const ref = readSharedJson<Empyrical>('reference/empyrical_expected.json')
    const cases = ref.cases.filter(
      (c) => c.function === 'empyrical.max_drawdown' && typeof c.expected === 'number',
    )
    expect(cases.length).toBeGreaterThanOrEqual(5)
    for (const c of cases) {
      const returns = ref.series[c.args.returns!]!.values.map((r) => r ?? 0)
      // empyrical: V = 100 * cumprod(1 + r) with 100 prepended; our curve adds each period's P&L to 100.
      const values: number[] = []
      let v = 100
      for (const r of returns) values.push((v = v * (1 + r)))
      const pnls = values.map((x, i) =>
        Decimal.fromNumber(x).minus(Decimal.fromNumber(i === 0 ? 100 : values[i - 1]!)),
      )
      const curve = equityCurve(pnls, Decimal.fromNumber(100))
      const deepest = Math.min(
        0,
        ...curve.map((p) => Number(p.drawdown.toString()) / Number(p.peak.toString())),
      )
      expect(deepest, c.args.returns).toBeCloseTo(c.expected as number, c.decimal_places)
    }
  })
})

describe('journal analytics: sums in doubles and in Decimals agree to the last unit', () => {
  // A small deterministic generator: nets of 0 to 8 places, some tagged, across days and hours.
  let seed = 7
  const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
  const random = Array.from({ length: 400 }, (_, i) => {
    const places = Math.floor(rnd() * 9)
    const units = BigInt(Math.floor((rnd() - 0.45) * 10 ** 9))
    const net = Decimal.fromUnits(units, places).toString()
    const fees = Decimal.fromUnits(BigInt(Math.floor(rnd() * 10 ** 6)), Math.floor(rnd() * 9)).toString()
    return trade(net, MON + i * 37 * 60_000, {
      fees,
      symbol: i % 3 === 0 ? 'ETH/USDT' : 'BTC/USDT',
      tags: i % 4 === 0 ? [{ kind: 'mistake', name: 'late' }] : [],
    })
  })

  it('for everyday amounts (the fast path) as when one figure forces exact Decimals', () => {
    const fast = computeAnalytics(random, { timeZone: 'Europe/Paris' })
    // 16 places cannot go through a double exactly: the whole computation takes Decimals. Same value.
    const forced = random.map((t, i) =>
      i === 0 ? { ...t, fees: `${t.fees}${t.fees.includes('.') ? '' : '.'}0000000000000000` } : t,
    )
    expect(computeAnalytics(forced, { timeZone: 'Europe/Paris' })).toEqual(fast)
    expect(fast.netPnl).toBe(Decimal.sum(random.map((t) => Decimal.parse(t.netPnl))).toString())
    // The equity and drawdown follow the running-peak rule checked against empyrical below.
    const curve = equityCurve(random.map((t) => Decimal.parse(t.netPnl)))
    expect(fast.equity.map((p) => [p.equity, p.drawdown])).toEqual(
      curve.map((p) => [p.equity.toString(), p.drawdown.toString()]),
    )
  })

  it('beyond 2^53 units, exactly', () => {
    const big = [
      trade('90071992547409.93', MON),
      trade('90071992547409.93', MON + H),
      trade('-0.01', MON + 2 * H),
    ]
    const a = computeAnalytics(big, { timeZone: 'UTC' })
    expect(a.netPnl).toBe('180143985094819.85')
    expect(a.equity.map((p) => p.equity)).toEqual([
      '90071992547409.93',
      '180143985094819.86',
      '180143985094819.85',
    ])
    expect(a.maxDrawdown).toBe('-0.01')
  })
})
