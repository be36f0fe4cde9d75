import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Fill } from '../../src/shared/domain/trading'
import { createDemoMarket } from '../../src/main/demo'
import { COPY_SLICE, Journal, REBUILD_SLICE } from '../../src/main/journal/journal'
import { accountsOf, candlesOf, ordersOf, signalsOf } from '../../src/main/journal/sources'
import { closeDatabase, openDatabase, type Db } from '../../src/main/storage/database'
import { ensureDefaultAccount } from '../../src/main/trading/service'
import { insertFill } from '../../src/main/trading/store'
import { useTempDirs } from '../support/temp-dir'

/**
 * The first catch-up after start, a slice at a time (Journal.catchUpInSlices): the same trades
 * as a catch-up in one piece, the event loop turning between slices, fills arriving meanwhile
 * kept, a cut-short catch-up redone at the next start. 9,000 fills (two pairs), so both the copy
 * (5,000 rows a slice) and each pair's rebuild (2,000 fills a slice) take several slices; about
 * a second of CPU for the builds below.
 */
const tempDir = useTempDirs()
const T0 = Date.UTC(2025, 0, 6, 12)
const clock = { now: () => T0 + 30 * 86_400_000 }
const N = 9_000

function journalOn(db: Db): Journal {
  return new Journal({
    db,
    clock,
    accounts: accountsOf(db),
    orders: ordersOf(db),
    candles: candlesOf(db, createDemoMarket({ seed: 1 }), clock),
    signals: signalsOf(db),
  })
}

const rows = (db: Db) =>
  db.prepare('SELECT key, account_id, symbol, entry_time, data FROM journal_trades ORDER BY key').all()

function fill(i: number, time: number): Fill {
  const symbol = i % 2 === 0 ? 'BTC/USDT' : 'ETH/USDT'
  // Per pair: buy 1, buy 0.5, sell 1.5 (a scale-in and a full exit), fees in quote.
  const leg = Math.floor(i / 2) % 3
  return {
    accountId: 'demo-paper',
    tradeId: `f${i}`,
    exchangeOrderId: `o${i}`,
    clientOrderId: null,
    symbol,
    side: leg === 2 ? 'sell' : 'buy',
    amount: leg === 0 ? '1' : leg === 1 ? '0.5' : '1.5',
    price: String(100 + (i % 13)),
    cost: '0',
    fee: { cost: '0.01', currency: 'USDT' },
    takerOrMaker: 'taker',
    time,
  }
}

/** A data folder whose trading_fills holds N fills the journal has not seen (an upgrade, a CLI import). */
function bookOf(name: string): Db {
  const db = openDatabase(join(tempDir(), name, 'candlework.db'))
  ensureDefaultAccount(db, T0)
  db.transaction(() => {
    for (let i = 0; i < N; i++) insertFill(db, fill(i, T0 + i * 60_000), T0)
  })()
  return db
}

describe('journal: the catch-up after start, in slices', () => {
  it('builds what a catch-up in one piece builds, letting timers run between slices', async () => {
    const whole = bookOf('whole')
    const sliced = bookOf('sliced')
    try {
      journalOn(whole).catchUp()
      const expected = rows(whole)
      expect(expected.length).toBe(N / 3)

      const journal = journalOn(sliced)
      let timerRan = false
      setTimeout(() => (timerRan = true), 0)
      let turns = 0
      const done = journal.catchUpInSlices(async () => {
        turns++
        await new Promise<void>((resolve) => setImmediate(resolve))
      })
      expect(timerRan).toBe(false)
      await done
      expect(timerRan).toBe(true)
      // The copy slices, then each pair's (4,500 fills each) pages, the last one short.
      const perPair = Math.floor(N / 2 / REBUILD_SLICE) + 1
      expect(turns).toBe(Math.ceil(N / COPY_SLICE) + 2 * perPair)
      expect(rows(sliced)).toEqual(expected)
      expect([...journal.all()].length).toBe(N / 3)
    } finally {
      closeDatabase(whole)
      closeDatabase(sliced)
    }
  })

  it('keeps fills that arrive while it runs, and stops when a whole rebuild runs meanwhile', async () => {
    const db = bookOf('late')
    try {
      const journal = journalOn(db)
      let turns = 0
      const late = [fill(N, T0 + N * 60_000), fill(N + 1, T0 + (N + 1) * 60_000)]
      await journal.catchUpInSlices(async () => {
        // Mid-way through the first pair's rebuild, trading records two more fills.
        if (++turns === 3)
          for (const f of late) {
            insertFill(db, f, T0)
            journal.onFill(f)
          }
      })
      const got = rows(db)
      journal.rebuild()
      expect(rows(db)).toEqual(got)
      expect(got.length).toBe(N / 3 + 2) // each late fill opens a trade

      const other = bookOf('cut')
      try {
        const j = journalOn(other)
        let n = 0
        await j.catchUpInSlices(async () => {
          if (++n === 4) j.rebuild()
        })
        expect(n).toBe(4)
        const lateKeys = late.map((f) => `|${f.time}|${f.tradeId}`)
        const withoutLate = rows(db).filter(
          (r) => !lateKeys.some((k) => (r as { key: string }).key.endsWith(k)),
        )
        expect(rows(other)).toEqual(withoutLate)
      } finally {
        closeDatabase(other)
      }
    } finally {
      closeDatabase(db)
    }
  })

  it('stops quietly when the engine closes its database mid-way (a stop during start-up)', async () => {
    const db = bookOf('closed')
    let n = 0
    // Resolves, rather than failing on a closed database at the next slice.
    await journalOn(db).catchUpInSlices(async () => {
      if (++n === 1) closeDatabase(db)
    })
    expect(n).toBe(1)
  })

  it('is redone at the next start when cut short by a crash', async () => {
    const db = bookOf('crash')
    const whole = bookOf('crash-whole')
    try {
      journalOn(whole).catchUp()
      let n = 0
      await expect(
        journalOn(db).catchUpInSlices(async () => {
          if (++n === 4) throw new Error('the process died here')
        }),
      ).rejects.toThrow('died')
      expect(rows(db).length).toBeLessThan(N / 3)
      // Nothing left to copy, yet the next start rebuilds: the catch-up was marked unfinished.
      await journalOn(db).catchUpInSlices(async () => {})
      expect(rows(db)).toEqual(rows(whole))
    } finally {
      closeDatabase(db)
      closeDatabase(whole)
    }
  })
})
