import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { freemem } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { ArchiveWriter, sealArchive, type Kdf, type PartInfo } from './archive'
import { DATABASE_PART, MANIFEST_PART, SETTINGS_PART, rowCounts, timeSpan, type Manifest } from './manifest'
import { MMAP_BYTES, verifyBackupFile } from './verify-file'

export interface CreateInput {
  /** The live database file (read on its own read-only connection). */
  dbFile: string
  /** Files kept exactly as stored (the secrets files), by part name; missing ones are left out. */
  files: { name: string; path: string }[]
  /** The finished backup's path; it appears only once written and verified. */
  dest: string
  /** A folder beside the database for the snapshot and the verification. */
  workDir: string
  appVersion: string
  createdAt: number
  passphrase?: string | undefined
  kdf?: Kdf | undefined
  nativeBinding?: string | undefined
  /**
   * The largest database copied as an in-memory image (bytes); larger ones go through a snapshot
   * file (`VACUUM INTO`). By default a third of the free memory, at most 2 GiB (`imageBudget`).
   */
  imageBudgetBytes?: number | undefined
}

export interface Created {
  manifest: Manifest
  bytes: number
  encrypted: boolean
  backupMs: number
  verifyMs: number
}

/** Phases of a backup as progress: copy, write and verify, each worth the database's size. */
export type ProgressFn = (done: number, total: number) => void

function imageBudget(input: CreateInput): number {
  return input.imageBudgetBytes ?? Math.min(2 ** 31 - 1, freemem() / 3)
}

interface Described {
  tables: Record<string, number>
  schemaVersion: number
  span: Manifest['span']
  settings: unknown[]
}

function describe(db: Database.Database): Described {
  const tables = rowCounts(db)
  return {
    tables,
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    span: timeSpan(db),
    settings:
      'settings' in tables
        ? db.prepare('SELECT key, value, updated_at FROM settings ORDER BY key').all()
        : [],
  }
}

/**
 * The database as one image (`sqlite3_serialize`: every page, read in one read transaction),
 * described (rows per table, span, settings) inside the same transaction, so the manifest counts
 * exactly the rows the image holds while the engine keeps writing. The header's journal bytes
 * (offsets 18 and 19: 2 = WAL) are set to 1, as `journal_mode = DELETE` would: a single file that
 * opens read-only anywhere.
 */
function readImage(src: Database.Database): { bytes: Buffer; described: Described } {
  src.exec('BEGIN')
  try {
    const described = describe(src)
    const bytes = src.serialize()
    if (bytes.length >= 20) {
      bytes[18] = 1
      bytes[19] = 1
    }
    return { bytes, described }
  } finally {
    src.exec('COMMIT')
  }
}

/** A file of an unfinished backup: hidden and not named `.cwbak`, so nothing takes it for one. */
export const partialName = (dest: string): string =>
  join(dirname(dest), `.${basename(dest)}.${randomBytes(4).toString('hex')}.partial`)

/**
 * Takes one backup: a consistent copy of the database (`VACUUM INTO` on a read-only connection:
 * one read transaction, so exactly the rows committed before it began, while the engine keeps
 * writing; see docs/BACKUP.md for why not `db.backup`), the settings rows and the secrets files
 * as stored, written to a hidden partial file, verified by restoring it, then renamed to `dest`.
 * A crash at any point leaves at most a `.partial` file, which is never a valid backup (no
 * trailer until the last write). Synchronous: it runs on a compute worker.
 */
export function createBackupFile(input: CreateInput, onProgress: ProgressFn = () => {}): Created {
  const began = performance.now()
  mkdirSync(input.workDir, { recursive: true, mode: 0o700 })
  mkdirSync(dirname(input.dest), { recursive: true, mode: 0o700 })
  if (existsSync(input.dest)) throw new Error(`${input.dest} already exists`)
  const snapshot = join(input.workDir, `snapshot-${randomBytes(4).toString('hex')}.db`)
  const tmp = partialName(input.dest)
  const binding = input.nativeBinding ? { nativeBinding: input.nativeBinding } : {}
  let writer: ArchiveWriter | null = null
  try {
    const sourceBytes = statSync(input.dbFile).size
    const total = sourceBytes * 3
    onProgress(0, total)
    const src = new Database(input.dbFile, { readonly: true, fileMustExist: true, ...binding })
    let described: Described
    let image: Buffer | null = null
    try {
      // Pages read through a memory map, not a read() each (the image: 2.5 s instead of 5.6 s per GB here).
      src.pragma(`mmap_size = ${MMAP_BYTES}`)
      if (sourceBytes <= imageBudget(input)) {
        ;({ bytes: image, described } = readImage(src))
      } else {
        src.prepare('VACUUM INTO ?').run(snapshot)
        const copy = new Database(snapshot, binding)
        try {
          // A single file, no -wal beside it, so the restored copy opens read-only anywhere.
          copy.pragma('journal_mode = DELETE')
          described = describe(copy)
        } finally {
          copy.close()
        }
      }
    } finally {
      src.close()
    }
    onProgress(sourceBytes, total)
    writer = new ArchiveWriter(tmp, { passphrase: input.passphrase, kdf: input.kdf })
    const parts: PartInfo[] = []
    const copied = (done: number, all: number): void =>
      onProgress(sourceBytes + (done / Math.max(1, all)) * sourceBytes, total)
    if (image !== null) {
      parts.push(writer.addBuffer(DATABASE_PART, image, copied))
      image = null
    } else {
      parts.push(writer.addFile(DATABASE_PART, snapshot, copied))
      rmSync(snapshot, { force: true })
    }
    parts.push(writer.addBuffer(SETTINGS_PART, Buffer.from(JSON.stringify(described.settings), 'utf8')))
    for (const f of input.files) {
      if (existsSync(f.path)) parts.push(writer.addBuffer(f.name, readFileSync(f.path)))
    }
    const manifest: Manifest = {
      format: 'candlework-backup',
      version: 1,
      appVersion: input.appVersion,
      schemaVersion: described.schemaVersion,
      createdAt: input.createdAt,
      tables: described.tables,
      span: described.span,
      parts,
    }
    writer.addBuffer(MANIFEST_PART, Buffer.from(JSON.stringify(manifest), 'utf8'))
    const bytes = writer.finish()
    writer = null
    const backupMs = performance.now() - began
    const verified = verifyBackupFile(
      {
        file: tmp,
        passphrase: input.passphrase,
        workDir: input.workDir,
        nativeBinding: input.nativeBinding,
        unsealed: true,
      },
      (done, all) => onProgress(2 * sourceBytes + (done / Math.max(1, all)) * sourceBytes, total),
    )
    sealArchive(tmp)
    renameSync(tmp, input.dest)
    syncDir(dirname(input.dest))
    onProgress(total, total)
    return {
      manifest,
      bytes,
      encrypted: input.passphrase !== undefined,
      backupMs,
      verifyMs: verified.durationMs,
    }
  } catch (err) {
    writer?.abandon()
    rmSync(tmp, { force: true })
    throw err
  } finally {
    rmSync(snapshot, { force: true })
    rmSync(`${snapshot}-journal`, { force: true })
  }
}

export function syncDir(dir: string): void {
  if (process.platform === 'win32') return
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Some file systems refuse to fsync a folder; the rename itself is still atomic.
  }
}
