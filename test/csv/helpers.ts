import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { memoryIo, type CliCommand } from '../../src/main/cli/io'
import { databaseFile } from '../../src/main/paths'
import { closeDatabase, openDatabase, type Db } from '../../src/main/storage/database'
import { insertFill, saveAccount } from '../../src/main/trading/store'
import type { Fill } from '../../src/shared/domain/trading'

/** Opens (creating) the database of a data folder, runs `f`, closes it. */
export function withDb<T>(dataDir: string, f: (db: Db) => T): T {
  const db = openDatabase(databaseFile(dataDir))
  try {
    return f(db)
  } finally {
    closeDatabase(db)
  }
}

export function addPaperAccount(db: Db, id: string, name = id): void {
  saveAccount(db, { id, name, mode: 'paper', exchangeId: 'paper', liveEnabled: false }, 1_700_000_000_000)
}

/** A fill with plain defaults, overridden by `f`. */
export function fill(f: Partial<Fill> & { tradeId: string }): Fill {
  return {
    accountId: 'acc',
    exchangeOrderId: `o-${f.tradeId}`,
    clientOrderId: null,
    symbol: 'BTC/USDT',
    side: 'buy',
    amount: '0.001',
    price: '65000.12',
    cost: '65.00012',
    fee: { cost: '0.065', currency: 'USDT' },
    takerOrMaker: 'taker',
    time: Date.UTC(2024, 2, 1, 12, 0, 0, 123),
    ...f,
  }
}

export function addFills(db: Db, fills: readonly Fill[]): void {
  db.transaction(() => {
    for (const f of fills) insertFill(db, f, 1_700_000_000_000)
  })()
}

export async function run(
  cmd: CliCommand,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo()
  const code = await cmd(args, io)
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') }
}

/** A CSV file's records, header first, as csv-parse reads them (BOM dropped). */
export function readCsv(file: string): string[][] {
  return parse(readFileSync(file, 'utf8'), { bom: true, relax_column_count: false }) as string[][]
}

/**
 * What a spreadsheet does with a cell typed into it: one starting with `=`, `+`, `-` or `@` is
 * a formula unless the whole cell is a number (Excel, LibreOffice and Sheets all read `-12.5`
 * as a number). Tab and CR count too: some spreadsheets strip them and read what follows.
 */
export function readsAsFormula(cell: string): boolean {
  const s = cell.replace(/^[\t\r]+/, '')
  if (!/^[=+\-@]/.test(s)) return false
  return !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)
}
