/**
 * Why a backup file cannot be used, each with its own words: a backup that fails any check is
 * reported, never restored. A plain value (not an Error subclass) crosses from a compute worker
 * to the main thread intact.
 */
export type BackupProblemReason =
  | 'not_backup'
  | 'truncated'
  | 'damaged'
  | 'passphrase_needed'
  | 'wrong_passphrase'
  | 'manifest_mismatch'
  | 'integrity'
  | 'newer_schema'

export interface BackupProblem {
  reason: BackupProblemReason
  message: string
}

/** Thrown inside the backup code with its reason; tasks turn it into a `BackupProblem` result. */
export class BackupProblemError extends Error {
  override readonly name = 'BackupProblemError'
  constructor(
    readonly reason: BackupProblemReason,
    message: string,
  ) {
    super(message)
  }
}

export const problem = (reason: BackupProblemReason, message: string): BackupProblemError =>
  new BackupProblemError(reason, message)
