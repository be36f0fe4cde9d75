import { open, readFile, stat, type FileHandle } from 'node:fs/promises'
import { parseLine, type LogEntry } from './format'
import { logFilesOldestFirst } from './rotation'

/*
 * Reading the log back, for `npm run cli -- logs`: the rotated files and the current one in
 * order, and then, when following, what is appended, across rotations. A line counts once it
 * ends with a newline: the last line of a file being written may be torn in the middle, and is
 * read when its end arrives (or, when not following, left out).
 */

/** Lines of an older version's log (`<ISO time> WARN message detail`), read as entries too. */
const LEGACY = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (DEBUG|INFO|WARN|ERROR) (.*)$/

/** One line of any version's log as an entry; null for anything else. */
export function readEntry(line: string): LogEntry | null {
  const entry = parseLine(line)
  if (entry) return entry
  const legacy = LEGACY.exec(line.trim())
  if (!legacy) return null
  return { time: legacy[1] ?? '', level: (legacy[2] ?? '').toLowerCase(), msg: legacy[3] ?? '', fields: {} }
}

/** The complete lines of `text` and what follows the last newline (a line still being written). */
export function splitLines(text: string): { lines: string[]; rest: string } {
  const parts = text.split('\n')
  const rest = parts.pop() ?? ''
  return { lines: parts.filter((l) => l.trim().length > 0), rest }
}

export interface LogRead {
  lines: string[]
  /** A torn last line of the current file: written in part when the file was read. */
  torn: boolean
  /** Bytes of the current file up to its last complete line: where following it starts. */
  end: number
}

/** Every complete line of the log at `file` and its rotated files, oldest first. */
export async function readLog(file: string): Promise<LogRead> {
  const lines: string[] = []
  let torn = false
  let end = 0
  for (const path of logFilesOldestFirst(file)) {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch {
      continue // rotated away between the listing and the read: its lines are in the next file
    }
    const split = splitLines(text)
    lines.push(...split.lines)
    torn = split.rest.trim().length > 0
    end = Buffer.byteLength(text) - Buffer.byteLength(split.rest)
  }
  return { lines, torn, end }
}

/**
 * Calls `onLine` with each complete line appended to `file` after its first `from` bytes, until
 * `signal` aborts: polls every `intervalMs`, finishes a file that was rotated away (its descriptor
 * still reads it) and then opens the new one from its start.
 */
export async function followLog(
  file: string,
  from: number,
  onLine: (line: string) => void,
  signal: AbortSignal,
  intervalMs = 250,
): Promise<void> {
  let handle: FileHandle | null = null
  let offset = from
  let rest = ''
  let rotated = false
  const take = (text: string) => {
    const split = splitLines(rest + text)
    rest = split.rest
    for (const line of split.lines) onLine(line)
  }
  try {
    while (!signal.aborted) {
      if (!handle) {
        handle = await open(file, 'r').catch(() => null)
        if (!handle) offset = 0 // not there (between a rotation's rename and the new file): wait
      }
      if (handle) {
        const { size, ino } = await handle.stat()
        if (size < offset) offset = 0 // truncated under us: read it again from its start
        if (size > offset) {
          const buffer = Buffer.alloc(size - offset)
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset)
          offset += bytesRead
          take(buffer.subarray(0, bytesRead).toString('utf8'))
        }
        const current = await stat(file).catch(() => null)
        if (current?.ino !== ino) {
          // Rotated. The write in flight at the rename may still be finishing in this file: it is
          // read once more after a pause, then the new file from its start.
          if (rotated) {
            await handle.close()
            handle = null
            offset = 0
            rest = ''
            rotated = false
            continue
          }
          rotated = true
        }
      }
      await sleep(intervalMs, signal)
    }
  } finally {
    await handle?.close()
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })
}
