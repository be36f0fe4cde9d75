import { closeSync, existsSync, openSync, utimesSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inlineCompute } from '../../src/main/compute'
import type { Logger } from '../../src/main/log'
import { backgroundCheckPart } from '../../src/main/storage/background-check'
import { noteCleanClose } from '../../src/main/storage/clean-close'
import { upsertCandles } from '../../src/main/storage/candle-store'
import {
  closeDatabase,
  DatabaseDamagedError,
  openCheckOf,
  openDatabase,
  type Db,
} from '../../src/main/storage/database'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const key = { source: 'demo', symbol: 'BTC/USDT', timeframe: '1m' as const }
const bars = Array.from({ length: 5000 }, (_, i) => ({
  time: i * 60_000,
  open: i,
  high: i + 1,
  low: i - 1,
  close: i,
  volume: 1,
}))

/** A file with pages in use, closed cleanly (so it carries the clean-close note). */
function cleanlyClosedFile(): string {
  const file = join(tempDir(), 'candlework.db')
  const db = openDatabase(file)
  upsertCandles(db, key, bars)
  closeDatabase(db)
  return file
}

/** Runs the background check now, as the engine would a second after start-up. */
async function checkInBackground(db: Db): Promise<string[]> {
  const errors: string[] = []
  const log: Logger = { debug() {}, info() {}, warn() {}, error: (m) => errors.push(m) }
  const part = backgroundCheckPart({ db, compute: inlineCompute, log, delayMs: 0 })
  part.start?.()
  await expect.poll(() => openCheckOf(db)?.result, { timeout: 5_000 }).not.toBe('checking')
  return errors
}

describe('the integrity check at open or in the background', () => {
  it('checks a file before writing when no clean close vouches for it (first open, or after a crash)', () => {
    const file = join(tempDir(), 'candlework.db')
    const first = openDatabase(file)
    expect(openCheckOf(first)).toMatchObject({ result: 'ok', timing: 'at-open', problems: [] })
    // A crash: the connection is dropped without closeDatabase, so no note is left.
    first.close()
    expect(existsSync(`${file}.clean`)).toBe(false)
    const again = openDatabase(file)
    expect(openCheckOf(again)).toMatchObject({ result: 'ok', timing: 'at-open' })
    closeDatabase(again)
  })

  it('opens a cleanly closed file at once and checks it off the start-up path; the note is used once', async () => {
    const file = cleanlyClosedFile()
    expect(existsSync(`${file}.clean`)).toBe(true)
    const db = openDatabase(file)
    expect(openCheckOf(db)).toMatchObject({ result: 'checking', timing: 'in-background', checkedAt: null })
    // Taken at open: a crash from here on leaves nothing to vouch for the file.
    expect(existsSync(`${file}.clean`)).toBe(false)
    expect(await checkInBackground(db)).toEqual([])
    expect(openCheckOf(db)).toMatchObject({ result: 'ok', timing: 'in-background', problems: [] })
    expect(openCheckOf(db)!.durationMs).toBeGreaterThanOrEqual(0)
    closeDatabase(db)
    expect(existsSync(`${file}.clean`)).toBe(true)
  })

  it('checks at open a file changed since its clean close', () => {
    const file = cleanlyClosedFile()
    const fd = openSync(file, 'r+')
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 8192)
    closeSync(fd)
    expect(() => openDatabase(file)).toThrow(DatabaseDamagedError)
  })

  it('reports a file damaged behind an unchanged size and time (a bad disk) and vouches for it no more', async () => {
    const file = cleanlyClosedFile()
    // Closed at a whole second (utimes keeps those exactly), then a page rots on the disk.
    const closedAt = Math.floor(Date.now() / 1000) - 60
    utimesSync(file, closedAt, closedAt)
    noteCleanClose(file)
    const fd = openSync(file, 'r+')
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 8192)
    closeSync(fd)
    utimesSync(file, closedAt, closedAt)

    const db = openDatabase(file)
    expect(openCheckOf(db)!.result).toBe('checking')
    const errors = await checkInBackground(db)
    expect(openCheckOf(db)!.result).toBe('damaged')
    expect(openCheckOf(db)!.problems.length).toBeGreaterThan(0)
    expect(errors).toEqual(['the database failed its integrity check'])
    db.close()
    closeDatabase(db)
    expect(existsSync(`${file}.clean`)).toBe(false)
    expect(() => openDatabase(file)).toThrow(DatabaseDamagedError)
  })
})
