import { statSync } from 'node:fs'
import { openCheckOf, type OpenCheck } from './database'
import type { Db } from './db'

export interface DatabaseStatus {
  /** SQLite's `user_version`: the number of migrations applied to this file. */
  schemaVersion: number
  /** Bytes of the file and of its write-ahead log (0 when there is none); null in memory. */
  sizeBytes: number | null
  walBytes: number | null
  openCheck: OpenCheck
}

/** What the database file is like now: read on each call, it costs two stats and one pragma. */
export function databaseStatus(db: Db): DatabaseStatus {
  const file = db.memory ? null : db.name
  const openCheck = openCheckOf(db)
  if (!openCheck) throw new Error('databaseStatus: this connection was not opened by openDatabase')
  return {
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    sizeBytes: file === null ? null : fileSize(file),
    walBytes: file === null ? null : fileSize(`${file}-wal`),
    openCheck,
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size
  } catch (err) {
    // No WAL file between a checkpoint that truncated it and the next write on some systems.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw err
  }
}
