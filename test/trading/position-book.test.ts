import fc from 'fast-check'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Fill } from '../../src/shared/domain/trading'
import { closeDatabase, openDatabase, type Db } from '../../src/main/storage/database'
import { forgetPositions, positionLedgers, warmPositionLedgers } from '../../src/main/trading/position-book'
import { positionsFromFills } from '../../src/main/trading/positions'
import { dec } from '../../src/main/trading/decimal'
import { ensureDefaultAccount } from '../../src/main/trading/service'
import { deleteAccountActivity, insertFill, positionFills } from '../../src/main/trading/store'
import { useTempDirs } from '../support/temp-dir'

/*
 * The positions the engine keeps per account (position-book.ts) must be, after any sequence of
 * stored fills, exactly the positions replayed from every fill (positionsFromFills), including
 * when fills arrive out of time order, when another account trades in between, and after the
 * account's fills are deleted (a paper reset) and new ones reuse the freed rowids.
 */
const tempDir = useTempDirs()
const T0 = Date.UTC(2025, 0, 6, 12)
const ACCOUNT = 'demo-paper'

const fillArb = fc.record({
  account: fc.constantFrom(ACCOUNT, ACCOUNT, ACCOUNT, 'other'),
  symbol: fc.constantFrom('BTC/USDT', 'ETH/USDT'),
  side: fc.constantFrom('buy' as const, 'sell' as const),
  amount: fc.constantFrom('0.5', '1', '1.5', '2', '0.25'),
  price: fc.integer({ min: 90, max: 110 }).map(String),
  fee: fc.constantFrom(null, ['0.01', 'USDT'], ['0.001', 'BASE'], ['0.002', 'BNB']),
  // Mostly forward in time, sometimes at the same time, sometimes late (recorded after a newer one).
  dt: fc.constantFrom(60_000, 60_000, 60_000, 0, -120_000),
})
type FillSpec = typeof fillArb extends fc.Arbitrary<infer T> ? T : never

let seq = 0
function toFill(s: FillSpec, t: number): Fill {
  const base = s.symbol.split('/')[0]!
  const i = seq++
  return {
    accountId: s.account,
    tradeId: `f${i}`,
    exchangeOrderId: `o${i}`,
    clientOrderId: null,
    symbol: s.symbol,
    side: s.side,
    amount: s.amount,
    price: s.price,
    cost: dec(s.amount).times(dec(s.price)).toString(),
    fee: s.fee === null ? null : { cost: s.fee[0], currency: s.fee[1] === 'BASE' ? base : s.fee[1] },
    takerOrMaker: 'taker',
    time: t,
  }
}

const MARK = dec('101')
const kept = (db: Db) =>
  [...positionLedgers(db, ACCOUNT).values()]
    .map((l) => l.position(ACCOUNT, MARK, null))
    .sort((a, b) => a.symbol.localeCompare(b.symbol))
const replayed = (db: Db) =>
  positionsFromFills(ACCOUNT, positionFills(db, ACCOUNT), () => MARK).sort((a, b) =>
    a.symbol.localeCompare(b.symbol),
  )

async function withDb(name: string, body: (db: Db) => void | Promise<void>): Promise<void> {
  const db = openDatabase(join(tempDir(), name, 'candlework.db'))
  try {
    ensureDefaultAccount(db, T0)
    db.prepare(
      `INSERT INTO trading_accounts (id, name, mode, exchange_id, created_at, updated_at) VALUES ('other', 'Other', 'paper', 'demo', ?, ?)`,
    ).run(T0, T0)
    await body(db)
  } finally {
    closeDatabase(db)
  }
}

describe('trading: positions kept per account equal a replay of every fill', () => {
  it('after every batch of a random fill sequence, out-of-order and other accounts included', async () => {
    await withDb('random', (db) => {
      fc.assert(
        fc.property(
          fc.array(fc.array(fillArb, { maxLength: 8 }), { minLength: 1, maxLength: 8 }),
          (batches) => {
            // Each run starts from a reset of both accounts (new fills then reuse freed rowids).
            deleteAccountActivity(db, ACCOUNT)
            deleteAccountActivity(db, 'other')
            let t = T0
            for (const batch of batches) {
              for (const s of batch) insertFill(db, toFill(s, (t += s.dt)), t)
              expect(kept(db)).toEqual(replayed(db))
            }
          },
        ),
        { numRuns: 150 },
      )
    })
  })

  it('built a page per turn, with fills stored and positions asked for between two pages', async () => {
    const step = fc.constantFrom('nothing' as const, 'fill' as const, 'ask' as const)
    await withDb('paged', async (db) => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fillArb, { minLength: 1, maxLength: 40 }),
          fc.array(fc.tuple(step, fillArb), { maxLength: 12 }),
          fc.integer({ min: 1, max: 6 }),
          async (before, between, page) => {
            deleteAccountActivity(db, ACCOUNT)
            deleteAccountActivity(db, 'other')
            let t = T0
            for (const s of before) insertFill(db, toFill(s, (t += s.dt)), t)
            forgetPositions(db)
            let i = 0
            // Between two pages: nothing, a new fill (sometimes older than the last: a rebuild), or a synchronous reader.
            const turn = async () => {
              const [what, s] = between[i++ % Math.max(1, between.length)] ?? ['nothing', before[0]!]
              if (what === 'fill') insertFill(db, toFill(s, (t += s.dt)), t)
              if (what === 'ask') expect(kept(db)).toEqual(replayed(db))
            }
            await warmPositionLedgers(db, ACCOUNT, turn, page)
            expect(kept(db)).toEqual(replayed(db))
          },
        ),
        { numRuns: 100 },
      )
    })
  })

  it("forgets every book when another account's fills are deleted and their rowids are taken again", async () => {
    await withDb('other-reset', (db) => {
      const fill = (account: FillSpec['account'], amount: FillSpec['amount']) =>
        toFill({ account, symbol: 'BTC/USDT', side: 'buy', amount, price: '100', fee: null, dt: 0 }, T0)
      insertFill(db, fill(ACCOUNT, '1'), T0)
      insertFill(db, fill('other', '2'), T0)
      insertFill(db, fill('other', '2'), T0)
      expect(kept(db).map((p) => p.amount)).toEqual(['1'])
      deleteAccountActivity(db, 'other')
      // The two freed rowids go to this account's next fills: the table's largest rowid is as before.
      insertFill(db, fill(ACCOUNT, '2'), T0 + 1)
      insertFill(db, fill(ACCOUNT, '1.5'), T0 + 2)
      expect(kept(db).map((p) => p.amount)).toEqual(['4.5'])
      expect(kept(db)).toEqual(replayed(db))
    })
  })

  it('stops building when the engine closes its database between two pages', async () => {
    const db = openDatabase(join(tempDir(), 'closed', 'candlework.db'))
    ensureDefaultAccount(db, T0)
    const buy = {
      account: ACCOUNT,
      symbol: 'BTC/USDT',
      side: 'buy',
      amount: '1',
      price: '100',
      fee: null,
      dt: 0,
    } as const
    for (let i = 0; i < 5; i++) insertFill(db, toFill(buy, T0 + i), T0)
    let turns = 0
    await warmPositionLedgers(
      db,
      ACCOUNT,
      async () => {
        if (++turns === 1) closeDatabase(db)
      },
      2,
    )
    expect(turns).toBe(1)
  })

  it('forgets the deleted fills of a paper reset, even when the new ones reuse their rowids', async () => {
    await withDb('reset', (db) => {
      const buy = {
        account: ACCOUNT,
        symbol: 'BTC/USDT',
        side: 'buy',
        price: '100',
        fee: null,
        dt: 0,
      } as const
      insertFill(db, toFill({ ...buy, amount: '2' }, T0), T0)
      expect(kept(db).map((p) => p.amount)).toEqual(['2'])
      const before = db.prepare('SELECT MAX(rowid) AS m FROM trading_fills').get() as { m: number }
      deleteAccountActivity(db, ACCOUNT)
      insertFill(db, toFill({ ...buy, amount: '0.5' }, T0 + 1), T0 + 1)
      // The new fill took the freed rowid: only the reset's notice tells the book to start over.
      expect(db.prepare('SELECT MAX(rowid) AS m FROM trading_fills').get()).toEqual(before)
      expect(kept(db).map((p) => p.amount)).toEqual(['0.5'])
      expect(kept(db)).toEqual(replayed(db))
    })
  })
})
