import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../../src/main/log'
import { logFilesOldestFirst, rotatedFile, shiftFiles } from '../../src/main/logging/rotation'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const tick = () => new Promise((r) => setTimeout(r, 1))

describe('log rotation by size', () => {
  it('keeps the current file and `keep` rotated ones, each about maxBytes, no line split or lost among them', async () => {
    const file = join(tempDir(), 'logs', 'candlework.log')
    const maxBytes = 2_000
    const log = createLogger({ file, echo: false, rotation: { maxBytes, keep: 2 } })
    for (let i = 0; i < 300; i++) {
      log.info('a line long enough to fill a small file after a dozen or so of them', { i })
      await tick() // one write per line, as when lines come one at a time
    }
    await log.close()

    expect(existsSync(rotatedFile(file, 1))).toBe(true)
    expect(existsSync(rotatedFile(file, 2))).toBe(true)
    expect(existsSync(rotatedFile(file, 3))).toBe(false)
    const files = logFilesOldestFirst(file)
    // The current file too, unless the last write was the one that rotated it, as the log closed.
    expect(files.slice(0, 2)).toEqual([rotatedFile(file, 2), rotatedFile(file, 1)])
    expect(files.slice(2)).toEqual(existsSync(file) ? [file] : [])
    const numbers: number[] = []
    for (const f of files) {
      const text = readFileSync(f, 'utf8')
      expect(text.endsWith('\n'), f).toBe(true)
      // A file is rotated once a write takes it to maxBytes: over it by at most that write (lines
      // logged while one write is in flight go out together, in SonicBoom's chunks of 16 KiB).
      if (f !== file) expect(statSync(f).size, f).toBeGreaterThanOrEqual(maxBytes)
      expect(statSync(f).size, f).toBeLessThan(maxBytes + 16 * 1024)
      if (process.platform !== 'win32') expect(statSync(f).mode & 0o777, f).toBe(0o600)
      for (const line of text.trimEnd().split('\n')) numbers.push((JSON.parse(line) as { i: number }).i)
    }
    // The newest lines, in order, none missing in between, ending with the last one written.
    expect(numbers.at(-1)).toBe(299)
    expect(numbers).toEqual(numbers.map((_, k) => numbers[0]! + k))
    expect(numbers.length).toBeGreaterThan(20)
  })

  it('continues in a file an earlier run left, rotating it when it is already full', async () => {
    const file = join(tempDir(), 'candlework.log')
    writeFileSync(file, '{"level":"info","time":"2026-01-01T00:00:00.000Z","msg":"old"}\n'.repeat(40))
    const log = createLogger({ file, echo: false, rotation: { maxBytes: 1_000, keep: 1 } })
    log.info('new')
    // Written, then the file rotated and opened anew (the time that takes depends on the machine).
    for (let i = 0; i < 500 && !(existsSync(rotatedFile(file, 1)) && existsSync(file)); i++) await tick()
    await new Promise((r) => setTimeout(r, 20))
    log.info('newer')
    await log.close()
    expect(readFileSync(rotatedFile(file, 1), 'utf8')).toMatch(/"msg":"old"[\s\S]*"msg":"new"/)
    expect(readFileSync(file, 'utf8')).toMatch(/^\{.*"msg":"newer"\}\n$/)
  })

  it('shifts numbered files up, deleting those beyond keep (also ones a larger keep left)', () => {
    const file = join(tempDir(), 'candlework.log')
    for (const [name, text] of [
      [file, 'current'],
      [rotatedFile(file, 1), 'one'],
      [rotatedFile(file, 2), 'two'],
      [rotatedFile(file, 7), 'seven'],
    ] as const) {
      writeFileSync(name, text)
    }
    shiftFiles(file, 2)
    expect(existsSync(file)).toBe(false)
    expect(readFileSync(rotatedFile(file, 1), 'utf8')).toBe('current')
    expect(readFileSync(rotatedFile(file, 2), 'utf8')).toBe('one')
    expect(existsSync(rotatedFile(file, 3))).toBe(false)
    expect(existsSync(rotatedFile(file, 7))).toBe(false)

    writeFileSync(file, 'again')
    shiftFiles(file, 0)
    expect(existsSync(file)).toBe(false)
  })
})
