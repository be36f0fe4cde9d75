import type { z } from 'zod'
import type { backupHealthSchema } from '../../shared/contract/health'

export type BackupHealth = z.infer<typeof backupHealthSchema>

const HOUR = 3_600_000
/** A daily backup with two hours of slack (a run caught up after the machine slept). */
export const BACKUP_OK_MS = 26 * HOUR
/** Three days: a missed weekend is amber, longer is red. */
export const BACKUP_WARNING_MS = 72 * HOUR

/** How the newest verified backup's age reads on the Health view, with what to do about it. */
export function backupHealth(lastVerifiedAt: number | null, now: number): BackupHealth {
  if (lastVerifiedAt === null) {
    return {
      lastVerifiedAt,
      ageMs: null,
      state: 'warning',
      advice: 'No verified backup yet: press Back up now, and keep the daily Backup task on.',
    }
  }
  const ageMs = Math.max(0, now - lastVerifiedAt)
  if (ageMs <= BACKUP_OK_MS) return { lastVerifiedAt, ageMs, state: 'ok', advice: null }
  const advice =
    'The last verified backup is old: press Back up now, and check the Backup task below (its last run says why it failed).'
  return { lastVerifiedAt, ageMs, state: ageMs <= BACKUP_WARNING_MS ? 'warning' : 'critical', advice }
}
