import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { closeDatabase, DatabaseDamagedError, openDatabase } from '../../src/main/storage/database'
import { readLatestCandles, upsertCandles } from '../../src/main/storage/candle-store'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const key = { source: 'demo', symbol: 'BTC/USDT', timeframe: '1m' as const }
const bar = (time: number, close: number) => ({
  time,
  open: close,
  high: close + 1,
  low: close - 1,
  close,
  volume: 1,
})

describe('opening the database', () => {
  it('uses WAL mode and applies every migration', () => {
    const db = openDatabase(join(tempDir(), 'a', 'candlework.db'))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(2)
    closeDatabase(db)
  })

  it('keeps what was written across a close and reopen', () => {
    const file = join(tempDir(), 'candlework.db')
    const db = openDatabase(file)
    upsertCandles(db, key, [bar(60_000, 10), bar(120_000, 11)])
    closeDatabase(db)
    const again = openDatabase(file)
    expect(readLatestCandles(again, key, Number.MAX_SAFE_INTEGER, 10).close).toEqual([10, 11])
    closeDatabase(again)
  })

  it('refuses a damaged file with a clear error and does not write to it', () => {
    const file = join(tempDir(), 'candlework.db')
    const db = openDatabase(file)
    upsertCandles(
      db,
      key,
      Array.from({ length: 5000 }, (_, i) => bar(i * 60_000, i)),
    )
    closeDatabase(db)
    // 5000 bars are ~240 KB of blocks, so the scribble below lands on pages in use (page 3 of
    // ~65), not past the end of the file.
    expect(statSync(file).size).toBeGreaterThan(8192 + 4096)
    // Scribble over the middle of the file, past the header, where table pages live.
    const fd = openSync(file, 'r+')
    writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, 8192)
    closeSync(fd)
    const before = readFileSync(file)
    let error: unknown
    try {
      openDatabase(file)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(DatabaseDamagedError)
    expect((error as Error).message).toMatch(/is damaged/)
    expect((error as Error).message).toContain(file)
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('refuses a file that is not a database at all', () => {
    const file = join(tempDir(), 'candlework.db')
    const fd = openSync(file, 'w')
    writeSync(fd, Buffer.from('this is a text file, not SQLite '.repeat(200)))
    closeSync(fd)
    expect(() => openDatabase(file)).toThrow(DatabaseDamagedError)
  })
})
