import { create } from 'zustand'
import type { BackupEntry, BackupProgress, BackupSettings, DryRun } from '../../../../shared/contract/backup'

/** The Backups section of the Health view. */
interface BackupState {
  entries: BackupEntry[] | null
  settings: BackupSettings | null
  progress: BackupProgress
  /** The passphrase typed for the next Back up now, verify or restore (kept only in memory). */
  passphrase: string
  /** A restore being considered: its dry run (or the refusal), until it is confirmed or cancelled. */
  review:
    | { path: string; state: 'checking' }
    | { path: string; state: 'ready'; dryRun: DryRun }
    | { path: string; state: 'refused'; message: string }
    | { path: string; state: 'restoring'; dryRun: DryRun }
    | null
  /** The last Back up now's failure, shown until the next attempt. */
  error: string | null
  /** Paths with a Verify in flight. */
  verifying: string[]
}

export const useBackupStore = create<BackupState>()(() => ({
  entries: null,
  settings: null,
  progress: { running: null, pending: null },
  passphrase: '',
  review: null,
  error: null,
  verifying: [],
}))
