import { accessSync, constants, existsSync, mkdirSync, rmSync } from 'node:fs'
import { basename, isAbsolute, join } from 'node:path'
import {
  backupSettingsSchema,
  type BackupEntry,
  type BackupProgress,
  type BackupSettings,
  type DryRun,
} from '../../shared/contract/backup'
import { AppError } from '../../shared/contract/errors'
import type { Clock } from '../clock'
import type { Compute } from '../compute'
import type { Logger } from '../log'
import { databaseFile, desktopSecretsFile, secretsFile } from '../paths'
import type { Db } from '../storage/db'
import { MIGRATIONS } from '../storage/migrations'
import { ARCHIVE_EXTENSION, type Kdf } from './archive'
import type { Created } from './create-file'
import type { Verified } from './verify-file'
import { MANIFEST_PART, rowCounts, timeSpan, type Manifest } from './manifest'
import { DEFAULT_RETENTION, toDelete } from './retention'
import { pendingRestore, type PendingRestore } from './stage'
import { getBackup, listBackups, recordBackup, recordRemoved, recordVerification } from './store'
import { createBackupTask, stageRestoreTask, verifyBackupTask, type Outcome } from './tasks'
import type { BackupProblem } from './problems'

/**
 * The time limit of a backup's, verification's or restore's worker job: the pool's 60 s is
 * what a chart's indicators may take, but copying, writing and checking a database of a few GB
 * on a slow or busy disk takes minutes (the bench's 1 GB took 57 s on a loaded machine).
 */
const BACKUP_TIMEOUT_MS = 30 * 60_000

/** Where a failed backup or verification is raised: the alerts' event port (`backup_failed`). */
export interface BackupEvents {
  backupFailed(e: { subject: string; message: string }): void
}

export interface BackupDeps {
  db: Db
  dataDir: string
  clock: Clock
  log: Logger
  compute: Compute
  appVersion: string
  events: BackupEvents
  nativeBinding?: string | undefined
  /** scrypt cost of encrypted backups (tests pass a cheap one). */
  kdf?: Kdf
  /** The largest database copied as an in-memory image (create-file.ts); tests and the bench set it. */
  imageBudgetBytes?: number | undefined
}

const SETTINGS_KEY = 'backup.settings'

/** The file name of a backup: its time (UTC) and the app's version, sortable by name. */
export function backupFileName(
  createdAt: number,
  appVersion: string,
  trigger: BackupEntry['trigger'],
): string {
  const time = new Date(createdAt)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replaceAll(':', '-')
  const tag = trigger === 'pre-restore' ? '-pre-restore' : ''
  return `candlework-${time}-v${appVersion}${tag}${ARCHIVE_EXTENSION}`
}

/**
 * Backups of this data folder (docs/BACKUP.md): taken by hand or by the scheduler, verified by
 * restoring each one, kept by the retention rules, restored through a staged switch at the next
 * start. One backup or restore at a time. The heavy work runs on the compute pool.
 */
export class BackupService {
  private running: BackupProgress['running'] = null
  private readonly listeners = new Set<(p: BackupProgress) => void>()
  private readonly workDir: string

  constructor(private readonly deps: BackupDeps) {
    this.workDir = join(deps.dataDir, 'backup-work')
  }

  settings(): BackupSettings {
    const row = this.deps.db.prepare('SELECT value FROM settings WHERE key = ?').get(SETTINGS_KEY) as
      { value: string } | undefined
    const fallback: BackupSettings = {
      folder: join(this.deps.dataDir, 'backups'),
      retention: DEFAULT_RETENTION,
    }
    if (!row) return fallback
    const parsed = backupSettingsSchema.safeParse(JSON.parse(row.value))
    return parsed.success ? parsed.data : fallback
  }

  setSettings(s: BackupSettings): BackupSettings {
    if (!isAbsolute(s.folder)) throw new AppError('validation', 'folder: give an absolute path', 'folder')
    try {
      mkdirSync(s.folder, { recursive: true })
      accessSync(s.folder, constants.W_OK)
    } catch (err) {
      throw new AppError(
        'validation',
        `folder: cannot write to ${s.folder} (${(err as Error).message})`,
        'folder',
      )
    }
    this.deps.db
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(SETTINGS_KEY, JSON.stringify(s), this.deps.clock.now())
    return s
  }

  list(): { entries: BackupEntry[]; settings: BackupSettings; pending: PendingRestore | null } {
    return { entries: listBackups(this.deps.db), settings: this.settings(), pending: this.pending() }
  }

  pending(): PendingRestore | null {
    return pendingRestore(this.deps.dataDir)
  }

  /** The newest backup whose verification passed and whose file is still there. */
  lastVerified(): BackupEntry | null {
    return listBackups(this.deps.db).find((e) => e.verified === 'ok' && e.exists) ?? null
  }

  subscribe(listener: (p: BackupProgress) => void): () => void {
    this.listeners.add(listener)
    listener(this.progress())
    return () => this.listeners.delete(listener)
  }

  /**
   * Takes a backup, verified before it gets its name; then the retention rules run. A failure
   * leaves no file, records the failure, raises `backup_failed` and throws.
   */
  async create(trigger: BackupEntry['trigger'], passphrase?: string, into?: string): Promise<BackupEntry> {
    return this.exclusive(trigger, 'backing-up', () => this.createNow(trigger, passphrase, into))
  }

  /** `into`: another folder for this one backup (the CLI's --to); retention runs on the catalog. */
  private async createNow(
    trigger: BackupEntry['trigger'],
    passphrase?: string,
    into?: string,
  ): Promise<BackupEntry> {
    const settings = this.settings()
    const folder = into ?? settings.folder
    const retention = settings.retention
    const createdAt = this.deps.clock.now()
    let path = join(folder, backupFileName(createdAt, this.deps.appVersion, trigger))
    for (let n = 2; existsSync(path); n++) {
      path = join(
        folder,
        backupFileName(createdAt, this.deps.appVersion, trigger).replace(
          ARCHIVE_EXTENSION,
          `-${n}${ARCHIVE_EXTENSION}`,
        ),
      )
    }
    let result: Outcome<Created>
    try {
      result = await this.deps.compute.run(
        createBackupTask,
        {
          dbFile: databaseFile(this.deps.dataDir),
          files: [
            { name: 'secrets.json', path: secretsFile(this.deps.dataDir) },
            { name: 'secrets-desktop.json', path: desktopSecretsFile(this.deps.dataDir) },
          ],
          dest: path,
          workDir: this.workDir,
          appVersion: this.deps.appVersion,
          createdAt,
          passphrase,
          kdf: this.deps.kdf,
          imageBudgetBytes: this.deps.imageBudgetBytes,
          nativeBinding: this.deps.nativeBinding,
        },
        { onProgress: (p) => this.setProgress(p.done, p.total), timeoutMs: BACKUP_TIMEOUT_MS },
      )
    } catch (err) {
      result = { ok: false, problem: { reason: 'integrity', message: (err as Error).message } }
    }
    if (!result.ok) {
      this.failed(path, createdAt, trigger, result.problem)
      throw new AppError('internal', `The backup failed and was not kept: ${result.problem.message}`)
    }
    const c = result.value
    recordBackup(this.deps.db, {
      path,
      createdAt,
      trigger,
      bytes: c.bytes,
      encrypted: c.encrypted,
      manifest: c.manifest,
      backupMs: c.backupMs,
      verifyMs: c.verifyMs,
      verifiedAt: this.deps.clock.now(),
      verified: 'ok',
      message: null,
    })
    this.deps.log.info('backup written and verified', {
      path,
      bytes: c.bytes,
      backupMs: Math.round(c.backupMs),
    })
    if (trigger !== 'pre-restore') this.applyRetention(retention)
    return getBackup(this.deps.db, path)!
  }

  private failed(path: string, createdAt: number, trigger: BackupEntry['trigger'], p: BackupProblem): void {
    const latest = MIGRATIONS.at(-1)?.version ?? 0
    const manifest: Manifest = {
      format: 'candlework-backup',
      version: 1,
      appVersion: this.deps.appVersion,
      schemaVersion: latest,
      createdAt,
      tables: {},
      span: { from: null, to: null },
      parts: [],
    }
    recordBackup(this.deps.db, {
      path,
      createdAt,
      trigger,
      bytes: 0,
      encrypted: false,
      manifest,
      backupMs: null,
      verifyMs: null,
      verifiedAt: this.deps.clock.now(),
      verified: 'failed',
      message: p.message,
    })
    this.deps.log.error('backup failed', { path, reason: p.reason, message: p.message })
    this.deps.events.backupFailed({
      subject: basename(path).slice(0, 64),
      message: `Backup failed: ${p.message}`,
    })
  }

  /**
   * Deletes what the retention rules let go; never the newest verified backup. The backups a
   * restore took of the data it replaced are the trader's to delete: retention leaves them.
   */
  applyRetention(retention = this.settings().retention): string[] {
    const live = listBackups(this.deps.db).filter(
      (e) => e.exists && e.verified !== 'failed' && e.trigger !== 'pre-restore',
    )
    const gone = toDelete(
      live.map((e) => ({ path: e.path, createdAt: e.createdAt, verified: e.verified === 'ok' })),
      retention,
    )
    for (const path of gone) {
      if (!path.endsWith(ARCHIVE_EXTENSION)) continue
      rmSync(path, { force: true })
      recordRemoved(this.deps.db, path, this.deps.clock.now())
    }
    if (gone.length > 0) this.deps.log.info('retention removed old backups', { count: gone.length })
    return gone
  }

  /** Verifies a backup file again; the result is stored with it when it is in the catalog. */
  async verify(path: string, passphrase?: string): Promise<BackupEntry> {
    const result = await this.runVerify(path, passphrase)
    const known = getBackup(this.deps.db, path)
    const now = this.deps.clock.now()
    if (!result.ok) {
      if (known) {
        recordVerification(this.deps.db, path, now, false, result.problem.message, null)
        this.deps.events.backupFailed({
          subject: basename(path).slice(0, 64),
          message: `Backup verification failed: ${result.problem.message}`,
        })
      }
      throw new AppError('validation', result.problem.message, 'path')
    }
    const v = result.value
    if (known) {
      recordVerification(this.deps.db, path, now, true, null, v.durationMs)
      return getBackup(this.deps.db, path)!
    }
    return {
      path,
      createdAt: v.manifest.createdAt,
      trigger: 'manual',
      bytes: v.bytes,
      encrypted: v.encrypted,
      appVersion: v.manifest.appVersion,
      schemaVersion: v.manifest.schemaVersion,
      tables: v.manifest.tables,
      verifiedAt: now,
      verified: 'ok',
      message: null,
      backupMs: null,
      verifyMs: v.durationMs,
      exists: true,
    }
  }

  /** What a restore would change, after verifying the backup; changes nothing. */
  async dryRun(path: string, passphrase?: string): Promise<DryRun> {
    const result = await this.runVerify(path, passphrase)
    if (!result.ok) throw new AppError('validation', result.problem.message, 'path')
    const m = result.value.manifest
    const latest = MIGRATIONS.at(-1)?.version ?? 0
    if (m.schemaVersion > latest) {
      throw new AppError(
        'validation',
        `This backup was made by Candlework ${m.appVersion} (schema ${m.schemaVersion}); this Candlework knows schema ${latest} at most. Update Candlework to restore it.`,
        'path',
      )
    }
    const current = rowCounts(this.deps.db)
    // The catalog is not restored (the restored database keeps the current one: stage.ts).
    const names = [...new Set([...Object.keys(current), ...Object.keys(m.tables)])].filter(
      (t) => t !== 'backups',
    )
    const tables = names
      .map((table) => ({ table, current: current[table] ?? null, backup: m.tables[table] ?? null }))
      .sort(
        (a, b) =>
          Number(a.current === a.backup) - Number(b.current === b.backup) || a.table.localeCompare(b.table),
      )
    return {
      path,
      createdAt: m.createdAt,
      appVersion: m.appVersion,
      schemaVersion: m.schemaVersion,
      currentSchemaVersion: latest,
      encrypted: result.value.encrypted,
      tables,
      span: { current: timeSpan(this.deps.db), backup: m.span },
      parts: m.parts.map((p) => p.name).filter((n) => n !== MANIFEST_PART),
    }
  }

  /**
   * Restores a backup: verified first, then a backup of the current data, then staged for the
   * switch at the next start (stage.ts). Any failure leaves the current data as it was.
   */
  async restore(
    path: string,
    passphrase?: string,
  ): Promise<{ safetyBackup: BackupEntry; pending: PendingRestore }> {
    return this.exclusive('pre-restore', 'restoring', async () => {
      const checked = await this.runVerify(path, passphrase)
      if (!checked.ok) throw new AppError('validation', checked.problem.message, 'path')
      const safetyBackup = await this.createNow('pre-restore')
      const staged = await this.deps.compute.run(
        stageRestoreTask,
        {
          file: path,
          passphrase,
          dataDir: this.deps.dataDir,
          currentDb: databaseFile(this.deps.dataDir),
          nativeBinding: this.deps.nativeBinding,
          now: this.deps.clock.now(),
        },
        { timeoutMs: BACKUP_TIMEOUT_MS },
      )
      if (!staged.ok) throw new AppError('validation', staged.problem.message, 'path')
      const pending = this.pending()
      if (!pending) throw new AppError('internal', 'the restore was staged but its marker is missing')
      this.deps.log.info('restore staged for the next start', { path, safetyBackup: safetyBackup.path })
      return { safetyBackup, pending }
    })
  }

  private runVerify(path: string, passphrase?: string): Promise<Outcome<Verified>> {
    if (!existsSync(path)) throw new AppError('not_found', `${path} does not exist`, 'path')
    return this.deps.compute.run(
      verifyBackupTask,
      { file: path, passphrase, workDir: this.workDir, nativeBinding: this.deps.nativeBinding },
      { timeoutMs: BACKUP_TIMEOUT_MS },
    )
  }

  private async exclusive<T>(
    trigger: BackupEntry['trigger'],
    phase: 'backing-up' | 'restoring',
    work: () => Promise<T>,
  ): Promise<T> {
    if (this.running) throw new AppError('conflict', 'A backup or restore is running; wait for it to finish')
    this.running = { trigger, phase, done: 0, total: 1, startedAt: this.deps.clock.now() }
    this.emit()
    try {
      return await work()
    } finally {
      this.running = null
      this.emit()
    }
  }

  private setProgress(done: number, total: number): void {
    if (!this.running) return
    this.running = { ...this.running, done, total }
    this.emit()
  }

  private progress(): BackupProgress {
    return { running: this.running, pending: this.pending() }
  }

  private emit(): void {
    const p = this.progress()
    for (const l of this.listeners) l(p)
  }
}
