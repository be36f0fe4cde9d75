import Database from 'better-sqlite3'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { unpackArchive, type UnpackedPart } from './archive'
import { DATABASE_PART, MANIFEST_PART, manifestSchema, rowCounts, type Manifest } from './manifest'
import { problem } from './problems'

/** How much of a database is read through a memory map (SQLite caps it at 2 GiB in this build). */
export const MMAP_BYTES = 0x7fff0000

export interface VerifyInput {
  file: string
  passphrase?: string | undefined
  /** Where the backup is restored to be checked (a temporary folder is made inside). */
  workDir: string
  nativeBinding?: string | undefined
  /** Keep the restored folder (a restore stages from it); by default it is removed. */
  keep?: boolean
  /** The file is not sealed yet (checked before it gets its name: create-file.ts). */
  unsealed?: boolean
}

export interface Verified {
  manifest: Manifest
  encrypted: boolean
  bytes: number
  durationMs: number
  /** The folder the parts were restored to, when `keep` was asked for. */
  dir: string | null
}

/**
 * Proves a backup by restoring it into a temporary folder: the container's checks (archive.ts:
 * truncation, the checksum over every byte, the passphrase), then each part against the
 * manifest (names, sizes, sha256), then the database itself: `PRAGMA integrity_check`, its schema
 * version and its rows per table equal to the manifest. Throws a BackupProblemError naming the
 * first thing wrong.
 */
export function verifyBackupFile(
  input: VerifyInput,
  onProgress?: (done: number, total: number) => void,
): Verified {
  const began = performance.now()
  mkdirSync(input.workDir, { recursive: true, mode: 0o700 })
  const dir = mkdtempSync(join(input.workDir, 'verify-'))
  let ok = false
  try {
    const unpacked = unpackArchive(input.file, dir, input.passphrase, onProgress, input.unsealed)
    const manifest = readManifest(input.file, unpacked.parts)
    checkParts(input.file, manifest, unpacked.parts)
    checkDatabase(input.file, manifest, join(dir, DATABASE_PART), input.nativeBinding)
    ok = true
    return {
      manifest,
      encrypted: unpacked.encrypted,
      bytes: unpacked.bytes,
      durationMs: performance.now() - began,
      dir: input.keep ? dir : null,
    }
  } finally {
    if (!ok || !input.keep) rmSync(dir, { recursive: true, force: true })
  }
}

function readManifest(file: string, parts: UnpackedPart[]): Manifest {
  const last = parts.at(-1)
  if (!last || last.name !== MANIFEST_PART) {
    throw problem('manifest_mismatch', `${file} has no manifest where it should be (its last part)`)
  }
  let json: unknown
  try {
    json = JSON.parse(readFileSync(last.path, 'utf8'))
  } catch {
    throw problem('manifest_mismatch', `${file}: the manifest is not valid JSON`)
  }
  const parsed = manifestSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw problem(
      'manifest_mismatch',
      `${file}: the manifest is not one Candlework wrote (${issue?.path.join('.')}: ${issue?.message})`,
    )
  }
  return parsed.data
}

function checkParts(file: string, manifest: Manifest, parts: UnpackedPart[]): void {
  const found = parts.filter((p) => p.name !== MANIFEST_PART)
  const listed = new Map(manifest.parts.map((p) => [p.name, p]))
  for (const p of found) {
    const m = listed.get(p.name)
    if (!m) throw problem('manifest_mismatch', `${file}: part ${p.name} is not in the manifest`)
    if (m.bytes !== p.bytes || m.sha256 !== p.sha256) {
      throw problem(
        'manifest_mismatch',
        `${file}: part ${p.name} does not match the manifest (size or sha256)`,
      )
    }
    listed.delete(p.name)
  }
  const missing = [...listed.keys()]
  if (missing.length > 0)
    throw problem(
      'manifest_mismatch',
      `${file}: the manifest lists ${missing.join(', ')}, which the file lacks`,
    )
  if (!found.some((p) => p.name === DATABASE_PART))
    throw problem('manifest_mismatch', `${file} holds no database`)
}

function checkDatabase(file: string, manifest: Manifest, dbFile: string, nativeBinding?: string): void {
  let db: Database.Database
  try {
    db = new Database(dbFile, { fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) })
  } catch (err) {
    throw problem('integrity', `${file}: its database cannot be opened (${(err as Error).message})`)
  }
  try {
    // The check reads every page: through a memory map rather than a read() each.
    db.pragma(`mmap_size = ${MMAP_BYTES}`)
    let rows: { integrity_check: string }[]
    try {
      rows = db.pragma('integrity_check') as { integrity_check: string }[]
    } catch (err) {
      throw problem(
        'integrity',
        `${file}: its database failed the integrity check (${(err as Error).message})`,
      )
    }
    const problems = rows.map((r) => r.integrity_check).filter((m) => m !== 'ok')
    if (problems.length > 0) {
      throw problem(
        'integrity',
        `${file}: its database failed the integrity check (${problems.slice(0, 3).join('; ')})`,
      )
    }
    const version = db.pragma('user_version', { simple: true }) as number
    if (version !== manifest.schemaVersion) {
      throw problem(
        'manifest_mismatch',
        `${file}: the database is at schema ${version}, the manifest says ${manifest.schemaVersion}`,
      )
    }
    const counts = rowCounts(db)
    const names = new Set([...Object.keys(counts), ...Object.keys(manifest.tables)])
    for (const t of names) {
      if (counts[t] !== manifest.tables[t]) {
        throw problem(
          'manifest_mismatch',
          `${file}: table ${t} has ${counts[t] ?? 'no'} rows, the manifest says ${manifest.tables[t] ?? 'none'}`,
        )
      }
    }
  } finally {
    db.close()
  }
}
