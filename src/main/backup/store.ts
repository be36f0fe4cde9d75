import { existsSync } from 'node:fs'
import type { BackupEntry } from '../../shared/contract/backup'
import { perConnection } from '../storage/statements'
import type { Db } from '../storage/db'
import type { Manifest } from './manifest'

/** The backup catalog (table `backups`, migration 16). */
interface Row {
  path: string
  created_at: number
  trigger: BackupEntry['trigger']
  bytes: number
  encrypted: number
  app_version: string
  schema_version: number
  manifest: string
  backup_ms: number | null
  verify_ms: number | null
  verified_at: number | null
  verify_ok: number | null
  verify_message: string | null
  removed_at: number | null
}

const statements = perConnection((db) => ({
  insert: db.prepare(
    `INSERT OR REPLACE INTO backups (path, created_at, trigger, bytes, encrypted, app_version, schema_version, manifest,
       backup_ms, verify_ms, verified_at, verify_ok, verify_message, removed_at)
     VALUES (@path, @created_at, @trigger, @bytes, @encrypted, @app_version, @schema_version, @manifest,
       @backup_ms, @verify_ms, @verified_at, @verify_ok, @verify_message, NULL)`,
  ),
  verified: db.prepare(
    'UPDATE backups SET verified_at = ?, verify_ok = ?, verify_message = ?, verify_ms = ? WHERE path = ?',
  ),
  removed: db.prepare('UPDATE backups SET removed_at = ? WHERE path = ?'),
  all: db.prepare('SELECT * FROM backups ORDER BY created_at DESC, path DESC'),
  get: db.prepare('SELECT * FROM backups WHERE path = ?'),
  pruneFailed: db.prepare(
    `DELETE FROM backups WHERE path IN (SELECT path FROM backups WHERE verify_ok = 0 OR removed_at IS NOT NULL
       ORDER BY created_at DESC LIMIT -1 OFFSET ?)`,
  ),
}))

export interface NewBackup {
  path: string
  createdAt: number
  trigger: BackupEntry['trigger']
  bytes: number
  encrypted: boolean
  manifest: Manifest
  backupMs: number | null
  verifyMs: number | null
  verifiedAt: number | null
  verified: 'ok' | 'failed' | 'never'
  message: string | null
}

/** Rows of failed or removed backups kept for the record (the newest). */
const KEEP_GONE = 50

export function recordBackup(db: Db, b: NewBackup): void {
  statements(db).insert.run({
    path: b.path,
    created_at: b.createdAt,
    trigger: b.trigger,
    bytes: b.bytes,
    encrypted: b.encrypted ? 1 : 0,
    app_version: b.manifest.appVersion,
    schema_version: b.manifest.schemaVersion,
    manifest: JSON.stringify(b.manifest),
    backup_ms: b.backupMs,
    verify_ms: b.verifyMs,
    verified_at: b.verifiedAt,
    verify_ok: b.verified === 'never' ? null : b.verified === 'ok' ? 1 : 0,
    verify_message: b.message,
  })
  statements(db).pruneFailed.run(KEEP_GONE)
}

export function recordVerification(
  db: Db,
  path: string,
  at: number,
  ok: boolean,
  message: string | null,
  ms: number | null,
): void {
  statements(db).verified.run(at, ok ? 1 : 0, message, ms, path)
}

export function recordRemoved(db: Db, path: string, at: number): void {
  statements(db).removed.run(at, path)
}

export function listBackups(db: Db): BackupEntry[] {
  return (statements(db).all.all() as Row[]).map(toEntry)
}

export function getBackup(db: Db, path: string): BackupEntry | null {
  const row = statements(db).get.get(path) as Row | undefined
  return row ? toEntry(row) : null
}

function toEntry(r: Row): BackupEntry {
  const manifest = JSON.parse(r.manifest) as Partial<Manifest>
  return {
    path: r.path,
    createdAt: r.created_at,
    trigger: r.trigger,
    bytes: r.bytes,
    encrypted: r.encrypted === 1,
    appVersion: r.app_version,
    schemaVersion: r.schema_version,
    tables: manifest.tables ?? {},
    verifiedAt: r.verified_at,
    verified: r.verify_ok === null ? 'never' : r.verify_ok === 1 ? 'ok' : 'failed',
    message: r.verify_message,
    backupMs: r.backup_ms,
    verifyMs: r.verify_ms,
    exists: r.removed_at === null && existsSync(r.path),
  }
}

/** When the newest verified backup whose file is still there was verified (the Health view's item). */
export function lastVerifiedAt(db: Db): number | null {
  for (const e of listBackups(db)) if (e.verified === 'ok' && e.exists) return e.verifiedAt
  return null
}
