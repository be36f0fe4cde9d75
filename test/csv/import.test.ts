/** import-trades: each format, detection, duplicates, bad rows with line and column, round trip. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportCommand } from '../../src/main/cli/export'
import { importTradesCommand } from '../../src/main/cli/import-trades'
import { readTradeFile } from '../../src/main/import-trades/read-file'
import { TradeFileError } from '../../src/main/import-trades/trade-row'
import { writeTrades } from '../../src/main/import-trades/write'
import { databaseFile } from '../../src/main/paths'
import { listAccounts, listFills } from '../../src/main/trading/store'
import { sharedPath } from '../support/shared'
import { useTempDirs } from '../support/temp-dir'
import { addFills, addPaperAccount, fill, run, withDb } from './helpers'

const tempDir = useTempDirs()
const write = (name: string, text: string): string => {
  const file = join(tempDir(), name)
  writeFileSync(file, text)
  return file
}

const BINANCE = [
  '"Date(UTC)","Pair","Side","Price","Executed","Amount","Fee"',
  '"2024-03-01 12:00:00","BTCUSDT","BUY","65000.12","0.00100000BTC","65.00012000USDT","0.00000100BTC"',
  '"2024-03-01 12:05:00","BTCUSDT","SELL","65,100.5","0.00100000BTC","65.1005USDT","0.06510050USDT"',
  '"2024-03-02 08:00:00","ETHBTC","BUY","0.05412","0.5000ETH","0.02706BTC","0.00050000BNB"',
].join('\n')

describe('reading trade files', () => {
  it("reads Binance's trade history: assets split the pair, amounts exact, fees with their asset", () => {
    const t = readTradeFile(write('binance.csv', BINANCE))
    expect(t.format).toBe('binance')
    expect(t.issues).toEqual([])
    expect(t.rows.map((r) => [r.line, r.symbol, r.side, r.amount, r.price, r.cost, r.fee, r.time])).toEqual([
      [
        2,
        'BTC/USDT',
        'buy',
        '0.001',
        '65000.12',
        '65.00012',
        { cost: '0.000001', currency: 'BTC' },
        Date.UTC(2024, 2, 1, 12),
      ],
      [
        3,
        'BTC/USDT',
        'sell',
        '0.001',
        '65100.5',
        '65.1005',
        { cost: '0.0651005', currency: 'USDT' },
        Date.UTC(2024, 2, 1, 12, 5),
      ],
      [
        4,
        'ETH/BTC',
        'buy',
        '0.5',
        '0.05412',
        '0.02706',
        { cost: '0.0005', currency: 'BNB' },
        Date.UTC(2024, 2, 2, 8),
      ],
    ])
  })

  it('splits a glued pair by the quote list when the amounts carry no asset', () => {
    const file = write(
      'b.csv',
      'Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n2024-03-01 12:00:00,SOLFDUSD,BUY,150,2,300,0.3FDUSD\n2024-03-01 12:00:01,XYZABC,BUY,1,1,1,0.1ABC\n',
    )
    const t = readTradeFile(file)
    expect(t.rows.map((r) => r.symbol)).toEqual(['SOL/FDUSD'])
    expect(t.issues).toEqual([
      expect.objectContaining({
        line: 3,
        column: 21,
        field: 'Pair',
        message: expect.stringMatching(/"XYZABC" cannot be split/),
      }),
    ])
    // The markets the data folder knows decide first.
    const known = readTradeFile(file, { context: { knownPairs: new Map([['XYZABC', 'XYZ/ABC']]) } })
    expect(known.rows.map((r) => r.symbol)).toEqual(['SOL/FDUSD', 'XYZ/ABC'])
  })

  it("reads Tradervue's generic format (month-first dates, B/S sides, commissions summed, USD quote for stocks)", () => {
    const t = readTradeFile(
      write(
        'tv.csv',
        'Date,Time,Symbol,Quantity,Price,Side,Commission,TransFee\n1/17/2011,11:35:05,SPY,100,125.52,Buy,1,0.02\n2011-01-17,14:41:15,SPY,100,125.89,SLD,1,\n20110118,09:30:00,BTCUSDT,-0.5,40000,,,\n',
      ),
    )
    expect(t.format).toBe('tradervue')
    expect(t.issues).toEqual([])
    expect(t.rows.map((r) => [r.symbol, r.side, r.amount, r.price, r.fee, r.time])).toEqual([
      [
        'SPY/USD',
        'buy',
        '100',
        '125.52',
        { cost: '1.02', currency: 'USD' },
        Date.UTC(2011, 0, 17, 11, 35, 5),
      ],
      ['SPY/USD', 'sell', '100', '125.89', { cost: '1', currency: 'USD' }, Date.UTC(2011, 0, 17, 14, 41, 15)],
      ['BTC/USDT', 'sell', '0.5', '40000', null, Date.UTC(2011, 0, 18, 9, 30)],
    ])
  })

  it('reads ccxt fetchMyTrades JSON (the reference Binance trade as ccxt parses it)', () => {
    const ref = JSON.parse(
      readFileSync(sharedPath('reference/ccxt/binance_response_subset.json'), 'utf8'),
    ) as {
      methods: { fetchMyTrades: { parsedResponse: unknown[] }[] }
    }
    const trades = ref.methods.fetchMyTrades[0]!.parsedResponse
    const t = readTradeFile(write('trades.json', JSON.stringify(trades, null, 2)))
    expect(t.format).toBe('ccxt')
    expect(t.issues).toEqual([])
    expect(t.rows).toEqual([
      {
        line: 2,
        tradeId: '309520010',
        orderId: '3784695242',
        clientOrderId: null,
        symbol: 'LTC/USDT',
        side: 'sell',
        amount: '0.2',
        price: '69.63',
        cost: '13.926',
        fee: { cost: '0.013926', currency: 'USDT' },
        takerOrMaker: 'taker',
        time: 1698138992358,
      },
    ])
  })

  it('reports a bad ccxt trade at its line, and broken JSON where it breaks', () => {
    const file = write(
      't.json',
      '[\n  {"id": "1", "timestamp": 1700000000000, "symbol": "BTC/USDT",\n   "side": "hold", "price": 1, "amount": 1}\n]',
    )
    expect(readTradeFile(file).issues).toEqual([
      expect.objectContaining({ line: 3, column: 12, field: 'side' }),
    ])
    const broken = write('b.json', '[\n  {"id": 1,,}\n]')
    expect(() => readTradeFile(broken)).toThrow(TradeFileError)
    try {
      readTradeFile(broken)
    } catch (err) {
      expect((err as TradeFileError).where).toMatch(/b\.json:2:\d+/)
    }
  })

  it('reports bad rows with line and column, and refuses a header it does not know', () => {
    const file = write(
      'bad.csv',
      [
        'Date(UTC),Pair,Side,Price,Executed,Amount,Fee',
        '2024-03-01 12:00:00,BTCUSDT,BUY,abc,0.001BTC,65USDT,0.1USDT',
        '2024-03-01 12:00:00,BTCUSDT,BUY,1,0.001BTC,65USDT',
        '2024-13-01 12:00:00,BTCUSDT,BUY,1,0.001BTC,65USDT,0.1USDT',
        '2024-03-01 12:00:00,BTCUSDT,HOLD,1,0.001BTC,65USDT,0.1USDT',
        '2024-03-01 12:00:00,BTCUSDT,BUY,1,0BTC,65USDT,0.1USDT',
      ].join('\r\n'),
    )
    const t = readTradeFile(file)
    expect(t.rows).toEqual([])
    expect(t.issues.map((i) => [i.line, i.column, i.field ?? null])).toEqual([
      [2, 33, 'Price'],
      [3, 50, null],
      [4, 1, 'Date(UTC)'],
      [5, 29, 'Side'],
      [6, 35, 'Executed'],
    ])
    expect(t.issues[1]!.message).toBe('expected 7 fields as in the header, found 6')
    expect(() => readTradeFile(write('x.csv', 'when,what\n1,2\n'))).toThrow(/not one of the formats read/)
    expect(() =>
      readTradeFile(write('q.csv', 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n"2024')),
    ).toThrow(/quote opened here is never closed/)
  })

  it('reads the format named with --format even when the header would say another', () => {
    expect(() => readTradeFile(write('x.csv', BINANCE), { format: 'tradervue' })).toThrow(
      /a Tradervue file needs a "date" column/,
    )
  })
})

describe('writing imported fills', () => {
  it('skips duplicates (same trade id, or same time, symbol, side, price and amount) and lists them', () => {
    const dir = tempDir()
    const file = write('b.csv', BINANCE + '\n' + BINANCE.split('\n')[1])
    withDb(dir, (db) => {
      addPaperAccount(db, 'imp')
      const t = readTradeFile(file)
      const first = writeTrades(db, 'imp', t.rows, 1)
      expect(first.written).toBe(3)
      expect(first.duplicates).toEqual([
        expect.objectContaining({ line: 5, reason: 'same fill', of: 'line 2' }),
      ])
      const again = writeTrades(db, 'imp', t.rows, 2)
      expect(again.written).toBe(0)
      expect(again.duplicates.map((d) => [d.line, d.of])).toEqual([
        [2, 'stored'],
        [3, 'stored'],
        [4, 'stored'],
        [5, 'stored'],
      ])
      // Same exchange trade id, different everything else: a duplicate too.
      const ccxt = writeTrades(
        db,
        'imp',
        [
          { ...t.rows[0]!, tradeId: 'x1', line: 1 },
          { ...t.rows[1]!, tradeId: 'x1', line: 2, symbol: 'BTC/USDT' },
        ],
        3,
      )
      expect(ccxt.duplicates).toEqual([
        expect.objectContaining({ line: 1, reason: 'same fill' }),
        expect.objectContaining({ line: 2, reason: 'same fill' }),
      ])
      expect(listFills(db, 'imp', { limit: 10 })).toHaveLength(3)
    })
  })

  it('round-trips an export to the last digit: export fills, import them elsewhere, export again', async () => {
    const a = tempDir()
    withDb(a, (db) => {
      addPaperAccount(db, 'acc')
      addFills(db, [
        fill({
          tradeId: '1',
          amount: '0.00000001',
          price: '123456789.123456789',
          cost: '1.23456789123456789',
        }),
        fill({
          tradeId: '=2',
          side: 'sell',
          fee: { cost: '0.0000000001', currency: 'BTC' },
          time: Date.UTC(2024, 2, 5),
        }),
        fill({
          tradeId: '3',
          fee: null,
          takerOrMaker: null,
          clientOrderId: '\'-cw,"odd"\nline',
          time: Date.UTC(2024, 2, 6),
        }),
      ])
    })
    const first = join(a, 'first.csv')
    expect(
      (await run(exportCommand, ['fills', '--data-dir', a, '--out', first, '--columns', COLUMNS])).code,
    ).toBe(0)
    const b = tempDir()
    const imported = await run(importTradesCommand, [
      '--file',
      first,
      '--account',
      'Round trip',
      '--data-dir',
      b,
      '--json',
    ])
    expect(imported.code).toBe(0)
    expect(JSON.parse(imported.out)).toMatchObject({ format: 'candlework', rowsWritten: 3, issueCount: 0 })
    const second = join(b, 'second.csv')
    expect(
      (await run(exportCommand, ['fills', '--data-dir', b, '--out', second, '--columns', COLUMNS])).code,
    ).toBe(0)
    expect(readFileSync(second, 'utf8')).toBe(readFileSync(first, 'utf8'))
  })
})

const COLUMNS =
  'time,symbol,side,amount,price,cost,fee,fee_currency,taker_or_maker,trade_id,order_id,client_order_id'

describe('import-trades command', () => {
  it('refuses a file with a bad row, writing nothing and not even creating the database', async () => {
    const dir = tempDir()
    const file = write('bad.csv', BINANCE.replace('65000.12', 'oops'))
    const res = await run(importTradesCommand, ['--file', file, '--account', 'Binance', '--data-dir', dir])
    expect(res.code).toBe(1)
    expect(res.err).toContain(`${file}:2:`)
    expect(res.err).toMatch(/1 problem found; nothing was imported/)
    expect(res.err).toMatch(/--skip-bad to import the 2 good rows/)
    expect(existsSync(databaseFile(dir))).toBe(false)
  })

  it.each([
    [['--account', 'A'], /--file is required/],
    [['--file', 'x.csv'], /--account is required/],
    [
      ['--file', 'x.csv', '--account', 'A', '--format', 'excel'],
      /--format "excel" is not one of candlework, candlework-trades, binance, ccxt, tradervue/,
    ],
  ])('exits 2 on a usage error: %j', async (args, message) => {
    const res = await run(importTradesCommand, args)
    expect(res.code).toBe(2)
    expect(res.err).toMatch(message)
  })

  it('prints the file error with its place as JSON', async () => {
    const res = await run(importTradesCommand, [
      '--file',
      write('x.csv', 'a,b\n1,2\n'),
      '--account',
      'A',
      '--json',
    ])
    expect(res.code).toBe(1)
    expect(JSON.parse(res.out).error).toMatchObject({ kind: 'validation', line: 1, column: 1 })
  })

  it('makes the imported account on the first import and adds to it after, skipping what is there', async () => {
    const dir = tempDir()
    const file = write('b.csv', BINANCE)
    const args = ['--file', file, '--account', 'Binance spot', '--data-dir', dir]
    const first = await run(importTradesCommand, args)
    expect(first.err).toBe('')
    expect(first.code).toBe(0)
    expect(first.out).toContain(
      `Imported 3 fills into account "Binance spot" from ${file} (binance format, 3 rows read).`,
    )
    const again = await run(importTradesCommand, args)
    expect(again.code).toBe(0)
    expect(again.out).toContain('Imported 0 fills into account "Binance spot"')
    expect(again.out).toContain('skipped 3 duplicates (already there):')
    expect(again.out).toContain(
      `${file}:2: BTC/USDT 2024-03-01T12:00:00.000Z, same time, symbol, side, price and amount as stored`,
    )
    withDb(dir, (db) => {
      const accounts = listAccounts(db)
      expect(accounts.map((a) => [a.name, a.mode, a.exchangeId])).toEqual([
        ['Binance spot', 'imported', 'paper'],
      ])
      const fills = listFills(db, accounts[0]!.id, { limit: 10 })
      expect(fills.map((f) => [f.symbol, f.side, f.amount, f.price, f.cost, f.fee])).toEqual([
        ['ETH/BTC', 'buy', '0.5', '0.05412', '0.02706', { cost: '0.0005', currency: 'BNB' }],
        ['BTC/USDT', 'sell', '0.001', '65100.5', '65.1005', { cost: '0.0651005', currency: 'USDT' }],
        ['BTC/USDT', 'buy', '0.001', '65000.12', '65.00012', { cost: '0.000001', currency: 'BTC' }],
      ])
    })
  })

  it('with --skip-bad writes the good rows and lists the bad ones with file:line:column', async () => {
    const dir = tempDir()
    const file = write('bad.csv', BINANCE.replace('"65,100.5"', '"oops"'))
    const res = await run(importTradesCommand, [
      '--file',
      file,
      '--account',
      'B',
      '--data-dir',
      dir,
      '--skip-bad',
    ])
    expect(res.code).toBe(0)
    expect(res.out).toContain('Imported 2 fills into account "B"')
    expect(res.out).toContain('skipped 1 bad row:')
    expect(res.out).toContain(`${file}:3:40: Price "oops" is not a number`)
    withDb(dir, (db) => expect(listFills(db, listAccounts(db)[0]!.id, { limit: 10 })).toHaveLength(2))
  })

  it('prints one JSON summary with --json', async () => {
    const dir = tempDir()
    const file = write('b.csv', BINANCE + '\n' + BINANCE.split('\n')[1])
    const res = await run(importTradesCommand, [
      '--file',
      file,
      '--account',
      'J',
      '--data-dir',
      dir,
      '--json',
    ])
    expect(res.code).toBe(0)
    const s = JSON.parse(res.out)
    expect(s).toEqual({
      file,
      format: 'binance',
      account: { id: expect.stringMatching(/^imported-[0-9a-f]{8}$/), name: 'J' },
      rowsRead: 4,
      rowsValid: 4,
      rowsWritten: 3,
      duplicates: [
        {
          line: 5,
          reason: 'same fill',
          of: 'line 2',
          symbol: 'BTC/USDT',
          time: Date.UTC(2024, 2, 1, 12),
          timeIso: '2024-03-01T12:00:00.000Z',
        },
      ],
      duplicateCount: 1,
      issues: [],
      issueCount: 0,
    })
    withDb(dir, (db) => expect(listAccounts(db).map((a) => a.id)).toEqual([s.account.id]))
  })

  it('refuses to import into a paper or live account', async () => {
    const dir = tempDir()
    withDb(dir, (db) => addPaperAccount(db, 'acc', 'Main'))
    const res = await run(importTradesCommand, [
      '--file',
      write('b.csv', BINANCE),
      '--account',
      'Main',
      '--data-dir',
      dir,
    ])
    expect(res.code).toBe(1)
    expect(res.err).toMatch(/"Main" is a paper account; imported fills go into an imported account/)
  })
})
