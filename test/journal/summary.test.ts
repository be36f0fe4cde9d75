import { describe, expect, it } from 'vitest'
import type { JournalTrade } from '../../src/shared/contract/journal'
import { computeSummary, thin } from '../../src/main/journal/summary'
import { UnusualTrades } from '../../src/main/journal/unusual'
import { localStart } from '../../src/main/journal/zoned'

const H = 3_600_000
let n = 0
function trade(net: string, exitTime: number | null, extra: Partial<JournalTrade> = {}): JournalTrade {
  n++
  return {
    key: `k${String(n).padStart(3, '0')}`,
    accountId: 'a',
    accountName: 'A',
    symbol: 'BTC/USDT',
    quote: 'USDT',
    side: 'long',
    status: exitTime === null ? 'open' : 'closed',
    entryTime: (exitTime ?? Date.UTC(2025, 2, 1)) - H,
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
    returnPct: exitTime === null ? null : Number(net),
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

describe('local day and week starts', () => {
  it('midnight of the day and of Monday, in the zone asked, across a DST change', () => {
    // Wednesday 2025-03-05 10:00 UTC: in UTC the day starts at 00:00 UTC, the week Monday 03-03.
    const now = Date.UTC(2025, 2, 5, 10)
    expect(localStart('UTC', now, 'day')).toBe(Date.UTC(2025, 2, 5))
    expect(localStart('UTC', now, 'week')).toBe(Date.UTC(2025, 2, 3))
    // Paris is UTC+1 in March: local midnight is 23:00 UTC the day before.
    expect(localStart('Europe/Paris', now, 'day')).toBe(Date.UTC(2025, 2, 4, 23))
    // 23:30 UTC on Tuesday is already Wednesday 00:30 in Paris.
    expect(localStart('Europe/Paris', Date.UTC(2025, 2, 4, 23, 30), 'day')).toBe(Date.UTC(2025, 2, 4, 23))
    // Tuesday 2025-04-01 in New York (EDT, UTC-4): its week began Monday 03-31 at 04:00 UTC.
    expect(localStart('America/New_York', Date.UTC(2025, 3, 1, 12), 'week')).toBe(Date.UTC(2025, 2, 31, 4))
    // Sunday 03-09 20:30 EDT (New York changed from EST that morning): its week's Monday, 03-03,
    // was still EST (UTC-5), so it began at 05:00 UTC, not 04:00.
    expect(localStart('America/New_York', Date.UTC(2025, 2, 10, 0, 30), 'week')).toBe(Date.UTC(2025, 2, 3, 5))
  })
})

describe('journal.summary figures', () => {
  // Now: Wednesday 2025-03-05 12:00 UTC (UTC zone): today from 03-05, the week from Monday 03-03.
  const now = Date.UTC(2025, 2, 5, 12)
  const trades = [
    trade('-6', Date.UTC(2025, 1, 20)), // before this week
    trade('10', Date.UTC(2025, 2, 3, 9)), // Monday
    trade('-4', Date.UTC(2025, 2, 4, 9)), // Tuesday
    trade('5', Date.UTC(2025, 2, 5, 8)), // today
    trade('-2', Date.UTC(2025, 2, 5, 9)), // today
    trade('100', Date.UTC(2025, 2, 5, 9), { quote: 'BTC' }), // another quote: left out
    trade('3', null), // open
  ]
  const s = computeSummary(trades, { timeZone: 'UTC', now, points: 400 })

  it('today, this week and all time, by exit time, in the most traded quote', () => {
    expect(s.quote).toBe('USDT')
    expect(s.todayFrom).toBe(Date.UTC(2025, 2, 5))
    expect(s.weekFrom).toBe(Date.UTC(2025, 2, 3))
    // Today: +5 and -2: net 3, 1 win of 2, profit factor 5 / 2, expectancy 3 / 2.
    expect(s.today).toEqual({
      closedTrades: 2,
      wins: 1,
      losses: 1,
      netPnl: '3',
      winRate: 0.5,
      profitFactor: 2.5,
      expectancy: '1.5',
      expectancyR: null,
    })
    // Week: +10 -4 +5 -2: net 9, 2 of 4, 15 / 6 = 2.5, 9 / 4 = 2.25.
    expect(s.week).toMatchObject({
      closedTrades: 4,
      netPnl: '9',
      winRate: 0.5,
      profitFactor: 2.5,
      expectancy: '2.25',
    })
    // All: -6 +10 -4 +5 -2: net 3, 2 of 5, 15 / 12 = 1.25, 3 / 5 = 0.6.
    expect(s.all).toMatchObject({
      closedTrades: 5,
      netPnl: '3',
      winRate: 0.4,
      profitFactor: 1.25,
      expectancy: '0.6',
    })
    expect(s.openTrades).toBe(1)
    // Equity -6, 4, 0, 5, 3: the peak 5 then 3 is a drawdown of -2; -6 from the start 0 is -6.
    expect(s.equity.map((p) => p.equity)).toEqual(['-6', '4', '0', '5', '3'])
    expect(s.maxDrawdown).toBe('-6')
  })

  it('an empty journal answers zeros, not errors', () => {
    const e = computeSummary([], { timeZone: 'UTC', now, points: 400 })
    expect(e).toMatchObject({ quote: null, equity: [], all: { closedTrades: 0, netPnl: '0', winRate: null } })
  })
})

describe('thinning the equity curve', () => {
  it('keeps each run’s low and high in time order, and the last point', () => {
    const curve = [0, 5, -3, 2, 8, 1, 4, 6, 7].map((e, i) => ({ time: i, equity: String(e), drawdown: '0' }))
    // 5 points: 2 runs of the 9 (0-3, 4-8): run 1 low -3 (t2), high 5 (t1); run 2 low 1 (t5),
    // high 8 (t4); then the last point (t8).
    expect(thin(curve, 5).map((p) => p.time)).toEqual([1, 2, 4, 5, 8])
    expect(thin(curve, 9)).toHaveLength(9)
  })
})

describe('unusual trades in the journal', () => {
  it('flags a return far from its symbol’s median, and computes again only when a return changed', () => {
    // BTC: 10 × -1 %, 10 × +1 %, one 0 % and the trade of -8.2 % itself (the history is every
    // closed trade of the symbol).
    const base = [
      ...Array.from({ length: 10 }, (_, i) => trade('-1', Date.UTC(2025, 0, 1 + i))),
      ...Array.from({ length: 10 }, (_, i) => trade('1', Date.UTC(2025, 0, 11 + i))),
      trade('0', Date.UTC(2025, 0, 25)),
    ]
    const odd = trade('-8.2', Date.UTC(2025, 0, 26), { symbol: 'BTC/USDT' })
    const eth = trade('-8.2', Date.UTC(2025, 0, 26), { symbol: 'ETH/USDT' })
    let rows = [...base, odd, eth]
    let reads = 0
    const u = new UnusualTrades(() => {
      reads++
      return rows
    })
    // Sorted: -8.2, -1 ×10, 0, +1 ×10 (22 values): median = (-1 + 0) / 2 = -0.5. Deviations:
    // 7.7, 0.5 ×10, 0.5, 1.5 ×10 -> the 11th and 12th sorted are 0.5 and 1.5 -> 1.0; MAD 1.4826;
    // z = (-8.2 + 0.5) / 1.4826 = -5.1936.
    const flag = u.flagOf(odd)
    expect(flag?.z).toBeCloseTo(-5.1936, 4)
    expect(flag?.reason).toBe(
      "Return −8.2 % is 5.2 robust σ below this symbol's median trade (−0.5 %, 22 trades)",
    )
    // ETH has one trade: too short a history.
    expect(u.flagOf(eth)).toBeNull()
    expect(u.flagOf(base[0]!)).toBeNull()
    expect(reads).toBe(1)
    // A note changes no return: nothing is computed again.
    u.changed([{ ...odd, notes: 'fat finger' }])
    u.flagOf(odd)
    expect(reads).toBe(1)
    // A return that changed is.
    rows = [...base, { ...odd, returnPct: 1 }, eth]
    u.changed([{ ...odd, returnPct: 1 }])
    expect(u.flagOf({ ...odd, returnPct: 1 })).toBeNull()
    expect(reads).toBe(2)
  })
})
