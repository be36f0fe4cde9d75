import { describe, expect, it } from 'vitest'
import type { Candle } from '../../src/shared/domain/candles'
import { MAX_PRICE_AGE_MS, priceAt } from '../../src/main/journal/convert'
import type { JournalCandles, JournalOrders, JournalSignals } from '../../src/main/journal/ports'
import { buildPair, type SourceFill } from '../../src/main/journal/round-trips'
import { accountsOf } from '../../src/main/journal/sources'
import { enrich, present } from '../../src/main/journal/trade'
import { Journal } from '../../src/main/journal/journal'
import { decodeTrade, encodeTrade, isOldRow, readSetting, TRADE_FIELDS } from '../../src/main/journal/store'
import { openDatabase } from '../../src/main/storage/database'

const MIN = 60_000
const T = Date.UTC(2025, 2, 3, 9, 0)

const f = (
  side: 'buy' | 'sell',
  amount: string,
  price: string,
  time: number,
  id: string,
  fee: { cost: string; currency: string } | null = null,
): SourceFill => ({
  accountId: 'a',
  symbol: 'BTC/USDT',
  tradeId: id,
  orderId: id,
  clientOrderId: null,
  side,
  amount,
  price,
  feeCost: fee?.cost ?? null,
  feeCurrency: fee?.currency ?? null,
  time,
  seq: time,
})

/** 1m bars of one market whose close is `close(i)` for the bar opening at T + i minutes. */
const series = (close: (i: number) => number, from = -5, to = 10): Candle[] =>
  Array.from({ length: to - from + 1 }, (_, k) => {
    const i = from + k
    const c = close(i)
    return { time: T + i * MIN, open: c, high: c, low: c, close: c, volume: 1 }
  })

/** Candles of the markets given, by symbol; none for any other. */
const market = (bySymbol: Record<string, Candle[]>): JournalCandles => ({
  finest: (_source, symbol, from, to) => {
    const bars = bySymbol[symbol]
    if (!bars) return null
    return { timeframe: '1m', candles: bars.filter((c) => c.time + MIN > from && c.time <= to) }
  },
})

const orders: JournalOrders = { kindOf: () => 'market', restingStop: () => null }
const signals: JournalSignals = { atTime: () => null }

// Long 1 BTC @100 at 09:00:30 (fee 0.01 BNB), sold 1 @110 at 09:03:10 (fee 0.02 BNB).
const [trade] = buildPair(
  [
    f('buy', '1', '100', T + 30_000, 'e', { cost: '0.01', currency: 'BNB' }),
    f('sell', '1', '110', T + 3 * MIN + 10_000, 'x', { cost: '0.02', currency: 'BNB' }),
  ],
  'fifo',
)
// BNB/USDT: the bar opening at T + i min closes at 300 + i.
const BNB = series((i) => 300 + i)

const run = (candles: JournalCandles, currency: string | null = null) =>
  enrich(trade!, { orders, candles, signals }, { source: 'demo', previous: undefined, since: 0, currency })

describe('third-currency fees converted into the quote (hand-computed)', () => {
  it("at each fill's time: the close of the newest bar closed by then", () => {
    const t = run(market({ 'BNB/USDT': BNB }))
    // Entry 09:00:30: the bar 08:59-09:00 closed last, at 299 -> 0.01 x 299 = 2.99.
    // Exit 09:03:10: the bar 09:02-09:03 closed last, at 302 -> 0.02 x 302 = 6.04. Total 9.03.
    expect(t.otherFees).toEqual([{ currency: 'BNB', cost: '0.03', converted: '9.03', note: null }])
    // Gross 10, fees 9.03, net 0.97 (0.97 % of the 100 entered).
    expect(t).toMatchObject({ grossPnl: '10', fees: '9.03', netPnl: '0.97' })
    expect(t.returnPct).toBeCloseTo(0.97, 10)
  })

  it('from the inverse market when only it is stored', () => {
    // USDT/BNB closes 0.0025 (1 BNB = 400 USDT): 1 / 0.0025 = 400 -> 0.03 x 400 = 12.
    const t = run(market({ 'USDT/BNB': series(() => 0.0025) }))
    expect(t.otherFees[0]).toMatchObject({ converted: '12', note: null })
    expect(t).toMatchObject({ fees: '12', netPnl: '-2' })
  })

  it('no price known: shown unconverted with a note, never counted as zero', () => {
    const t = run(market({}))
    expect(t.otherFees).toEqual([
      {
        currency: 'BNB',
        cost: '0.03',
        converted: null,
        note: 'no BNB/USDT price at 2025-03-03T09:00:30.000Z: not in fees or net P&L',
      },
    ])
    expect(t).toMatchObject({ fees: '0', netPnl: '10' })
    // One fill without a price leaves the whole currency unconverted (not half counted).
    const onlyLate = run(market({ 'BNB/USDT': BNB.filter((c) => c.time >= T + MIN) }))
    expect(onlyLate.otherFees[0]!.converted).toBeNull()
    expect(onlyLate.fees).toBe('0')
  })

  it('a bar closing exactly at the time prices it; one closing a millisecond later does not; a day old is the limit', () => {
    const bars = market({ 'BNB/USDT': [{ time: T - MIN, open: 5, high: 5, low: 5, close: 5, volume: 1 }] })
    expect(priceAt(bars, 'demo', 'BNB', 'USDT', T)?.price.toString()).toBe('5')
    expect(priceAt(bars, 'demo', 'BNB', 'USDT', T - 1)).toBeNull()
    expect(priceAt(bars, 'demo', 'BNB', 'USDT', T + MAX_PRICE_AGE_MS)?.price.toString()).toBe('5')
    expect(priceAt(bars, 'demo', 'BNB', 'USDT', T + MAX_PRICE_AGE_MS + 1)).toBeNull()
  })

  it('a flip splits the fee; each part is converted at its fill', () => {
    // Long 1 @100 (no fee), then sell 2 @110 paying 0.02 BNB: half closes the long, half opens a short.
    const [long, short] = buildPair(
      [
        f('buy', '1', '100', T + 30_000, 'e'),
        f('sell', '2', '110', T + 3 * MIN + 10_000, 'x', { cost: '0.02', currency: 'BNB' }),
      ],
      'fifo',
    )
    const ports = { orders, candles: market({ 'BNB/USDT': BNB }), signals }
    const ctx = { source: 'demo', previous: undefined, since: 0 }
    // 0.01 x 302 = 3.02 each.
    expect(enrich(long!, ports, ctx)).toMatchObject({ fees: '3.02', netPnl: '6.98' })
    expect(enrich(short!, ports, ctx).otherFees[0]).toMatchObject({ cost: '0.01', converted: '3.02' })
  })
})

describe("P&L in the account's currency (hand-computed)", () => {
  const candles = market({ 'BNB/USDT': BNB, 'EUR/USDT': series(() => 1.25) })

  it('the quote is the currency: the same figures, rate 1', () => {
    expect(run(candles, 'USDT').accountPnl).toEqual({
      currency: 'USDT',
      rate: '1',
      grossPnl: '10',
      netPnl: '0.97',
      note: null,
    })
  })

  it('another currency: times the price of the quote in it at the exit', () => {
    // At the exit EUR/USDT closed 1.25: 1 USDT = 1 / 1.25 = 0.8 EUR. Gross 10 -> 8, net 0.97 -> 0.776.
    const t = run(candles, 'EUR')
    expect(t.accountPnl).toEqual({ currency: 'EUR', rate: '0.8', grossPnl: '8', netPnl: '0.776', note: null })
    expect(present(t, null, 'A').accountPnl).toEqual(t.accountPnl)
  })

  it('no price: no figures, and a note saying so', () => {
    expect(run(candles, 'JPY').accountPnl).toEqual({
      currency: 'JPY',
      rate: null,
      grossPnl: null,
      netPnl: null,
      note: 'no USDT/JPY price at 2025-03-03T09:03:10.000Z',
    })
    expect(run(candles, null).accountPnl).toBeNull()
  })

  it("the account's currency: its risk currency, else the global one, else a paper account's starting asset, else USDT", () => {
    const db = openDatabase(':memory:')
    const account = db.prepare(
      `INSERT INTO trading_accounts (id, name, mode, exchange_id, created_at, updated_at) VALUES (?, ?, ?, 'paper', 0, 0)`,
    )
    account.run('p', 'Paper', 'paper')
    account.run('l', 'Live', 'live')
    db.prepare(
      `INSERT INTO paper_settings (account_id, starting_asset, starting_amount, maker_fee_bps, taker_fee_bps,
         slippage_bps, reset_at) VALUES ('p', 'EUR', 1000, 0, 0, 0, 0)`,
    ).run()
    const accounts = accountsOf(db)
    expect(accounts.currencyOf!('p')).toBe('EUR')
    expect(accounts.currencyOf!('l')).toBe('USDT')
    expect(accounts.currencyOf!('gone')).toBeNull()
    const limits = db.prepare(
      'INSERT OR REPLACE INTO risk_limits (scope, limits, updated_at) VALUES (?, ?, 0)',
    )
    limits.run('global', JSON.stringify({ currency: 'USDC' }))
    expect(accounts.currencyOf!('p')).toBe('USDC')
    expect(accounts.currencyOf!('l')).toBe('USDC')
    limits.run('l', JSON.stringify({ currency: 'BTC', maxOpenOrders: 3 }))
    expect(accounts.currencyOf!('l')).toBe('BTC')
    db.close()
  })
})

describe('rows written before the conversions', () => {
  it('read with no conversion and no account figures, and the next start rebuilds them', () => {
    const db = openDatabase(':memory:')
    const t = run(market({ 'BNB/USDT': BNB }), 'USDT')
    // The layout before: no accountPnl after the fills, third-currency fees without converted/note.
    const old = JSON.parse(encodeTrade(t)) as unknown[]
    old.pop()
    old[TRADE_FIELDS.indexOf('otherFees')] = [{ currency: 'BNB', cost: '0.03' }]
    const data = JSON.stringify(old)
    expect(decodeTrade(t.key, 'a', 'BTC/USDT', data)).toMatchObject({
      accountPnl: null,
      otherFees: [{ currency: 'BNB', cost: '0.03', converted: null, note: null }],
    })
    db.prepare(
      'INSERT INTO journal_trades (key, account_id, symbol, entry_time, data) VALUES (?, ?, ?, ?, ?)',
    ).run(t.key, 'a', 'BTC/USDT', t.entryTime, data)
    const deps = {
      db,
      clock: { now: () => T },
      accounts: accountsOf(db),
      orders,
      candles: market({}),
      signals,
    }
    // The trades are read at their first use (the catch-up after start, at the latest).
    const journal = new Journal(deps)
    expect(readSetting(db, 'journal-catch-up-pending')).toBeNull()
    expect([...journal.all()]).toHaveLength(1)
    expect(readSetting(db, 'journal-catch-up-pending')).toBe('1')
    // Rows of today's layout are not old (null or an object after the fills).
    expect(isOldRow(data)).toBe(true)
    expect(isOldRow(encodeTrade(t))).toBe(false)
    expect(isOldRow(encodeTrade({ ...t, accountPnl: null, fills: [] }))).toBe(false)
    const fresh = openDatabase(':memory:')
    void [...new Journal({ ...deps, db: fresh, accounts: accountsOf(fresh) }).all()]
    expect(readSetting(fresh, 'journal-catch-up-pending')).toBeNull()
    fresh.close()
    db.close()
  })
})
