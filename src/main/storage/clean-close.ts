import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'

/**
 * A note left next to the database by a clean close: the file's size and modification time at
 * that moment. If the next open finds the file exactly as the note says (and no write-ahead log
 * with anything in it), nothing has touched the file since it was closed cleanly after passing
 * its check, so the integrity check can run in the background instead of holding up start-up
 * (issue 12, finding 8: on a 65 MB book quick_check alone was a third of the start). A crash
 * leaves no note (the open removes it before writing anything), so the next start checks first.
 */
interface CleanCloseNote {
  size: number
  /** Whole milliseconds: what every file system and `utimes` keep. */
  mtimeMs: number
}

const noteFile = (dbFile: string): string => `${dbFile}.clean`

/** Writes the note; called after the last checkpoint and close. */
export function noteCleanClose(dbFile: string): void {
  const st = statSync(dbFile)
  const note: CleanCloseNote = { size: st.size, mtimeMs: Math.floor(st.mtimeMs) }
  writeFileSync(noteFile(dbFile), JSON.stringify(note), { mode: 0o600 })
}

/**
 * Whether the file is as the last clean close left it. Removes the note either way: from here on
 * this run writes to the file, and only its own clean close may vouch for it again.
 */
export function takeCleanCloseNote(dbFile: string): boolean {
  let note: CleanCloseNote
  try {
    note = JSON.parse(readFileSync(noteFile(dbFile), 'utf8')) as CleanCloseNote
  } catch {
    return false
  } finally {
    rmSync(noteFile(dbFile), { force: true })
  }
  try {
    const st = statSync(dbFile)
    return st.size === note.size && Math.floor(st.mtimeMs) === note.mtimeMs && walIsEmpty(dbFile)
  } catch {
    return false
  }
}

function walIsEmpty(dbFile: string): boolean {
  try {
    return statSync(`${dbFile}-wal`).size === 0
  } catch {
    return true
  }
}
