import { z } from 'zod'
import { command, stream } from './define'

/** Why a backup was taken. */
export const backupTriggerSchema = z.enum(['manual', 'scheduled', 'pre-restore'])

export const backupEntrySchema = z.object({
  /** The backup file's full path (its name carries the time and the app version). */
  path: z.string(),
  createdAt: z.number(),
  trigger: backupTriggerSchema,
  bytes: z.number().int(),
  encrypted: z.boolean(),
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  /** Rows per table, as the manifest holds them. */
  tables: z.record(z.string(), z.number().int()),
  /** The last verification by restoring it: when, and its result (`message` says what failed). */
  verifiedAt: z.number().nullable(),
  verified: z.enum(['ok', 'failed', 'never']),
  message: z.string().nullable(),
  /** Milliseconds to write it and to verify it. */
  backupMs: z.number().nullable(),
  verifyMs: z.number().nullable(),
  /** Whether the file is still there (retention deletes old ones; a failed backup leaves none). */
  exists: z.boolean(),
})
export type BackupEntry = z.infer<typeof backupEntrySchema>

export const retentionSchema = z
  .object({
    daily: z.number().int().min(0).max(366),
    weekly: z.number().int().min(0).max(520),
    monthly: z.number().int().min(0).max(1200),
  })
  .strict()
export type Retention = z.infer<typeof retentionSchema>

export const backupSettingsSchema = z
  .object({
    /** The folder backups are written to (a synced folder works); absolute. */
    folder: z.string().trim().min(1).max(1_000),
    retention: retentionSchema,
  })
  .strict()
export type BackupSettings = z.infer<typeof backupSettingsSchema>

/** A passphrase for one backup: at least 8 characters (scrypt makes guessing slow, not a short one hard). */
const passphrase = z.string().min(8).max(1_000).optional()

export const tableDiffSchema = z.object({
  table: z.string(),
  /** Rows now, and in the backup (null where the table does not exist there). */
  current: z.number().int().nullable(),
  backup: z.number().int().nullable(),
})

export const dryRunSchema = z.object({
  path: z.string(),
  createdAt: z.number(),
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  /** The schema this Candlework is at: an older backup is migrated forward on restore. */
  currentSchemaVersion: z.number().int(),
  encrypted: z.boolean(),
  /** Every table of either database, with its rows now and in the backup; changed ones first. */
  tables: z.array(tableDiffSchema),
  /** When the trading history (orders and fills) begins and ends, now and in the backup. */
  span: z.object({
    current: z.object({ from: z.number().nullable(), to: z.number().nullable() }),
    backup: z.object({ from: z.number().nullable(), to: z.number().nullable() }),
  }),
  /** What it holds beside the database (the settings, the secrets files as stored). */
  parts: z.array(z.string()),
})
export type DryRun = z.infer<typeof dryRunSchema>

export const pendingRestoreSchema = z.object({
  file: z.string(),
  createdAt: z.number(),
  schemaVersion: z.number().int(),
  stagedAt: z.number(),
  files: z.array(z.string()),
})

export const backupProgressSchema = z.object({
  /** A backup running now (`null` when none): what it is doing, done out of total (bytes). */
  running: z
    .object({
      trigger: backupTriggerSchema,
      phase: z.enum(['backing-up', 'restoring']),
      done: z.number(),
      total: z.number(),
      startedAt: z.number(),
    })
    .nullable(),
  /** A restore staged for the next start, if any. */
  pending: pendingRestoreSchema.nullable(),
})
export type BackupProgress = z.infer<typeof backupProgressSchema>

const pathParam = z.string().trim().min(1).max(4_096)

export const backupContract = {
  'backup.list': command({
    description:
      "The backups this data folder made, newest first: file, time, size, what triggered it, the manifest's rows per table, and the last verification (ok, failed with why, or never), plus the settings (folder, retention) and a restore waiting for the next start.",
    params: z.object({}).strict(),
    result: z.object({
      entries: z.array(backupEntrySchema),
      settings: backupSettingsSchema,
      pending: pendingRestoreSchema.nullable(),
    }),
  }),
  'backup.create': command({
    description:
      'Takes a backup now (the database copied online, the settings, the secrets file as stored; encrypted when a passphrase is given), verifies it by restoring it into a temporary folder and answers it. A failed verification deletes the new file, keeps the earlier ones, raises a `backup_failed` alert event and answers `internal` with why. `conflict` while another backup or restore runs.',
    params: z.object({ passphrase }).strict(),
    result: backupEntrySchema,
  }),
  'backup.verify': command({
    description:
      'Verifies a backup file again by restoring it into a temporary folder (checksums, integrity check, schema version, rows per table against its manifest); the result is stored with it. A file that fails is answered with `validation` saying what is wrong (damaged, truncated, wrong passphrase, manifest mismatch).',
    params: z.object({ path: pathParam, passphrase }).strict(),
    result: backupEntrySchema,
  }),
  'backup.dryRun': command({
    description:
      'What restoring a backup would do, changing nothing: it is verified first, then its tables, rows and time span are set beside the current data. A newer schema than this Candlework knows is refused with `validation`.',
    params: z.object({ path: pathParam, passphrase }).strict(),
    result: dryRunSchema,
  }),
  'backup.restore': command({
    description:
      'Restores a backup: verifies it, takes a backup of the current data, migrates an older schema forward, and stages it; the switch happens at the next start of Candlework (restart it), before the database opens. Any failure leaves the current data untouched.',
    params: z.object({ path: pathParam, passphrase }).strict(),
    result: z.object({ safetyBackup: backupEntrySchema, pending: pendingRestoreSchema }),
  }),
  'backup.setSettings': command({
    description:
      'Sets the backup folder (absolute; created if missing, must be writable) and the retention (daily, weekly, monthly backups kept; the last verified one is never deleted).',
    params: backupSettingsSchema,
    result: backupSettingsSchema,
  }),
  'backup.progress': stream({
    description:
      'The backup running now with its progress (bytes done of total), and a restore waiting for the next start: the current state first, then each change.',
    params: z.object({}).strict(),
    event: backupProgressSchema,
  }),
}
