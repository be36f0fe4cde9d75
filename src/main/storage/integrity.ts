import type { Db } from './db'

/**
 * SQLite's quick_check: every page, b-tree and record well formed, in time proportional to the
 * file. It leaves out what integrity_check adds (that each index holds exactly its table's
 * rows), which costs N log N: on a data folder with 100,000 fills that was over a second of
 * start-up, before the host could answer anything (issue 12, finding 8). A damaged file (a
 * torn or overwritten page, what a crash or a bad disk leaves) fails either check.
 */
export function integrityProblems(db: Pick<Db, 'pragma'>): string[] {
  const rows = db.pragma('quick_check') as { quick_check: string }[]
  return rows.map((r) => r.quick_check).filter((m) => m !== 'ok')
}
