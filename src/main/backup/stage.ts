import Database from 'better-sqlite3'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../secrets/atomic-file'
import { migrate } from '../storage/migrate'
import { MIGRATIONS } from '../storage/migrations'
import { syncDir } from './create-file'
import { DATABASE_PART, MANIFEST_PART, SETTINGS_PART, type Manifest } from './manifest'
import { problem } from './problems'
import { verifyBackupFile } from './verify-file'

/*
 * How a restore switches the data (docs/BACKUP.md "Switching"). The database is open in every
 * domain of a running engine, each with its prepared statements and state read from it, so the
 * switch is never made under a running engine: a restore stages the verified files in
 * `restore-staged/` and writes the marker `restore-pending.json` (atomically, last); the next
 * start of the engine, before it opens the database, moves the current files to
 * `restore-previous/` and the staged ones into place (`applyPendingRestore`). Each step is a
 * rename on one file system, and the steps are redone from wherever a crash stopped them, so a
 * kill -9 at any moment leaves either the current data (marker not yet written) or the restored
 * data (marker written: the next start finishes the switch), never a mix.
 */

export const RESTORE_MARKER = 'restore-pending.json'
export const STAGED_DIR = 'restore-staged'
export const PREVIOUS_DIR = 'restore-previous'
/** The files a restore replaces; the database's -wal and -shm go aside with it. */
const SWAPPED = [DATABASE_PART, 'secrets.json', 'secrets-desktop.json'] as const

export interface PendingRestore {
  /** The backup file restored, its creation time and schema version. */
  file: string
  createdAt: number
  schemaVersion: number
  stagedAt: number
  /** The files staged (the database and the secrets files the backup held). */
  files: string[]
}

export interface StageInput {
  file: string
  passphrase?: string | undefined
  dataDir: string
  /** The current database, whose backup catalog the restored one keeps (backups made since). */
  currentDb: string
  nativeBinding?: string | undefined
  now: number
}

export interface Staged {
  manifest: Manifest
  /** The schema version it was migrated to (the same when it was current). */
  schemaVersion: number
}

/**
 * Verifies a backup by restoring it into a temporary folder, migrates an older schema forward
 * (refusing a newer one), then stages it for the switch. Synchronous (a compute task). Throws a
 * BackupProblemError and leaves the data folder as it was on any failure.
 */
export function stageRestore(input: StageInput): Staged {
  const workDir = join(input.dataDir, 'backup-work')
  const verified = verifyBackupFile({
    file: input.file,
    passphrase: input.passphrase,
    workDir,
    nativeBinding: input.nativeBinding,
    keep: true,
  })
  const dir = verified.dir!
  try {
    const latest = MIGRATIONS.at(-1)?.version ?? 0
    const m = verified.manifest
    if (m.schemaVersion > latest) {
      throw problem(
        'newer_schema',
        `${input.file} was made by Candlework ${m.appVersion} (schema ${m.schemaVersion}); this Candlework knows schema ${latest} at most. Update Candlework to restore it.`,
      )
    }
    const db = new Database(
      join(dir, DATABASE_PART),
      input.nativeBinding ? { nativeBinding: input.nativeBinding } : {},
    )
    let schemaVersion: number
    try {
      db.pragma('foreign_keys = ON')
      schemaVersion = migrate(db, MIGRATIONS)
      keepCatalog(db, input.currentDb)
      const problems = (db.pragma('quick_check') as { quick_check: string }[]).filter(
        (r) => r.quick_check !== 'ok',
      )
      if (problems.length > 0)
        throw problem('integrity', `${input.file}: the restored database failed its check after migrating`)
    } finally {
      db.close()
    }
    rmSync(join(dir, MANIFEST_PART), { force: true })
    rmSync(join(dir, SETTINGS_PART), { force: true })
    const staged = join(input.dataDir, STAGED_DIR)
    rmSync(join(input.dataDir, RESTORE_MARKER), { force: true })
    rmSync(staged, { recursive: true, force: true })
    rmSync(join(input.dataDir, PREVIOUS_DIR), { recursive: true, force: true })
    renameSync(dir, staged)
    syncDir(staged)
    syncDir(input.dataDir)
    const marker: PendingRestore = {
      file: input.file,
      createdAt: m.createdAt,
      schemaVersion: m.schemaVersion,
      stagedAt: input.now,
      files: readdirSync(staged),
    }
    // The commit point: from here the next start switches to the staged files.
    writeFileAtomic(join(input.dataDir, RESTORE_MARKER), JSON.stringify(marker))
    return { manifest: m, schemaVersion }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The restored database keeps the record of backups made after it (the files still exist). */
function keepCatalog(db: Database.Database, currentDb: string): void {
  if (!existsSync(currentDb)) return
  const has = (schema: string): boolean =>
    db.prepare(`SELECT 1 FROM ${schema}.sqlite_schema WHERE type = 'table' AND name = 'backups'`).get() !==
    undefined
  db.prepare('ATTACH DATABASE ? AS cur').run(currentDb)
  try {
    if (has('main') && has('cur')) db.exec('INSERT OR IGNORE INTO main.backups SELECT * FROM cur.backups')
  } finally {
    db.exec('DETACH DATABASE cur')
  }
}

/** The restore waiting for the next start, if any. */
export function pendingRestore(dataDir: string): PendingRestore | null {
  try {
    return JSON.parse(readFileSync(join(dataDir, RESTORE_MARKER), 'utf8')) as PendingRestore
  } catch {
    return null
  }
}

/**
 * Finishes a staged restore: called before the database is opened (engine start, or the CLI on
 * a folder no engine has open). Idempotent, so a crash in the middle is finished by the next call.
 * Answers what was restored, or null when nothing was pending.
 */
export function applyPendingRestore(dataDir: string): PendingRestore | null {
  const pending = pendingRestore(dataDir)
  if (!pending) return null
  const staged = join(dataDir, STAGED_DIR)
  const previous = join(dataDir, PREVIOUS_DIR)
  mkdirSync(previous, { recursive: true, mode: 0o700 })
  const stagedFiles = existsSync(staged) ? new Set(readdirSync(staged)) : new Set<string>()
  const aside = (name: string): void => {
    if (existsSync(join(dataDir, name))) renameSync(join(dataDir, name), join(previous, name))
  }
  // The current database's journal goes aside first, while the staged database is not yet in
  // place (a journal left beside the restored file would be replayed into it).
  if (stagedFiles.has(DATABASE_PART)) {
    aside(`${DATABASE_PART}-wal`)
    aside(`${DATABASE_PART}-shm`)
    rmSync(join(dataDir, `${DATABASE_PART}.clean`), { force: true })
  }
  for (const name of SWAPPED) {
    if (pending.files.includes(name)) {
      // Not staged any more: a run before this one moved it in already.
      if (!stagedFiles.has(name)) continue
      aside(name)
      renameSync(join(staged, name), join(dataDir, name))
    } else {
      // The backup had no such file: the current one goes aside, so the data is the backup's.
      aside(name)
    }
  }
  syncDir(dataDir)
  rmSync(join(dataDir, RESTORE_MARKER), { force: true })
  rmSync(staged, { recursive: true, force: true })
  syncDir(dataDir)
  return pending
}
