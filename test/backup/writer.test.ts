import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createBackupFile } from '../../src/main/backup/create-file'
import { verifyBackupFile } from '../../src/main/backup/verify-file'
import { databaseFile } from '../../src/main/paths'
import { useTempDirs } from '../support/temp-dir'
import { closeDatabase, createInput, makeDataDir } from './support'

const tempDir = useTempDirs()

/** A writer in its own process: transactions of 10 numbered rows, as fast as it can, until killed. */
const WRITER = `
const Database = require(process.argv[1] + '/node_modules/better-sqlite3');
const db = new Database(process.argv[2]);
db.pragma('busy_timeout = 5000');
const insert = db.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, 'w', ?)");
let n = 0;
const batch = db.transaction(() => { for (let i = 0; i < 10; i++) { n++; insert.run('seq:' + String(n).padStart(9, '0'), n); } });
process.stdout.write('ready\\n');
for (;;) batch();
`

function committed(file: string): number {
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare(`SELECT COUNT(*) AS n FROM settings WHERE key LIKE 'seq:%'`).get() as { n: number }).n
  } finally {
    db.close()
  }
}

// Both ways of copying the database: the in-memory image (sqlite3_serialize, the default when it
// fits the memory budget) and the snapshot file (VACUUM INTO) taken for larger ones.
describe.each([
  ['as an in-memory image', undefined],
  ['through a snapshot file (over the memory budget)', 0],
])('a backup while a writer runs, %s', (_how, imageBudgetBytes) => {
  it('restores exactly the rows committed before it began: whole transactions, no gaps', async () => {
    const { dataDir, db } = makeDataDir(tempDir(), 20_000)
    closeDatabase(db)
    const file = databaseFile(dataDir)
    const writer = spawn(process.execPath, ['-e', WRITER, process.cwd(), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    try {
      await new Promise<void>((resolve) => writer.stdout.once('data', () => resolve()))
      while (committed(file) < 1_000) await new Promise((r) => setTimeout(r, 10))
      const before = committed(file)
      const dest = join(tempDir(), 'during.cwbak')
      const made = createBackupFile({ ...createInput(dataDir, dest), imageBudgetBytes })
      const after = committed(file)
      // The writer kept committing while the backup ran.
      expect(after).toBeGreaterThan(before)
      const out = join(tempDir(), 'out')
      mkdirSync(out)
      const v = verifyBackupFile({ file: dest, workDir: out, keep: true })
      const restored = new Database(join(v.dir!, 'candlework.db'), { readonly: true })
      const seqs = (
        restored.prepare(`SELECT updated_at AS n FROM settings WHERE key LIKE 'seq:%' ORDER BY n`).all() as {
          n: number
        }[]
      ).map((r) => r.n)
      restored.close()
      const n = seqs.length
      // Every row committed before the backup began, none after it ended, whole transactions only.
      expect(n).toBeGreaterThanOrEqual(before)
      expect(n).toBeLessThanOrEqual(after)
      expect(n % 10).toBe(0)
      expect(seqs[n - 1]).toBe(n)
      expect(made.manifest.tables.settings).toBe(20_000 + n)
    } finally {
      writer.kill('SIGKILL')
    }
  }, 60_000)
})
