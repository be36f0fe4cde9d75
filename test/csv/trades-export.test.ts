/**
 * export trades: the journal's trades through the shared exporter, and back through
 * import-trades (Candlework's trades file) into a fresh data folder: the same journal to the
 * last digit, tag and note.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JournalTrade, SignalSnapshot } from '../../src/shared/contract/journal'
import { exportCommand } from '../../src/main/cli/export'
import { importTradesCommand } from '../../src/main/cli/import-trades'
import { createDemoMarket } from '../../src/main/demo'
import { rowWriter } from '../../src/main/export/columns'
import { parseTags, formatTags } from '../../src/main/export/tags-text'
import { TRADE_COLUMNS } from '../../src/main/export/trade-columns'
import { Journal } from '../../src/main/journal/journal'
import type { JournalCandles, JournalOrders, JournalSignals } from '../../src/main/journal/ports'
import { accountsOf, candlesOf, ordersOf, signalsOf } from '../../src/main/journal/sources'
import type { Db } from '../../src/main/storage/database'
import { useTempDirs } from '../support/temp-dir'
import { addFills, addPaperAccount, fill, readCsv, readsAsFormula, run, withDb } from './helpers'

const tempDir = useTempDirs()
const T0 = Date.UTC(2024, 2, 1, 12)
const MIN = 60_000
const clock = { now: () => T0 + 86_400_000 }

const SIGNAL: SignalSnapshot = {
  profile: 'default',
  timeframe: '1m',
  time: T0 - 2 * MIN,
  score: 0.4213,
  direction: 'buy',
  confidence: 0.7,
  reasons: [{ component: 'trend', tone: 'bull', text: 'EMA 20 above EMA 50, "rising"' }],
}

/**
 * The source journal, with what an imported account can never look up itself: the BTC trade
 * closed by a stop order that rested at entry, a signal at every entry, bars for MAE/MFE.
 */
function sourceJournal(db: Db): Journal {
  const real = ordersOf(db)
  const orders: JournalOrders = {
    kindOf: (a, s, o, c) => (o === 'o-b2' ? 'stop' : real.kindOf(a, s, o, c)),
    restingStop: (_a, symbol, _side, entryTime) =>
      symbol === 'BTC/USDT' && entryTime === T0 ? '95.5' : null,
  }
  const signals: JournalSignals = { atTime: (_s, symbol) => (symbol === 'BTC/USDT' ? SIGNAL : null) }
  // Bars of the trades' own markets only: the BNB fee has no price here, as in the imported
  // folder (a trades file does not carry a third-currency fee's conversion: docs/JOURNAL.md).
  const candles: JournalCandles = {
    finest: (_s, sym, from, to) =>
      sym.startsWith('BNB/') || sym.endsWith('/BNB')
        ? null
        : {
            timeframe: '1m',
            candles: Array.from({ length: Math.floor((to - from) / MIN) + 1 }, (_, i) => ({
              time: from + i * MIN,
              open: 100,
              high: 113.25,
              low: 97.125,
              close: 100,
              volume: 1,
            })),
          },
  }
  return new Journal({ db, clock, accounts: accountsOf(db), orders, candles, signals })
}

/** A journal on the data folder's own sources, as the engine builds it. */
function plainJournal(db: Db): Journal {
  return new Journal({
    db,
    clock,
    accounts: accountsOf(db),
    orders: ordersOf(db),
    candles: candlesOf(db, createDemoMarket({ seed: 1 }), clock),
    signals: signalsOf(db),
  })
}

/** A trade and its fills without what names its account (which an import renames). */
function comparable(j: Journal, t: JournalTrade) {
  const { key: _k, accountId: _a, accountName: _n, ...rest } = t
  return { ...rest, fills: j.get(t.key)!.stored.fills }
}

const byEntry = (a: JournalTrade, b: JournalTrade) =>
  a.entryTime - b.entryTime || a.symbol.localeCompare(b.symbol)

describe('export trades', () => {
  it('round-trips the journal through a trades file into a fresh folder: same figures, fills, notes and tags', async () => {
    const a = tempDir()
    const before = withDb(a, (db) => {
      addPaperAccount(db, 'acc', 'Main')
      addFills(db, [
        // BTC: a long with a base-currency fee, flipped short by a larger sell, closed by a buy.
        fill({
          tradeId: 'b1',
          exchangeOrderId: 'o-b1',
          amount: '1',
          price: '100',
          cost: '100',
          fee: { cost: '0.001', currency: 'BTC' },
          time: T0,
        }),
        fill({
          tradeId: 'b2',
          exchangeOrderId: 'o-b2',
          side: 'sell',
          amount: '1.5',
          price: '110.123456789',
          cost: '165.1851851835',
          fee: { cost: '0.16518', currency: 'USDT' },
          time: T0 + 5 * MIN,
        }),
        fill({
          tradeId: 'b3',
          exchangeOrderId: 'o-b3',
          amount: '0.501',
          price: '104.5',
          cost: '52.3545',
          fee: null,
          time: T0 + 9 * MIN,
        }),
        // ETH: a partial exit, a BNB fee, then still open.
        fill({
          tradeId: 'e1',
          exchangeOrderId: 'o-e1',
          symbol: 'ETH/USDT',
          amount: '2',
          price: '3000.01',
          cost: '6000.02',
          fee: { cost: '0.002', currency: 'BNB' },
          time: T0 + MIN,
        }),
        fill({
          tradeId: 'e2',
          exchangeOrderId: 'o-e2',
          symbol: 'ETH/USDT',
          side: 'sell',
          amount: '0.7',
          price: '2990',
          cost: '2093',
          fee: { cost: '1.2', currency: 'USDT' },
          time: T0 + 3 * MIN,
        }),
      ])
      const j = sourceJournal(db)
      j.rebuild()
      const trades = [...j.all()].sort(byEntry)
      expect(trades.map((t) => [t.symbol, t.side, t.status])).toEqual([
        ['BTC/USDT', 'long', 'closed'],
        ['ETH/USDT', 'long', 'open'],
        ['BTC/USDT', 'short', 'closed'],
      ])
      j.edit(trades[0]!.key, {
        notes: '=HYPERLINK("http://x")\n**Late** entry, "chased"; see [chart](https://example.com)',
        tags: [
          { kind: 'setup', name: 'break;out \\ retest' },
          { kind: 'mistake', name: 'chased' },
        ],
        rating: 2,
        stopPrice: null,
      })
      j.edit(trades[2]!.key, {
        notes: '',
        tags: [{ kind: 'custom', name: '-fomo' }],
        rating: 5,
        stopPrice: '112.5',
      })
      const out = [...j.all()].sort(byEntry)
      expect(out[0]).toMatchObject({ exitReason: 'stop-loss', stopSource: 'order', stopPrice: '95.5' })
      expect(out[2]).toMatchObject({ exitReason: 'manual', stopSource: 'trader' })
      expect(out[0]!.signal).toEqual(SIGNAL)
      expect(out[0]!.mae).not.toBeNull()
      return out.map((t) => comparable(j, t))
    })

    const file = join(a, 'trades.csv')
    const exported = await run(exportCommand, ['trades', '--data-dir', a, '--out', file, '--excel', '--json'])
    expect(exported.err).toBe('')
    expect(exported.code).toBe(0)
    expect(JSON.parse(exported.out)).toMatchObject({ kind: 'trades', rows: 3 })
    const cells = readCsv(file)
    expect(cells[0]!.slice(0, 6)).toEqual(['entry_time', 'exit_time', 'account', 'symbol', 'side', 'status'])
    expect(cells[1]!.slice(0, 6)).toEqual([
      '2024-03-01T12:00:00.000Z',
      '2024-03-01T12:05:00.000Z',
      'Main',
      'BTC/USDT',
      'long',
      'closed',
    ])
    // The guard kept the note and the tag from being read as formulas; numbers stay numbers.
    for (const row of cells) for (const cell of row) expect(readsAsFormula(cell), cell).toBe(false)
    const net = cells[0]!.indexOf('net_pnl')
    expect(cells.slice(1).some((r) => r[net]!.startsWith('-'))).toBe(true)

    const b = tempDir()
    const imported = await run(importTradesCommand, [
      '--file',
      file,
      '--account',
      'Round trip',
      '--data-dir',
      b,
      '--json',
    ])
    expect(imported.code).toBe(0)
    // Five fills: the flip is listed by both its trades and read once.
    expect(JSON.parse(imported.out)).toMatchObject({
      format: 'candlework-trades',
      rowsWritten: 5,
      duplicateCount: 0,
      issueCount: 0,
    })
    const after = withDb(b, (db) => {
      const j = plainJournal(db)
      j.catchUp()
      return [...j.all()].sort(byEntry).map((t) => comparable(j, t))
    })
    expect(after).toEqual(before)

    // A rebuild from scratch keeps it (the facts and edits are stored, not held in memory).
    withDb(b, (db) => {
      const j = plainJournal(db)
      j.rebuild()
      expect([...j.all()].sort(byEntry).map((t) => comparable(j, t))).toEqual(before)
    })

    // Importing the same file again writes nothing and keeps the edits.
    const again = await run(importTradesCommand, [
      '--file',
      file,
      '--account',
      'Round trip',
      '--data-dir',
      b,
      '--json',
    ])
    expect(JSON.parse(again.out)).toMatchObject({ rowsWritten: 0, duplicateCount: 5 })

    // Exporting the imported journal gives the same file but for the account's name.
    const second = join(b, 'again.csv')
    expect((await run(exportCommand, ['trades', '--data-dir', b, '--out', second, '--excel'])).code).toBe(0)
    expect(readFileSync(second, 'utf8')).toBe(readFileSync(file, 'utf8').replaceAll(',Main,', ',Round trip,'))
  })

  it('picks columns, adds local time, filters by account and entry time, and names bad requests', async () => {
    const a = tempDir()
    withDb(a, (db) => {
      addPaperAccount(db, 'acc', 'Main')
      addPaperAccount(db, 'other', 'Other')
      addFills(db, [
        fill({ tradeId: '1', amount: '1', price: '100', cost: '100', fee: null, time: T0 }),
        fill({
          tradeId: '2',
          side: 'sell',
          amount: '1',
          price: '99.5',
          cost: '99.5',
          fee: null,
          time: T0 + MIN,
        }),
        fill({
          accountId: 'other',
          tradeId: '3',
          amount: '1',
          price: '100',
          cost: '100',
          fee: null,
          time: T0 + 2 * 86_400_000,
        }),
      ])
      plainJournal(db).rebuild()
    })
    const file = join(a, 'some.csv')
    const res = await run(exportCommand, [
      'trades',
      '--data-dir',
      a,
      '--out',
      file,
      '--account',
      'Main',
      '--from',
      '2024-03-01',
      '--to',
      '2024-03-01',
      '--columns',
      'entry_time,symbol,net_pnl,return_pct,tags,account_currency,net_pnl_account',
      '--local-time',
      'Europe/Berlin',
    ])
    expect(res.code).toBe(0)
    expect(readCsv(file)).toEqual([
      [
        'entry_time',
        'entry_time_local',
        'symbol',
        'net_pnl',
        'return_pct',
        'tags',
        'account_currency',
        'net_pnl_account',
      ],
      [
        '2024-03-01T12:00:00.000Z',
        '2024-03-01T13:00:00.000+01:00',
        'BTC/USDT',
        '-0.5',
        '-0.5',
        '',
        'USDT',
        '-0.5',
      ],
    ])
    const other = await run(exportCommand, [
      'trades',
      '--data-dir',
      a,
      '--out',
      file,
      '--account',
      'Other',
      '--json',
    ])
    expect(JSON.parse(other.out)).toMatchObject({ rows: 1 })
    const unknown = await run(exportCommand, [
      'trades',
      '--data-dir',
      a,
      '--out',
      file,
      '--columns',
      'symbol,pnl',
    ])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toMatch(/unknown column "pnl" \(2nd in the list\)/)
    const noAccount = await run(exportCommand, [
      'trades',
      '--data-dir',
      a,
      '--out',
      file,
      '--account',
      'Nope',
    ])
    expect(noAccount.code).toBe(2)
    expect(noAccount.err).toMatch(/no account "Nope" in the journal; accounts: Main \(acc\), Other \(other\)/)
  })

  it('reports a trades file row whose fills or tags cannot be read with line and column, writing nothing', async () => {
    const dir = tempDir()
    const file = join(dir, 't.csv')
    const header = 'entry_time,symbol,tags,fills'
    const good = `2024-03-01T12:00:00.000Z,BTC/USDT,setup:a,"[{""time"":1709294400000,""trade_id"":""1"",""side"":""buy"",""amount"":""1"",""price"":""100""}]"`
    const badFill = `2024-03-01T12:00:00.000Z,BTC/USDT,,"[{""time"":1709294400000,""trade_id"":""2"",""side"":""buy"",""amount"":""0"",""price"":""100""}]"`
    const badTag = `2024-03-01T12:00:00.000Z,BTC/USDT,oops:x,"[{""time"":1709294400000,""trade_id"":""3"",""side"":""buy"",""amount"":""1"",""price"":""100""}]"`
    const { writeFileSync } = await import('node:fs')
    writeFileSync(file, [header, good, badFill, badTag].join('\n'))
    const res = await run(importTradesCommand, [
      '--file',
      file,
      '--account',
      'X',
      '--data-dir',
      dir,
      '--json',
    ])
    expect(res.code).toBe(1)
    expect(JSON.parse(res.out).issues).toEqual([
      expect.objectContaining({
        line: 3,
        column: 36,
        field: 'fills',
        message: 'fills[0]: amount 0 is not above zero',
      }),
      expect.objectContaining({
        line: 4,
        column: 35,
        field: 'tags',
        message: 'tag "oops:x" is not kind:name with a kind of setup, mistake, custom',
      }),
    ])
  })
})

describe('tags text', () => {
  it('reads back any tag name, escapes and all', () => {
    const tags = [
      { kind: 'setup' as const, name: 'a;b\\c' },
      { kind: 'custom' as const, name: 'x: y' },
    ]
    expect(formatTags(tags)).toBe('setup:a\\;b\\\\c; custom:x: y')
    expect(parseTags(formatTags(tags))).toEqual(tags)
    expect(parseTags('')).toEqual([])
    expect(parseTags('setup')).toEqual({ error: expect.stringMatching(/not kind:name/) })
  })
})

describe('export trades: the query', () => {
  it("reads each trade's fills by journal_fills' unique key, never by scanning the pair's history", () => {
    // A plan that searched journal_fills by (account, symbol) alone made a 100,000-trade export
    // read the whole pair's history per trade (bench/csv.bench.ts ran for over ten minutes).
    withDb(tempDir(), (db) => {
      const w = rowWriter('trades', TRADE_COLUMNS, ['entry_time', 'fills'])
      const plan = db
        .prepare<[], { detail: string }>(
          `EXPLAIN QUERY PLAN SELECT ${w.selects.join(', ')} FROM journal_trades t`,
        )
        .all()
        .map((r) => r.detail)
      const fills = plan.filter((d) => / f /.test(d) || d.includes('journal_fills'))
      expect(fills).toEqual([
        expect.stringMatching(
          /^SEARCH f USING (COVERING )?INDEX sqlite_autoindex_journal_fills_1 \(account_id=\? AND symbol=\? AND trade_id=\? AND time=\?\)$/,
        ),
      ])
    })
  })
})
