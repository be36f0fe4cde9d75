import Database from 'better-sqlite3'
import { dirname } from 'node:path'
import { ensurePrivateDir, ensurePrivateFile, restrictFile } from '../paths'
import { noteCleanClose, takeCleanCloseNote } from './clean-close'
import type { Db } from './db'
import { integrityProblems } from './integrity'
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

/**
 * The integrity check of a connection's file. `at-open`: run before anything was written (the
 * first start, or the last run did not close cleanly); a failing file is never opened.
 * `in-background`: the file is as the last clean close left it (clean-close.ts), so the check
 * runs on another thread after start-up and reports here; `checking` until it ends.
 */
export interface OpenCheck {
  result: 'ok' | 'checking' | 'damaged'
  timing: 'at-open' | 'in-background'
  /** When the check ended; null while it runs. */
  checkedAt: number | null
  durationMs: number | null
  /** What quick_check found wrong (empty unless `damaged`). */
  problems: string[]
}

const openChecks = new WeakMap<Db, OpenCheck>()

/** The state of `db`'s integrity check; undefined for a connection this module did not open. */
export function openCheckOf(db: Db): OpenCheck | undefined {
  return openChecks.get(db)
}

/** Records the end of a background check (background-check.ts). */
export function settleOpenCheck(db: Db, problems: string[], checkedAt: number, durationMs: number): void {
  const result = problems.length === 0 ? 'ok' : 'damaged'
  openChecks.set(db, { result, timing: 'in-background', checkedAt, durationMs, problems })
}

export interface OpenOptions {
  /** Where better-sqlite3's native module lives, for the Electron build (see scripts/rebuild-electron-sqlite.mjs). */
  nativeBinding?: string
}

/**
 * Opens (or creates) the database: integrity check (quick_check) first, unless the last run
 * closed it cleanly (then the engine checks it in the background, background-check.ts), then WAL
 * mode and pending migrations. A damaged file is closed again and reported; nothing is written
 * to it.
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
  const closedCleanly = file !== ':memory:' && takeCleanCloseNote(file)
  const dbOptions = options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}
  const db = new Database(file, dbOptions)
  try {
    if (closedCleanly) {
      openChecks.set(db, {
        result: 'checking',
        timing: 'in-background',
        checkedAt: null,
        durationMs: null,
        problems: [],
      })
    } else {
      const began = performance.now()
      const problems = integrityProblems(db)
      if (problems.length > 0) throw new DatabaseDamagedError(file, problems)
      const durationMs = performance.now() - began
      openChecks.set(db, { result: 'ok', timing: 'at-open', checkedAt: Date.now(), durationMs, problems: [] })
    }
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
 * Flushes the WAL into the main file and closes; for clean shutdown. A file whose check passed
 * gets the clean-close note, so the next start can check it in the background.
 */
export function closeDatabase(db: Db): void {
  if (!db.open) return
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
  if (!db.memory && openChecks.get(db)?.result === 'ok') noteCleanClose(db.name)
}
