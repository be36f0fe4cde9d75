import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createBackupFile } from '../../src/main/backup/create-file'
import { BackupProblemError } from '../../src/main/backup/problems'
import { applyPendingRestore } from '../../src/main/backup/stage'
import { verifyBackupFile } from '../../src/main/backup/verify-file'
import { databaseFile } from '../../src/main/paths'
import { closeDatabase, openDatabase } from '../../src/main/storage/database'
import { useTempDirs } from '../support/temp-dir'
import { createInput, makeDataDir, settingsRows } from './support'

/*
 * kill -9 in the middle of a backup and of a restore, at several moments each. Every child
 * process starts under tsx (about a second of CPU each), so this file takes seconds.
 */

const tempDir = useTempDirs()
const CHILD = join(process.cwd(), 'test/backup/fixtures/child.ts')

function run(args: string[]): { child: ChildProcess; ready: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  const ready = new Promise<void>((resolve) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      if (out.includes('ready')) resolve()
    })
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, ready, exited }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A data folder big enough that a backup takes a while (about 20 MB of settings rows). */
function bigDataDir(): string {
  const { dataDir, db } = makeDataDir(tempDir(), 0)
  const insert = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)')
  const pad = 'x'.repeat(2_000)
  db.transaction(() => {
    for (let i = 0; i < 10_000; i++) insert.run(`row:${i}`, `${i}:${pad}`)
  })()
  closeDatabase(db)
  return dataDir
}

function verdict(file: string, workDir: string): string {
  try {
    verifyBackupFile({ file, workDir })
    return 'valid'
  } catch (err) {
    if (err instanceof BackupProblemError) return err.reason
    throw err
  }
}

describe('kill -9', () => {
  it('during a backup leaves no file that looks like a valid backup', async () => {
    const dataDir = bigDataDir()
    const work = join(tempDir(), 'work')
    let partials = 0
    // How long a whole backup takes in a child here, so the kills land across all of it.
    const whole = run(['backup', dataDir, join(tempDir(), 'whole.cwbak')])
    await whole.ready
    const began = Date.now()
    await whole.exited
    const took = Date.now() - began
    // Kills spread over the measured duration; on a busy machine a run can be slower than the
    // measured one, so more kills follow (up to twelve) until one has landed mid-write.
    const fractions = [0, 0.2, 0.4, 0.55, 0.7, 0.85]
    for (let i = 0; i < fractions.length + 12 && (i < fractions.length || partials === 0); i++) {
      const delay = Math.round((fractions[i] ?? (i - fractions.length + 1) / 13) * took)
      const folder = tempDir()
      const dest = join(folder, 'b.cwbak')
      const p = run(['backup', dataDir, dest])
      await p.ready
      await sleep(delay)
      p.child.kill('SIGKILL')
      await p.exited
      for (const name of readdirSync(folder)) {
        const v = verdict(join(folder, name), work)
        // Only the finished name may verify; anything else is an unfinished (hidden) partial.
        if (name === 'b.cwbak') expect(v, `after ${delay} ms`).toBe('valid')
        else {
          expect(name, `after ${delay} ms`).toMatch(/^\.b\.cwbak\.[0-9a-f]+\.partial$/)
          partials++
          expect(v, `${name} after ${delay} ms`).not.toBe('valid')
        }
      }
    }
    // Some kill landed while the archive was being written.
    expect(partials).toBeGreaterThan(0)
  }, 240_000)

  it('during a restore leaves the current data intact and usable, or the restore whole', async () => {
    const backupOf = bigDataDir()
    const file = join(tempDir(), 'restore-me.cwbak')
    createBackupFile(createInput(backupOf, file))
    const seen = new Set<string>()
    for (const delay of [0, 40, 100, 200, 400, 5_000]) {
      const { dataDir, db } = makeDataDir(tempDir(), 77)
      closeDatabase(db)
      const p = run(['restore', file, dataDir])
      await p.ready
      await sleep(delay)
      p.child.kill('SIGKILL')
      await p.exited
      // What the engine does at its next start: finish a committed switch, then open.
      applyPendingRestore(dataDir)
      const reopened = openDatabase(databaseFile(dataDir))
      const rows = settingsRows(reopened)
      expect(rows === 77 || rows === 10_000, `after ${delay} ms: ${rows} rows`).toBe(true)
      seen.add(rows === 77 ? 'current' : 'restored')
      expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok')
      closeDatabase(reopened)
      expect(existsSync(join(dataDir, 'restore-pending.json'))).toBe(false)
    }
    // The moments tried cover both sides of the switch.
    expect([...seen].sort()).toEqual(['current', 'restored'])
  }, 120_000)
})
