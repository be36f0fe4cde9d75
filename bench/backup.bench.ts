import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { BackupService } from '../src/main/backup/service'
import { createComputePool } from '../src/main/compute-pool'
import { silentLogger } from '../src/main/log'
import { databaseFile } from '../src/main/paths'
import { closeDatabase, openDatabase } from '../src/main/storage/database'
import { report } from './harness'

/**
 * A backup of a database of CANDLEWORK_BENCH_BACKUP_MB megabytes (default 1024, the issue's goal)
 * while the main thread keeps placing "orders" every 2 ms, through the engine's compute pool as
 * the app runs it: throughput (MB of database per second of backup, the write part),
 * verification time against backup time, and the longest main-thread stall (event-loop delay)
 * during the whole run; first the writer alone for 5 s (this shared machine's own stalls), then a
 * backup the previous way (a VACUUM INTO snapshot file) and one the default way (an in-memory
 * image), each with its copy and write phases.
 *
 * The database is shaped like a long-used one: the app's own schema (every migration), about
 * two thirds candle blocks (the real `candle_blocks` table, blobs of float columns) and one third
 * orders with the trading tables' three secondary indexes (many small rows: what makes an index
 * rebuild or an integrity check slow). Building it takes a minute or two, so
 * CANDLEWORK_BENCH_BACKUP_SEED=FILE keeps the built file and reuses it (a before/after pair is
 * then measured on the same bytes).
 */
export async function run(): Promise<void> {
  const mb = Number(process.env.CANDLEWORK_BENCH_BACKUP_MB ?? 1024)
  const seedFile = process.env.CANDLEWORK_BENCH_BACKUP_SEED
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-backup-'))
  const pool = createComputePool({ log: silentLogger, size: 1 })
  try {
    if (seedFile && existsSync(seedFile)) copyFileSync(seedFile, databaseFile(dir))
    else {
      seed(databaseFile(dir), mb)
      if (seedFile) copyFileSync(databaseFile(dir), seedFile)
    }
    const db = openDatabase(databaseFile(dir))
    const insert = db.prepare(
      'INSERT INTO bench_orders (account, client_id, exchange_id, symbol, status, created_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    let next = (db.prepare('SELECT max(id) m FROM bench_orders').get() as { m: number }).m + 1
    const order = (): void => {
      const i = next++
      insert.run('acct-1', `c-${i}`, `x-${i}`, SYMBOLS[i % SYMBOLS.length], 'open', Date.now(), ORDER_BODY)
    }
    db.pragma('wal_checkpoint(TRUNCATE)')
    const bytes = statSync(databaseFile(dir)).size
    // Warm the worker (its start is not the backup's cost).
    await pool.run((await import('../src/main/storage/tasks')).quickCheckTask, { file: databaseFile(dir) })
    let writes = 0
    const writer = setInterval(() => {
      order()
      writes++
    }, 2)
    try {
      // The same writer without a backup: what this machine stalls anyway (it is shared and loaded).
      const idle = monitorEventLoopDelay({ resolution: 5 })
      idle.enable()
      await new Promise((r) => setTimeout(r, 5_000))
      idle.disable()
      report({
        name: 'backup.main_thread_stall_max_without_backup',
        value: Math.round(idle.max / 1e6),
        unit: 'ms',
        p99: Math.round(idle.percentile(99) / 1e6),
        windowMs: 5_000,
      })
      // The previous way (a VACUUM INTO snapshot file), then the default (an in-memory image when
      // the database fits a third of the free memory), on the same database in the same run.
      for (const [way, imageBudgetBytes] of [
        ['snapshot-file', 0],
        ['image', undefined],
      ] as const) {
        const service = new BackupService({
          db,
          dataDir: dir,
          clock: { now: () => Date.now() },
          log: silentLogger,
          compute: pool,
          appVersion: 'bench',
          events: { backupFailed: () => {} },
          imageBudgetBytes,
        })
        // When the copy ended (a third of the progress) and the write ended (two thirds).
        let copiedAt = NaN
        let began = 0
        const stop = service.subscribe((p) => {
          const r = p.running
          if (r && Number.isNaN(copiedAt) && r.total > 0 && r.done >= r.total / 3)
            copiedAt = performance.now()
        })
        const delay = monitorEventLoopDelay({ resolution: 5 })
        const writesBefore = writes
        delay.enable()
        began = performance.now()
        const entry = await service.create('manual')
        const wallMs = performance.now() - began
        delay.disable()
        stop()
        const backupMs = entry.backupMs ?? NaN
        const verifyMs = entry.verifyMs ?? NaN
        report({
          name: `backup.throughput.${way}`,
          value: Math.round(bytes / 1e6 / (backupMs / 1000)),
          unit: 'MB/s',
          dbMB: Math.round(bytes / 1e6),
          backupMs: Math.round(backupMs),
          copyMs: Math.round(copiedAt - began),
          writeMs: Math.round(backupMs - (copiedAt - began)),
          wallMs: Math.round(wallMs),
          goal: 200,
        })
        report({
          name: `backup.verify_ratio.${way}`,
          value: Number((verifyMs / backupMs).toFixed(2)),
          unit: 'x backup time',
          verifyMs: Math.round(verifyMs),
          goal: 2,
        })
        report({
          name: `backup.main_thread_stall_max.${way}`,
          value: Math.round(delay.max / 1e6),
          unit: 'ms',
          p99: Math.round(delay.percentile(99) / 1e6),
          writesDuring: writes - writesBefore,
          goal: 50,
        })
        rmSync(entry.path, { force: true })
      }
    } finally {
      clearInterval(writer)
    }
    closeDatabase(db)
  } finally {
    await pool.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'XRP/USDT', 'DOGE/USDT', 'ADA/USDT']
/** An order's other columns (amounts, prices, times as the trading tables keep them), ~180 bytes. */
const ORDER_BODY = JSON.stringify({
  side: 'buy',
  type: 'limit',
  amount: '0.01250000',
  price: '64123.10',
  filled: '0',
  origin: 'local',
  sentAt: 1_760_000_000_000,
  updatedAt: 1_760_000_000_000,
  fee: '0.0000125',
  feeCurrency: 'BNB',
})

/** Builds the database (see run's comment): the app's schema, candle blocks and indexed orders. */
function seed(file: string, mb: number): void {
  const db = openDatabase(file)
  db.exec(`CREATE TABLE bench_orders (
    id INTEGER PRIMARY KEY, account TEXT NOT NULL, client_id TEXT NOT NULL, exchange_id TEXT,
    symbol TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, body TEXT NOT NULL);
    CREATE UNIQUE INDEX bench_orders_by_client ON bench_orders (account, client_id);
    CREATE INDEX bench_orders_by_exchange ON bench_orders (account, symbol, exchange_id);
    CREATE INDEX bench_orders_by_time ON bench_orders (account, created_at);`)
  const series = db.prepare(
    "INSERT INTO candle_series (source, symbol, timeframe, updated_at, block_span) VALUES ('bench', ?, '1m', 0, 86400000)",
  )
  const block = db.prepare(
    'INSERT INTO candle_blocks (series_id, block_start, count, first, last, data) VALUES (?, ?, 1440, ?, ?, ?)',
  )
  const order = db.prepare(
    'INSERT INTO bench_orders (account, client_id, exchange_id, symbol, status, created_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  // A day of 1m bars: 6 float64 columns of a random walk (as dense as real candles; not zeros).
  const day = Buffer.alloc(1440 * 6 * 8)
  let price = 100
  const candleBytes = mb * 1e6 * (2 / 3)
  const blocks = Math.ceil(candleBytes / day.length)
  const orders = Math.ceil((mb * 1e6 - blocks * day.length) / 420)
  db.transaction(() => {
    const perSeries = 2_000
    let sid = 0
    for (let b = 0; b < blocks; b++) {
      if (b % perSeries === 0) sid = Number(series.run(`BENCH${b / perSeries}/USDT`).lastInsertRowid)
      for (let i = 0; i < 1440 * 6; i++) {
        price *= 1 + (Math.random() - 0.5) * 0.002
        day.writeDoubleLE(price, i * 8)
      }
      const start = (b % perSeries) * 86_400_000
      block.run(sid, start, start, start + 86_340_000, day)
    }
    for (let i = 1; i <= orders; i++) {
      order.run(
        'acct-1',
        `c-${i}`,
        `x-${i}`,
        SYMBOLS[i % SYMBOLS.length],
        i % 50 === 0 ? 'open' : 'filled',
        1_700_000_000_000 + i * 1_000,
        ORDER_BODY,
      )
    }
  })()
  db.pragma('wal_checkpoint(TRUNCATE)')
  closeDatabase(db)
}
