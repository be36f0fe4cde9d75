import { defineTask } from '../compute/task'
import { createBackupFile, type CreateInput, type Created } from './create-file'
import { BackupProblemError, type BackupProblem } from './problems'
import { stageRestore, type StageInput, type Staged } from './stage'
import { verifyBackupFile, type Verified, type VerifyInput } from './verify-file'

/**
 * The backup's heavy work, run by the compute pool off the main thread (file copies, sha256,
 * AES-GCM, the integrity check). A problem with the backup file is an answer, not an exception,
 * so its reason crosses from the worker intact.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: BackupProblem }

function outcome<T>(work: () => T): { value: Outcome<T>; transfer: ArrayBuffer[] } {
  try {
    return { value: { ok: true, value: work() }, transfer: [] }
  } catch (err) {
    if (err instanceof BackupProblemError) {
      return { value: { ok: false, problem: { reason: err.reason, message: err.message } }, transfer: [] }
    }
    throw err
  }
}

export const createBackupTask = defineTask('backup.create', (input: CreateInput, ctx) =>
  outcome<Created>(() => createBackupFile(input, (done, total) => ctx.progress(done, total))),
)

export const verifyBackupTask = defineTask('backup.verify', (input: VerifyInput, ctx) =>
  outcome<Verified>(() =>
    verifyBackupFile({ ...input, keep: false, unsealed: false }, (done, total) => ctx.progress(done, total)),
  ),
)

export const stageRestoreTask = defineTask('backup.stage', (input: StageInput) =>
  outcome<Staged>(() => stageRestore(input)),
)

export const BACKUP_TASKS = [createBackupTask, verifyBackupTask, stageRestoreTask]
