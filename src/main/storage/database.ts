import Database from 'better-sqlite3'
import { dirname } from 'node:path'
import { ensurePrivateDir, ensurePrivateFile, restrictFile } from '../paths'
import type { Db } from './db'
import { migrate } from './migrate'
import { MIGRATIONS } from './migrations'

export type { Db } from './db'

export class DatabaseDamagedError extends Error {
  override readonly name = 'DatabaseDamagedError'
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      `The database ${file} is damaged (${problems.slice(0, 3).join('; ')}). ` +
        'Candlework opened it read-only and will not write to it. Restore a backup or move the file aside.',
    )
  }
}

/** The integrity check a connection passed when it was opened (a failing file is never opened). */
export interface OpenCheck {
  result: 'ok'
  checkedAt: number
  durationMs: number
}

const openChecks = new WeakMap<Db, OpenCheck>()

/** The check `db` passed at open; undefined for a connection this module did not open. */
export function openCheckOf(db: Db): OpenCheck | undefined {
  return openChecks.get(db)
}

export interface OpenOptions {
  /** Where better-sqlite3's native module lives, for the Electron build (see scripts/rebuild-electron-sqlite.mjs). */
  nativeBinding?: string
}

/**
 * Opens (or creates) the database: integrity check (quick_check) first, then WAL mode and pending
 * migrations. A damaged file is closed again and reported; nothing is written to it.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') {
    ensurePrivateDir(dirname(file))
    // SQLite gives the -wal and -shm files it creates the database file's mode, so a 0600
    // database keeps its journal 0600 too; ones left by an older version are fixed here.
    ensurePrivateFile(file)
    restrictFile(`${file}-wal`)
    restrictFile(`${file}-shm`)
  }
  const dbOptions = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}
  const db = new Database(file, dbOptions)
  try {
    const checkedAt = Date.now()
    const began = performance.now()
    const problems = integrityProblems(db)
    if (problems.length > 0) throw new DatabaseDamagedError(file, problems)
    openChecks.set(db, { result: 'ok', checkedAt, durationMs: performance.now() - began })
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, MIGRATIONS)
    return db
  } catch (err) {
    db.close()
    if (err instanceof DatabaseDamagedError) throw err
    if (err instanceof Error && /not a database|malformed|corrupt/i.test(err.message)) {
      throw new DatabaseDamagedError(file, [err.message])
    }
    throw err
  }
}

/**
 * SQLite's quick_check: every page, b-tree and record well formed, in time proportional to the
 * file. It leaves out what integrity_check adds (that each index holds exactly its table's
 * rows), which costs N log N: on a data folder with 100,000 fills that was over a second of
 * start-up, before the host could answer anything (issue 12, finding 8). A damaged file (a
 * torn or overwritten page, what a crash or a bad disk leaves) fails either check.
 */
function integrityProblems(db: Db): string[] {
  const rows = db.pragma('quick_check') as { quick_check: string }[]
  const problems = rows.map((r) => r.quick_check).filter((m) => m !== 'ok')
  return problems
}

/** Flushes the WAL into the main file and closes; for clean shutdown. */
export function closeDatabase(db: Db): void {
  if (!db.open) return
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
}
