import { describe, expect, it } from 'vitest'
import type { Candle } from '../../src/shared/domain/candles'
import type { JournalCandles, JournalOrders, JournalSignals, OrderKind } from '../../src/main/journal/ports'
import { buildPair, type SourceFill } from '../../src/main/journal/round-trips'
import { enrich, present } from '../../src/main/journal/trade'

const MIN = 60_000
const T = Date.UTC(2025, 2, 3, 9, 0)

const f = (
  side: 'buy' | 'sell',
  amount: string,
  price: string,
  time: number,
  orderId: string,
): SourceFill => ({
  accountId: 'a',
  symbol: 'BTC/USDT',
  tradeId: orderId,
  orderId,
  clientOrderId: null,
  side,
  amount,
  price,
  feeCost: null,
  feeCurrency: null,
  time,
  seq: time,
})

const bar = (i: number, low: number, high: number): Candle => ({
  time: T + i * MIN,
  open: (low + high) / 2,
  high,
  low,
  close: (low + high) / 2,
  volume: 1,
})

/** 1m bars: the one before the entry, three while open, one forming at the exit, one after. */
const BARS = [
  bar(-1, 50, 200),
  bar(0, 98, 103),
  bar(1, 95.5, 104),
  bar(2, 97, 108.25),
  bar(3, 80, 120),
  bar(4, 1, 1000),
]

const candles: JournalCandles = {
  finest: (_source, _symbol, from, to) => ({
    timeframe: '1m',
    candles: BARS.filter((c) => c.time + MIN > from && c.time <= to),
  }),
}
const signals: JournalSignals = {
  atTime: (_s, _sym, time) => ({
    profile: 'default',
    timeframe: '1m',
    time: time - 2 * MIN,
    score: 71.5,
    direction: 'buy',
    confidence: 0.6,
    reasons: [{ component: 'trend', tone: 'bull', text: 'EMA 20 above EMA 50' }],
  }),
}
const orders = (kind: OrderKind | null, stop: string | null): JournalOrders => ({
  kindOf: () => kind,
  restingStop: () => stop,
})

describe('journal enrichment (hand-computed)', () => {
  // Long 2 @100 at 09:00:30, sold 2 @106 at 09:03:10 by a take-profit; stop-loss resting at 97.
  const [raw] = buildPair(
    [f('buy', '2', '100', T + 30_000, 'e'), f('sell', '2', '106', T + 3 * MIN + 10_000, 'x')],
    'fifo',
  )

  it('MAE and MFE from the bars closed by the exit, overlapping the trade', () => {
    const t = enrich(
      raw!,
      { orders: orders('take_profit', '97'), candles, signals },
      { source: 'demo', previous: undefined, since: 0 },
    )
    // Bars 0, 1, 2 count (bar 3 is still forming at the exit, bar -1 closed before the entry):
    // lowest 95.5 -> (95.5 - 100) / 100 = -4.5 %; highest 108.25 -> +8.25 %.
    expect(t.mae).toEqual({ price: '95.5', pct: -4.5 })
    expect(t.mfe).toEqual({ price: '108.25', pct: 8.25 })
    expect(t.exitReason).toBe('take-profit')
    expect(t.holdingMs).toBe(3 * MIN - 20_000)
    expect(t.returnPct).toBe(6)
    expect(t.signal).toMatchObject({ score: 71.5, direction: 'buy' })
    // R from the resting stop: net 12 over |100 - 97| x 2 = 6 -> 2R.
    const shown = present(t, null, 'Demo paper')
    expect(shown).toMatchObject({ stopPrice: '97', stopSource: 'order', r: 2, netPnl: '12' })
    // The trader's own stop wins: |100 - 99| x 2 = 2 -> 6R.
    expect(present(t, { notes: '', tags: [], rating: null, stopPrice: '99' }, 'x').r).toBe(6)
  })

  it('a short: MAE is the highest price, MFE the lowest', () => {
    const [short] = buildPair(
      [f('sell', '1', '100', T + 30_000, 'e'), f('buy', '1', '99', T + 3 * MIN + 10_000, 'x')],
      'fifo',
    )
    const t = enrich(
      short!,
      { orders: orders('stop', null), candles, signals },
      { source: 'demo', previous: undefined, since: 0 },
    )
    expect(t.mae).toEqual({ price: '108.25', pct: 8.25 })
    expect(t.mfe).toEqual({ price: '95.5', pct: -4.5 })
    expect(t.exitReason).toBe('stop-loss')
    expect(present(t, null, 'x').r).toBeNull()
  })

  it('exit reasons by the closing order type; unknown orders are manual', () => {
    const reason = (k: OrderKind | null) =>
      enrich(
        raw!,
        { orders: orders(k, null), candles, signals },
        { source: 'demo', previous: undefined, since: 0 },
      ).exitReason
    expect(reason('trailing_stop')).toBe('trailing')
    expect(reason('stop_limit')).toBe('stop-loss')
    expect(reason('take_profit_limit')).toBe('take-profit')
    expect(reason('liquidation')).toBe('liquidation')
    expect(reason('market')).toBe('manual')
    expect(reason(null)).toBe('manual')
  })
})
