import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importCandlesCommand } from '../../src/main/cli/import-candles'
import { memoryIo } from '../../src/main/cli/io'
import { databaseFile } from '../../src/main/paths'
import { readCandleRange, listSeries } from '../../src/main/storage/candle-store'
import { closeDatabase, openDatabase } from '../../src/main/storage/database'
import { sharedPath } from '../support/shared'

/** A real candle history in the shared folder's data/ (never copied into the project). */
export function dataFile(name: string): string {
  return sharedPath(`data/${name}`)
}

/** A fresh temp folder per test, removed by the returned cleanup. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'candlework-import-'))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export function writeFixture(dir: string, name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

export async function runImport(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo()
  const code = await importCandlesCommand(args, io)
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') }
}

/** Everything stored, series by series, for before/after comparisons. */
export function snapshot(dataDir: string): unknown {
  const db = openDatabase(databaseFile(dataDir))
  try {
    return listSeries(db).map((s) => ({
      ...s,
      bars: readCandleRange(db, s, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    }))
  } finally {
    closeDatabase(db)
  }
}
