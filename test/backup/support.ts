import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { databaseFile, secretsFile } from '../../src/main/paths'
import { closeDatabase, openDatabase, type Db } from '../../src/main/storage/database'
import type { CreateInput } from '../../src/main/backup/create-file'

/** scrypt at its cheapest allowed cost: tests derive many keys. */
export const TEST_KDF = { N: 2 ** 10, r: 8, p: 1 }

/** A data folder with a real database (every migration), `rows` settings rows and a secrets file. */
export function makeDataDir(dir: string, rows = 50): { dataDir: string; db: Db } {
  const db = openDatabase(databaseFile(dir))
  const insert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)')
  db.transaction(() => {
    for (let i = 0; i < rows; i++)
      insert.run(`row:${String(i).padStart(6, '0')}`, `value ${i}`, 1_700_000_000_000 + i)
  })()
  writeFileSync(secretsFile(dir), '{"format":"candlework-secrets","as":"stored"}', { mode: 0o600 })
  return { dataDir: dir, db }
}

export function createInput(dataDir: string, dest: string, extra: Partial<CreateInput> = {}): CreateInput {
  return {
    dbFile: databaseFile(dataDir),
    files: [{ name: 'secrets.json', path: secretsFile(dataDir) }],
    dest,
    workDir: join(dataDir, 'backup-work'),
    appVersion: '0.1.0',
    createdAt: 1_765_000_000_000,
    kdf: TEST_KDF,
    ...extra,
  }
}

export function settingsRows(db: Db): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM settings WHERE key LIKE 'row:%'`).get() as { n: number }).n
}

export { closeDatabase }
