import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EXPORT_KINDS } from '../src/main/export/kinds'
import { encodeTrade } from '../src/main/journal/store'
import type { StoredTrade } from '../src/main/journal/trade'
import { writeCsvFile } from '../src/main/export/write-csv'
import { readTradeFile } from '../src/main/import-trades/read-file'
import { writeTrades } from '../src/main/import-trades/write'
import { closeDatabase, openDatabase } from '../src/main/storage/database'
import { saveAccount } from '../src/main/trading/store'
import { report } from './harness'

/**
 * CSV export and trade import (docs/CSV.md). Goals: 1,000,000 rows exported in under 3 s with
 * RSS growth under 100 MB; 100,000 Binance rows imported (read, checked, written) in under 2 s.
 * Each figure comes with the process's user and system CPU time over the same span: on a shared,
 * loaded machine wall time says more about the neighbours than about the code.
 */
export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-csv-'))
  try {
    if (!process.env.CSV_BENCH_ONLY_TRADES) {
      await exportMillion(dir)
      importBinance(dir)
    }
    await exportTradesMillion(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function exportMillion(dir: string): Promise<void> {
  const n = 1_000_000
  const db = openDatabase(join(dir, 'export.db'))
  try {
    saveAccount(db, { id: 'acc', name: 'Main', mode: 'paper', exchangeId: 'paper', liveEnabled: false }, 0)
    const insert = db.prepare(
      `INSERT INTO trading_fills (account_id, symbol, trade_id, exchange_order_id, client_order_id, side, amount, price,
        cost, fee_cost, fee_currency, taker_or_maker, time, recorded_at) VALUES ('acc', ?, ?, ?, ?, ?, ?, ?, ?, ?, 'USDT', 'taker', ?, ?)`,
    )
    const t0 = Date.UTC(2020, 0, 1)
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const price = `${60000 + (i % 5000)}.${i % 100}`
        insert.run(
          i % 3 ? 'BTC/USDT' : 'ETH/USDT',
          String(i),
          String(i >> 1),
          `cw-${i}`,
          i % 2 ? 'buy' : 'sell',
          '0.00123',
          price,
          '75.1234567',
          '0.0751234567',
          t0 + i * 1000,
          t0 + i * 1000,
        )
      }
    })()
    global.gc?.()
    const rss0 = process.memoryUsage().rss
    let peak = rss0
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
    const cpu0 = process.cpuUsage()
    const began = performance.now()
    const opened = EXPORT_KINDS.fills.open(db, {}, undefined)
    const res = await writeCsvFile({
      file: join(dir, 'fills.csv'),
      headers: opened.headers,
      lines: opened.lines,
      total: opened.total,
    })
    const ms = performance.now() - began
    const cpu = process.cpuUsage(cpu0)
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage().rss)
    report({
      name: 'csv.export_fills_1m',
      value: Math.round(ms),
      unit: 'ms',
      userMs: Math.round(cpu.user / 1000),
      systemMs: Math.round(cpu.system / 1000),
      rows: res.rows,
      megabytes: Math.round(res.bytes / 1e5) / 10,
      rssGrowthMb: Math.round((peak - rss0) / 1e5) / 10,
      goalMs: 3000,
      goalRssGrowthMb: 100,
    })
  } finally {
    closeDatabase(db)
  }
}

function importBinance(dir: string): void {
  const n = 100_000
  const lines = ['"Date(UTC)","Pair","Side","Price","Executed","Amount","Fee"']
  const t0 = Date.UTC(2023, 0, 1)
  for (let i = 0; i < n; i++) {
    const t = new Date(t0 + i * 7000).toISOString().replace('T', ' ').slice(0, 19)
    const price = `${20000 + (i % 9000)}.${String(i % 100).padStart(2, '0')}`
    lines.push(
      `"${t}","BTCUSDT","${i % 2 ? 'BUY' : 'SELL'}","${price}","0.00100000BTC","${price.slice(0, -3)}.00000000USDT","0.00000100BTC"`,
    )
  }
  const file = join(dir, 'binance.csv')
  writeFileSync(file, lines.join('\n'))
  const db = openDatabase(join(dir, 'import.db'))
  try {
    saveAccount(
      db,
      { id: 'imp', name: 'Imported', mode: 'imported', exchangeId: 'binance', liveEnabled: false },
      0,
    )
    const cpu0 = process.cpuUsage()
    const began = performance.now()
    const read = readTradeFile(file)
    const parsed = performance.now()
    const { written } = writeTrades(db, 'imp', read.rows, Date.now())
    const ms = performance.now() - began
    const cpu = process.cpuUsage(cpu0)
    if (written !== n || read.issues.length)
      throw new Error(`imported ${written} of ${n}; ${read.issues.length} issues`)
    report({
      name: 'csv.import_binance_100k',
      value: Math.round(ms),
      unit: 'ms',
      userMs: Math.round(cpu.user / 1000),
      systemMs: Math.round(cpu.system / 1000),
      readMs: Math.round(parsed - began),
      goalMs: 2000,
    })
  } finally {
    closeDatabase(db)
  }
}

/**
 * 1,000,000 journal trades (two fills each) exported with the default columns, which include the
 * recorded fills as JSON (one indexed read of journal_fills per trade), and without that column.
 * The rows are written straight into the journal's tables: building them from 2,000,000 fills
 * would take the bench a minute before it measures anything.
 */
async function exportTradesMillion(dir: string): Promise<void> {
  // CSV_BENCH_TRADES=100000 measures a tenth, where building a million rows first is too slow.
  const n = Number(process.env.CSV_BENCH_TRADES ?? 1_000_000)
  const db = openDatabase(join(dir, 'trades.db'))
  try {
    const t0 = Date.UTC(2020, 0, 1)
    const fill = db.prepare(
      `INSERT INTO journal_fills (account_id, symbol, trade_id, time, exchange_order_id, client_order_id, side, amount,
        price, fee_cost, fee_currency) VALUES ('acc', ?, ?, ?, ?, NULL, ?, '0.5', ?, '0.05', 'USDT')`,
    )
    const trade = db.prepare(
      "INSERT INTO journal_trades (key, account_id, symbol, entry_time, data) VALUES (?, 'acc', ?, ?, ?)",
    )
    db.prepare("INSERT INTO journal_accounts (account_id, name, source) VALUES ('acc', 'Main', 'demo')").run()
    db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const symbol = i % 3 ? 'BTC/USDT' : 'ETH/USDT'
        const entry = t0 + i * 120_000
        const exit = entry + 60_000
        const exitPrice = `${60000 + (i % 5000)}.${i % 100}`
        fill.run(symbol, `${i}a`, entry, `o${i}a`, 'buy', '60000.5')
        fill.run(symbol, `${i}b`, exit, `o${i}b`, 'sell', exitPrice)
        const t: StoredTrade = {
          key: `acc|${symbol}|${entry}|${i}a`,
          accountId: 'acc',
          symbol,
          quote: 'USDT',
          side: 'long',
          status: 'closed',
          entryTime: entry,
          exitTime: exit,
          avgEntry: '60000.5',
          avgExit: exitPrice,
          size: '0.5',
          exitedSize: '0.5',
          entryValue: '30000.25',
          grossPnl: '12.345',
          fees: '0.1',
          netPnl: i % 2 ? '12.245' : '-3.75',
          otherFees: [],
          accountPnl: null,
          returnPct: i % 2 ? 0.0408163265 : -0.0124998958,
          holdingMs: 60_000,
          exitReason: 'manual',
          orderStop: null,
          mae: { price: '59990.5', pct: -0.0166665278 },
          mfe: { price: '60100.5', pct: 0.1666652778 },
          signal: null,
          strategy: 'manual',
          fills: [
            {
              tradeId: `${i}a`,
              orderId: `o${i}a`,
              clientOrderId: null,
              side: 'buy',
              role: 'entry',
              amount: '0.5',
              price: '60000.5',
              fee: '0.05',
              realized: null,
              time: entry,
            },
            {
              tradeId: `${i}b`,
              orderId: `o${i}b`,
              clientOrderId: null,
              side: 'sell',
              role: 'exit',
              amount: '0.5',
              price: exitPrice,
              fee: '0.05',
              realized: '12.345',
              time: exit,
            },
          ],
        }
        trade.run(t.key, symbol, entry, encodeTrade(t))
      }
    })()
    const defaults = EXPORT_KINDS.trades.columns.filter((c) => c.default).map((c) => c.name)
    for (const [name, columns] of [
      ['csv.export_trades_1m', undefined],
      ['csv.export_trades_1m_without_fills', defaults.filter((c) => c !== 'fills')],
    ] as const) {
      global.gc?.()
      const rss0 = process.memoryUsage().rss
      let peak = rss0
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20)
      const cpu0 = process.cpuUsage()
      const began = performance.now()
      const opened = EXPORT_KINDS.trades.open(db, {}, columns)
      const res = await writeCsvFile({
        file: join(dir, 'trades.csv'),
        headers: opened.headers,
        lines: opened.lines,
        total: opened.total,
      })
      const ms = performance.now() - began
      const cpu = process.cpuUsage(cpu0)
      clearInterval(sampler)
      peak = Math.max(peak, process.memoryUsage().rss)
      report({
        name,
        value: Math.round(ms),
        unit: 'ms',
        userMs: Math.round(cpu.user / 1000),
        systemMs: Math.round(cpu.system / 1000),
        rows: res.rows,
        megabytes: Math.round(res.bytes / 1e5) / 10,
        rssGrowthMb: Math.round((peak - rss0) / 1e5) / 10,
        goalMs: 3000,
        goalRssGrowthMb: 100,
      })
    }
  } finally {
    closeDatabase(db)
  }
}
