import fc from 'fast-check'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { MatchingMethod } from '../../src/shared/contract/journal'
import type { Fill } from '../../src/shared/domain/trading'
import { createDemoMarket } from '../../src/main/demo'
import { Journal } from '../../src/main/journal/journal'
import { accountsOf, candlesOf, ordersOf, signalsOf } from '../../src/main/journal/sources'
import { closeDatabase, openDatabase, type Db } from '../../src/main/storage/database'
import { ensureDefaultAccount } from '../../src/main/trading/service'
import { deleteAccountRows, insertFill } from '../../src/main/trading/store'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const T0 = Date.UTC(2025, 0, 6, 12)
const clock = { now: () => T0 + 86_400_000 }

function journalOn(db: Db): Journal {
  const demo = createDemoMarket({ seed: 1 })
  return new Journal({
    db,
    clock,
    accounts: accountsOf(db),
    orders: ordersOf(db),
    candles: candlesOf(db, demo, clock),
    signals: signalsOf(db),
  })
}

/** The journal's rows, as stored: what incremental building and a rebuild must agree on to the byte. */
const rows = (db: Db) =>
  db.prepare('SELECT key, account_id, symbol, entry_time, data FROM journal_trades ORDER BY key').all()

const fillArb = fc.record({
  symbol: fc.constantFrom('BTC/USDT', 'ETH/USDT'),
  side: fc.constantFrom('buy' as const, 'sell' as const),
  // Few sizes, so positions often close exactly and flip.
  amount: fc.constantFrom('0.5', '1', '1.5', '2', '0.25'),
  price: fc.integer({ min: 90, max: 110 }).map(String),
  fee: fc.constantFrom(null, ['0.01', 'USDT'], ['0.001', 'BASE'], ['0.002', 'BNB']),
  // Mostly forward in time, sometimes at the same time, sometimes late (an older fill recorded later).
  dt: fc.constantFrom(60_000, 60_000, 60_000, 0, -120_000),
})

type FillSpec = typeof fillArb extends fc.Arbitrary<infer T> ? T : never

function toFills(specs: FillSpec[]): Fill[] {
  let t = T0
  return specs.map((s, i) => {
    t += s.dt
    const base = s.symbol.split('/')[0]!
    return {
      accountId: 'demo-paper',
      tradeId: `f${i}`,
      exchangeOrderId: `o${i}`,
      clientOrderId: null,
      symbol: s.symbol,
      side: s.side,
      amount: s.amount,
      price: s.price,
      cost: String(Number(s.amount) * Number(s.price)),
      fee: s.fee === null ? null : { cost: s.fee[0], currency: s.fee[1] === 'BASE' ? base : s.fee[1] },
      takerOrMaker: 'taker',
      time: t,
    }
  })
}

describe('journal: incremental building equals a rebuild from scratch', () => {
  it('on random fill sequences, for every matching method, exactly', () => {
    let run = 0
    fc.assert(
      fc.property(
        fc.array(fillArb, { minLength: 1, maxLength: 60 }),
        fc.constantFrom<MatchingMethod>('fifo', 'lifo', 'average'),
        (specs, method) => {
          const db = openDatabase(join(tempDir(), `p${run++}`, 'candlework.db'))
          try {
            ensureDefaultAccount(db, T0)
            const journal = journalOn(db)
            journal.rebuild(method)
            for (const f of toFills(specs)) {
              insertFill(db, f, f.time)
              journal.onFill(f) // as trading's change bus calls it
            }
            const incremental = rows(db)
            expect(incremental.length).toBeGreaterThan(0)
            journal.rebuild()
            expect(rows(db)).toEqual(incremental)
            // From scratch: a new journal that has seen nothing copies trading's fills and builds.
            db.exec('DELETE FROM journal_fills; DELETE FROM journal_trades')
            journalOn(db).catchUp()
            expect(rows(db)).toEqual(incremental)
          } finally {
            closeDatabase(db)
          }
        },
      ),
      { numRuns: 60 },
    )
  })

  it('keeps trades, notes and tags when the account and its fills are deleted, through a rebuild', () => {
    const db = openDatabase(join(tempDir(), 'deleted', 'candlework.db'))
    try {
      ensureDefaultAccount(db, T0)
      const journal = journalOn(db)
      const fills = toFills([
        { symbol: 'BTC/USDT', side: 'buy', amount: '1', price: '100', fee: null, dt: 0 },
        { symbol: 'BTC/USDT', side: 'sell', amount: '1', price: '105', fee: null, dt: 60_000 },
      ])
      for (const f of fills) {
        insertFill(db, f, f.time)
        journal.onFill(f)
      }
      const [trade] = [...journal.all()]
      expect(trade).toMatchObject({ status: 'closed', netPnl: '5', accountName: 'Demo paper' })
      journal.edit(trade!.key, {
        notes: 'held it',
        tags: [{ kind: 'setup', name: 'breakout' }],
        rating: 4,
        stopPrice: '98',
      })
      db.transaction(() => deleteAccountRows(db, 'demo-paper'))()
      expect(db.prepare('SELECT COUNT(*) AS n FROM trading_fills').get()).toEqual({ n: 0 })
      journal.rebuild()
      const again = journalOn(db)
      const [kept] = [...again.all()]
      expect(kept).toMatchObject({
        key: trade!.key,
        netPnl: '5',
        accountName: 'Demo paper',
        notes: 'held it',
        tags: [{ kind: 'setup', name: 'breakout' }],
        rating: 4,
        stopPrice: '98',
        stopSource: 'trader',
        // R: net 5 over |100 - 98| x 1 = 2.
        r: 2.5,
      })
    } finally {
      closeDatabase(db)
    }
  })
})
