import type { backupContract } from '../../shared/contract/backup'
import type { Domain } from '../domain'
import type { TaskKind } from '../scheduler/kinds'
import { BackupService, type BackupDeps } from './service'

export interface BackupDomain extends Domain<typeof backupContract> {
  readonly service: BackupService
  /** The scheduler's `backup` task kind (daily by default). */
  readonly kind: TaskKind
}

/** Backups of the data folder, proven by restoring them (docs/BACKUP.md). */
export function createBackupDomain(deps: BackupDeps): BackupDomain {
  const service = new BackupService(deps)
  return {
    name: 'backup',
    service,
    kind: backupKind(service),
    handlers: {
      'backup.list': () => service.list(),
      'backup.create': ({ passphrase }) => service.create('manual', passphrase),
      'backup.verify': ({ path, passphrase }) => service.verify(path, passphrase),
      'backup.dryRun': ({ path, passphrase }) => service.dryRun(path, passphrase),
      'backup.restore': ({ path, passphrase }) => service.restore(path, passphrase),
      'backup.setSettings': (s) => service.setSettings(s),
      'backup.progress': (_p, sink) => service.subscribe((p) => sink.emit(p)),
    },
  }
}

/**
 * The scheduled backup: every day at 02:30 UTC by default, caught up once when the app was not
 * running. Unencrypted (a scheduled run has no one to ask for a passphrase): the secrets file in
 * it stays encrypted as stored. A failure fails the run, which the scheduler raises as an alert
 * event, and the service raises `backup_failed` itself.
 */
export function backupKind(service: Pick<BackupService, 'create'>): TaskKind {
  return {
    kind: 'backup',
    label: 'Backup',
    about:
      'Backs up the database, settings and secrets file, verifies the backup by restoring it, and applies the retention rules.',
    defaults: {
      schedule: { type: 'cron', cron: '30 2 * * *', timeZone: 'UTC' },
      enabled: true,
      catchUp: 'run-once',
    },
    async run() {
      const e = await service.create('scheduled')
      return `wrote and verified ${e.path} (${e.bytes} bytes)`
    },
  }
}
