import Database from 'better-sqlite3'
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { contract } from '../../src/shared/contract'
import { createBackupFile } from '../../src/main/backup/create-file'
import { RESTORE_MARKER } from '../../src/main/backup/stage'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { databaseFile, secretsFile } from '../../src/main/paths'
import { MIGRATIONS } from '../../src/main/storage/migrations'
import { useTempDirs } from '../support/temp-dir'
import { createInput, makeDataDir, closeDatabase } from './support'

const tempDir = useTempDirs()
const ctx = { transport: 'memory', peer: 'test' } as const

async function call<T = unknown>(engine: Engine, name: keyof typeof contract, params: unknown): Promise<T> {
  const res = await engine.registry.invoke(name, params, ctx)
  if (!res.ok) throw new Error(`${res.error.kind}: ${res.error.message}`)
  return res.value as T
}

function start(dir: string): Engine {
  return createEngine({ dataDir: dir, host: 'headless', log: silentLogger, computeWorkers: 1 })
}

function addRows(engine: Engine, from: number, to: number): void {
  const insert = engine.db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)')
  for (let i = from; i < to; i++) insert.run(`row:${i}`, `v${i}`)
}
const rows = (engine: Engine): number =>
  (engine.db.prepare(`SELECT COUNT(*) AS n FROM settings WHERE key LIKE 'row:%'`).get() as { n: number }).n

describe('backups through the engine', () => {
  it('backs up, dry-runs, restores at the next start, keeping a backup of what was there', async () => {
    const dir = tempDir()
    writeFileSync(secretsFile(dir), '{"secrets":"before"}')
    let engine = start(dir)
    try {
      addRows(engine, 0, 100)
      const made = contract['backup.create'].result.parse(await call(engine, 'backup.create', {}))
      expect(made).toMatchObject({ verified: 'ok', exists: true, trigger: 'manual', encrypted: false })
      expect(made.path).toMatch(/backups\/candlework-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-v\d+\.\d+\.\d+\.cwbak$/)
      addRows(engine, 100, 150)
      writeFileSync(secretsFile(dir), '{"secrets":"after"}')

      const diff = contract['backup.dryRun'].result.parse(
        await call(engine, 'backup.dryRun', { path: made.path }),
      )
      expect(diff.tables.find((t) => t.table === 'settings')).toEqual({
        table: 'settings',
        current: 150,
        backup: 100,
      })
      // Changed tables first; the backup catalog is not part of what a restore changes.
      expect(diff.tables[0]!.table).toBe('settings')
      expect(diff.tables.map((t) => t.table)).not.toContain('backups')
      expect(diff.parts).toEqual(['candlework.db', 'settings.json', 'secrets.json'])

      const r = contract['backup.restore'].result.parse(
        await call(engine, 'backup.restore', { path: made.path }),
      )
      expect(r.safetyBackup).toMatchObject({ trigger: 'pre-restore', verified: 'ok', exists: true })
      expect(r.pending.file).toBe(made.path)
      // Nothing switched under the running engine.
      expect(rows(engine)).toBe(150)
      expect(existsSync(join(dir, RESTORE_MARKER))).toBe(true)
    } finally {
      await engine.close()
    }
    engine = start(dir)
    try {
      expect(rows(engine)).toBe(100)
      expect(existsSync(join(dir, RESTORE_MARKER))).toBe(false)
      const list = contract['backup.list'].result.parse(await call(engine, 'backup.list', {}))
      // The restored database keeps the record of the backups made since (the safety backup).
      expect(list.entries.map((e) => e.trigger).sort()).toEqual(['manual', 'pre-restore'])
      expect(list.pending).toBeNull()
      // And the safety backup brings the later state back.
      const safety = list.entries.find((e) => e.trigger === 'pre-restore')!
      await call(engine, 'backup.restore', { path: safety.path })
    } finally {
      await engine.close()
    }
    engine = start(dir)
    try {
      expect(rows(engine)).toBe(150)
    } finally {
      await engine.close()
    }
  }, 60_000)

  it('migrates an older schema forward and refuses a newer one, with a clear message', async () => {
    const old = tempDir()
    copyFileSync(join(process.cwd(), 'test/fixtures/schema-8.db'), databaseFile(old))
    const oldFile = join(tempDir(), 'old.cwbak')
    createBackupFile(createInput(old, oldFile))
    const newer = makeDataDir(tempDir(), 5)
    closeDatabase(newer.db)
    const raw = new Database(databaseFile(newer.dataDir))
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`)
    raw.close()
    const newFile = join(tempDir(), 'new.cwbak')
    createBackupFile(createInput(newer.dataDir, newFile))

    const dir = tempDir()
    let engine = start(dir)
    try {
      await expect(call(engine, 'backup.dryRun', { path: newFile })).rejects.toThrow(
        new RegExp(
          `validation: This backup was made by Candlework 0.1.0 \\(schema ${MIGRATIONS.length + 1}\\).*Update Candlework`,
        ),
      )
      await expect(call(engine, 'backup.restore', { path: newFile })).rejects.toThrow(
        /Update Candlework to restore it/,
      )
      expect(existsSync(join(dir, RESTORE_MARKER))).toBe(false)
      const diff = contract['backup.dryRun'].result.parse(
        await call(engine, 'backup.dryRun', { path: oldFile }),
      )
      expect(diff).toMatchObject({ schemaVersion: 8, currentSchemaVersion: MIGRATIONS.length })
      await call(engine, 'backup.restore', { path: oldFile })
    } finally {
      await engine.close()
    }
    engine = start(dir)
    try {
      expect(engine.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
      const fixture = new Database(join(process.cwd(), 'test/fixtures/schema-8.db'), { readonly: true })
      const fills = (db: { prepare(s: string): { get(): unknown } }) =>
        (db.prepare('SELECT COUNT(*) AS n FROM trading_fills').get() as { n: number }).n
      expect(fills(engine.db)).toBe(fills(fixture))
      expect(fills(engine.db)).toBeGreaterThan(0)
      fixture.close()
    } finally {
      await engine.close()
    }
  }, 60_000)

  it('a backup that fails its verification keeps the earlier ones and says why', async () => {
    const dir = tempDir()
    const engine = start(dir)
    try {
      addRows(engine, 0, 10)
      const good = await call<{ path: string }>(engine, 'backup.create', {})
      const bytes = readdirSync(join(dir, 'backups'))
      expect(bytes).toHaveLength(1)
      // Damage the catalogued file: verifying it again fails, is stored, and is refused for restore.
      const buf = (await import('node:fs')).readFileSync(good.path)
      buf[200] = buf[200]! ^ 0xff
      writeFileSync(good.path, buf)
      await expect(call(engine, 'backup.verify', { path: good.path })).rejects.toThrow(
        /validation: .*damaged/,
      )
      const list = contract['backup.list'].result.parse(await call(engine, 'backup.list', {}))
      expect(list.entries[0]).toMatchObject({ verified: 'failed', message: expect.stringMatching(/damaged/) })
      await expect(call(engine, 'backup.restore', { path: good.path })).rejects.toThrow(/damaged/)
      expect(existsSync(join(dir, RESTORE_MARKER))).toBe(false)
      expect(readdirSync(join(dir, 'backups'))).toHaveLength(1)
    } finally {
      await engine.close()
    }
  }, 60_000)
})
