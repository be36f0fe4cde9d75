/**
 * `backup create|list|verify FILE|dryrun FILE|restore FILE [--data-dir D] [--to DIR]
 *  [--passphrase-file F] [--json]`
 *
 * Exit codes: 0 done; 1 the backup or restore failed (nothing changed); 2 usage errors.
 */
import Database from 'better-sqlite3'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { AppError } from '../../shared/contract/errors'
import type { BackupEntry, DryRun } from '../../shared/contract/backup'
import { BackupService } from '../backup/service'
import { applyPendingRestore } from '../backup/stage'
import { systemClock } from '../clock'
import { inlineCompute } from '../compute/runner'
import packageJson from '../../../package.json'
import { silentLogger } from '../log'
import { databaseFile, resolveDataDir } from '../paths'
import { closeDatabase, openDatabase } from '../storage/database'
import { parseFlags, usageError, type CliCommand } from './io'

const ACTIONS = ['create', 'list', 'verify', 'dryrun', 'restore'] as const
type Action = (typeof ACTIONS)[number]

const USAGE = `Usage: npm run cli -- backup create|list|verify FILE|dryrun FILE|restore FILE [options]

  create             back up the data folder now (verified before it is named)
  list               the backups this data folder made, newest first
  verify FILE        verify a backup by restoring it into a temporary folder
  dryrun FILE        what restoring FILE would change (rows per table, time span)
  restore FILE       back up the current data, then switch to FILE (verified first); if
                     Candlework has the folder open, the switch happens at its next start

  --data-dir D       data folder (default: CANDLEWORK_DATA_DIR or the app's folder)
  --to DIR           create: write this backup to DIR instead of the configured folder
  --passphrase-file F  the backup's passphrase, on the first line of F (create: encrypt with it)
  --json             print JSON instead of text`

const OPTIONS = {
  'data-dir': { type: 'string' },
  to: { type: 'string' },
  'passphrase-file': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const

export const backupCommand: CliCommand = async (argv, io) => {
  const [action, ...rest] = argv
  if (action === '--help' || action === '-h') {
    io.out(USAGE)
    return 0
  }
  if (!action || !(ACTIONS as readonly string[]).includes(action)) {
    return usageError(
      io,
      'backup',
      USAGE,
      action ? `"${action}" is not one of ${ACTIONS.join(', ')}` : 'say what to do',
    )
  }
  const needsFile = action !== 'create' && action !== 'list'
  const file = needsFile ? rest.shift() : undefined
  if (needsFile && (!file || file.startsWith('-')))
    return usageError(io, 'backup', USAGE, `${action}: give the backup FILE`)
  const flags = parseFlags('backup', USAGE, rest, OPTIONS, io)
  if (!flags.ok) return flags.exit
  const { values } = flags
  let passphrase: string | undefined
  if (values['passphrase-file']) {
    try {
      passphrase = readFileSync(values['passphrase-file'], 'utf8').split(/\r?\n/)[0]
    } catch (err) {
      return usageError(io, 'backup', USAGE, `--passphrase-file: ${(err as Error).message}`)
    }
  }
  const dataDir = resolveDataDir(values['data-dir'])
  const db = openDatabase(databaseFile(dataDir))
  const service = new BackupService({
    db,
    dataDir,
    clock: systemClock,
    log: silentLogger,
    compute: inlineCompute,
    appVersion: packageJson.version,
    events: { backupFailed: (e) => io.err(e.message) },
  })
  const print = (json: unknown, text: string): void =>
    io.out(values.json ? JSON.stringify(json, null, 2) : text)
  let switchNow = false
  try {
    switch (action as Action) {
      case 'create': {
        const e = await service.create('manual', passphrase, values.to ? resolve(values.to) : undefined)
        print(e, `${e.path}\n${describe(e)}`)
        break
      }
      case 'list': {
        const { entries, settings, pending } = service.list()
        const lines = entries.map((e) => `${e.path}\n  ${describe(e)}`)
        if (pending) lines.push(`A restore of ${pending.file} waits for the next start.`)
        print(
          { entries, settings, pending },
          lines.length > 0 ? lines.join('\n') : `No backups yet (folder: ${settings.folder}).`,
        )
        break
      }
      case 'verify': {
        const e = await service.verify(resolve(file!), passphrase)
        print(e, `${e.path}: verified (${describe(e)})`)
        break
      }
      case 'dryrun': {
        const d = await service.dryRun(resolve(file!), passphrase)
        print(d, dryRunText(d))
        break
      }
      case 'restore': {
        const r = await service.restore(resolve(file!), passphrase)
        switchNow = true
        print(r, `Backed up the current data to ${r.safetyBackup.path}.\nStaged ${r.pending.file}.`)
        break
      }
    }
  } catch (err) {
    io.err(`backup ${action}: ${err instanceof AppError || err instanceof Error ? err.message : String(err)}`)
    closeDatabase(db)
    return 1
  }
  closeDatabase(db)
  if (switchNow) {
    if (inUse(databaseFile(dataDir))) {
      io.err('Candlework has this data folder open: the restore takes effect when it next starts.')
    } else {
      applyPendingRestore(dataDir)
      io.err('Restored: the data folder now holds the backup.')
    }
  }
  return 0
}

/** Whether another process has the database open (SQLite refuses an exclusive lock then). */
function inUse(file: string): boolean {
  const db = new Database(file, { fileMustExist: true, timeout: 0 })
  try {
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE; COMMIT')
    return false
  } catch {
    return true
  } finally {
    db.close()
  }
}

function describe(e: BackupEntry): string {
  const when = new Date(e.createdAt).toISOString()
  const check =
    e.verified === 'ok'
      ? `verified ${new Date(e.verifiedAt!).toISOString()}`
      : e.verified === 'failed'
        ? `FAILED: ${e.message}`
        : 'not verified'
  const size = `${(e.bytes / 1_048_576).toFixed(1)} MiB`
  return `${when}  ${e.trigger}  ${size}${e.encrypted ? '  encrypted' : ''}  schema ${e.schemaVersion}  ${check}${e.exists ? '' : '  (file gone)'}`
}

function dryRunText(d: DryRun): string {
  const span = (s: { from: number | null; to: number | null }) =>
    s.from === null
      ? 'no trading history'
      : `${new Date(s.from).toISOString()} .. ${new Date(s.to!).toISOString()}`
  const rows = d.tables
    .filter((t) => t.current !== t.backup)
    .map(
      (t) =>
        `  ${t.table.padEnd(28)} now ${String(t.current ?? '-').padStart(9)}  backup ${String(t.backup ?? '-').padStart(9)}`,
    )
  return [
    `${d.path}: made ${new Date(d.createdAt).toISOString()} by Candlework ${d.appVersion} (schema ${d.schemaVersion}; this one is at ${d.currentSchemaVersion})`,
    `holds: ${d.parts.join(', ')}`,
    `trading history now: ${span(d.span.current)}; in the backup: ${span(d.span.backup)}`,
    rows.length > 0 ? `tables that differ:\n${rows.join('\n')}` : 'every table has the same number of rows',
  ].join('\n')
}
