import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/**
 * Size-based rotation of the log file, logrotate's way: when `candlework.log` reaches
 * `maxBytes` it becomes `candlework.log.1`, the previous `.1` becomes `.2`, and so on; the
 * oldest beyond `keep` is deleted. So the file being written keeps one name (what a trader
 * attaches to a bug report, what `npm run cli -- logs` reads) and the folder never holds more
 * than about `(keep + 1) * maxBytes`.
 */
export interface RotationPolicy {
  maxBytes: number
  /** Rotated files kept besides the current one. */
  keep: number
}

export const DEFAULT_ROTATION: RotationPolicy = { maxBytes: 10 * 1024 * 1024, keep: 5 }

/** The stream being rotated: a SonicBoom (pino.destination) opened on a file path. */
export interface ReopenableStream {
  on(event: 'write', listener: (bytes: number) => void): unknown
  /** Opens the same path again, after the in-flight write; later writes go to the new file. */
  reopen(): void
}

export const rotatedFile = (file: string, n: number): string => `${file}.${n}`

/**
 * Rotates `file` whenever `stream` has written `maxBytes` to it, counting from `startSize` (the
 * file's size when opened); a file ends over `maxBytes` by the write that took it there (lines
 * logged while a write is in flight go out together, in chunks of at most 16 KiB). The renames are synchronous but happen once per `maxBytes`, between
 * two writes: the write in flight finishes in the renamed file (its descriptor follows it), so
 * no line is split across files. A rotation that fails (the folder was removed) is reported to
 * `onError` and writing carries on where it was.
 */
export function rotateBySize(
  stream: ReopenableStream,
  file: string,
  policy: RotationPolicy,
  startSize: number,
  onError: (err: unknown) => void,
): void {
  let size = startSize
  stream.on('write', (bytes) => {
    size += bytes
    if (size < policy.maxBytes) return
    size = 0
    try {
      shiftFiles(file, policy.keep)
      // Reopened only where it can be: with the folder gone the open would fail every time.
      if (existsSync(dirname(file))) stream.reopen()
    } catch (err) {
      onError(err)
    }
  })
}

/** Renames `file` to `file.1`, `file.1` to `file.2`, ...; deletes what would be `file.<keep+1>`. */
export function shiftFiles(file: string, keep: number): void {
  for (const n of rotatedNumbers(file)) if (n >= keep) rmSync(rotatedFile(file, n), { force: true })
  for (let n = keep - 1; n >= 1; n--) renameIfThere(rotatedFile(file, n), rotatedFile(file, n + 1))
  if (keep === 0) rmSync(file, { force: true })
  else renameIfThere(file, rotatedFile(file, 1))
}

function renameIfThere(from: string, to: string): void {
  try {
    renameSync(from, to)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}

/** The numbers of the rotated files of `file` that exist, whatever `keep` was when they were made. */
export function rotatedNumbers(file: string): number[] {
  const prefix = `${basename(file)}.`
  let names: string[]
  try {
    names = readdirSync(dirname(file))
  } catch {
    return []
  }
  return names
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b)
}

/** Every file of the log, oldest first: the rotated ones from the highest number down, then `file`. */
export function logFilesOldestFirst(file: string): string[] {
  const rotated = rotatedNumbers(file)
    .reverse()
    .map((n) => join(dirname(file), `${basename(file)}.${n}`))
  return existsSync(file) ? [...rotated, file] : rotated
}
