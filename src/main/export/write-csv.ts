import { randomBytes } from 'node:crypto'
import { open, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { EOL, UTF8_BOM, csvField } from './csv-text'

export interface ExportProgress {
  done: number
  total: number
}

export interface WriteCsvOptions {
  /** The file chosen; it appears only when the export is complete. */
  file: string
  headers: readonly string[]
  /**
   * CSV lines without their line ending, in batches (a page of rows each, kinds.ts: one join per
   * batch instead of a concatenation per line); closed with `return()` if the export stops early.
   */
  lines: Iterator<readonly string[]>
  /** Rows expected, for progress. */
  total: number
  /** Start with a UTF-8 byte order mark, which Excel needs to read the file as UTF-8. */
  excel?: boolean
  /** Aborting stops the export at the next chunk; the partial file is removed. */
  signal?: AbortSignal
  /** Called after the first chunk, then after a chunk at most every 100 ms, and once at the end. */
  onProgress?: (p: ExportProgress) => void
}

export interface WriteCsvResult {
  file: string
  rows: number
  bytes: number
}

/**
 * A write holds at least about 256 KB of text (or 16,384 rows of short lines), whole batches: few
 * enough awaits and system calls to stay fast, small enough to hold and to cancel at once.
 */
const CHUNK_CHARS = 256 * 1024
const CHUNK_ROWS = 16_384
const PROGRESS_MS = 100

/**
 * Streams rows to a CSV file: header line, then one line per row, `\r\n` endings (RFC 4180),
 * UTF-8. Written to a hidden temporary file in the same folder (so the final rename is atomic on
 * one file system), synced, then renamed to `file`: a cancelled or failed export leaves nothing
 * under the chosen name (an existing file there is untouched until the rename replaces it) and
 * removes its temporary file. Each chunk is awaited, so the event loop keeps serving (progress,
 * a cancel) and memory stays at one chunk however many rows there are.
 */
export async function writeCsvFile(opts: WriteCsvOptions): Promise<WriteCsvResult> {
  const { file, headers, lines, total, signal, onProgress } = opts
  const dir = dirname(file)
  const info = await stat(dir).catch(() => undefined)
  if (!info?.isDirectory()) throw new Error(`the folder ${dir} does not exist`)
  const temp = join(dir, `.${basename(file)}.${randomBytes(4).toString('hex')}.partial`)
  const handle = await open(temp, 'wx')
  let done = 0
  let bytes = 0
  let closed = false
  try {
    // The first chunk reports at once: a long export shows movement from its start.
    let lastProgress = -Infinity
    let chunk = (opts.excel ? UTF8_BOM : '') + headers.map(csvField).join(',') + EOL
    let inChunk = 0
    for (let next = lines.next(); !next.done; next = lines.next()) {
      const batch = next.value
      if (batch.length === 0) continue
      chunk += batch.join(EOL) + EOL
      done += batch.length
      inChunk += batch.length
      if (inChunk >= CHUNK_ROWS || chunk.length >= CHUNK_CHARS) {
        signal?.throwIfAborted()
        bytes += (await handle.write(chunk)).bytesWritten
        chunk = ''
        inChunk = 0
        const now = performance.now()
        if (onProgress && now - lastProgress >= PROGRESS_MS) {
          lastProgress = now
          onProgress({ done, total })
        }
      }
    }
    signal?.throwIfAborted()
    if (chunk) bytes += (await handle.write(chunk)).bytesWritten
    await handle.sync()
    await handle.close()
    closed = true
    signal?.throwIfAborted()
    await rename(temp, file)
    onProgress?.({ done, total: Math.max(total, done) })
    return { file, rows: done, bytes }
  } catch (err) {
    lines.return?.()
    if (!closed) await handle.close().catch(() => undefined)
    await rm(temp, { force: true })
    throw err
  }
}
