import Database from 'better-sqlite3'
import { defineTask } from '../compute/task'
import { integrityProblems } from './integrity'

export interface QuickCheckInput {
  file: string
  nativeBinding?: string | undefined
}

/**
 * The integrity check of a database file on its own read-only connection, off the main thread:
 * SQLite lets a reader walk every page while the engine's connection keeps writing (WAL), and
 * it reads the file as of one moment.
 */
export const quickCheckTask = defineTask('storage.quickCheck', (input: QuickCheckInput) => {
  const db = new Database(input.file, {
    readonly: true,
    fileMustExist: true,
    ...(input.nativeBinding ? { nativeBinding: input.nativeBinding } : {}),
  })
  try {
    return { value: integrityProblems(db), transfer: [] }
  } finally {
    db.close()
  }
})

export const STORAGE_TASKS = [quickCheckTask]
