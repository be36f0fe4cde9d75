import { existsSync, mkdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine } from '../../src/main/engine'
import { loadOrCreateToken } from '../../src/main/headless/token'
import { createLogger } from '../../src/main/log'
import { databaseFile, logFile } from '../../src/main/paths'
import { useTempDirs } from '../support/temp-dir'

/*
 * The data folder holds the trading history, encrypted keys and the access token: 0700, and
 * every file in it 0600, whatever the umask. The test sets a permissive umask (0o002, what many
 * desktops use) so that modes left to the umask would show.
 */

const tempDir = useTempDirs()
const mode = (path: string): number => statSync(path).mode & 0o777
let umask: number
beforeEach(() => {
  umask = process.umask(0o002)
})
afterEach(() => {
  process.umask(umask)
})

describe.skipIf(process.platform === 'win32')('data folder permissions (POSIX modes: not on Windows)', () => {
  it('a fresh data folder is 0700 and the database, its WAL and SHM, the log and the token 0600', async () => {
    const dataDir = join(tempDir(), 'fresh')
    const engine = createEngine({
      dataDir,
      host: 'headless',
      log: createLogger({ file: logFile(dataDir), echo: false }),
    })
    try {
      engine.log.info('something worth a log line')
      // A write, so the WAL and the shared-memory index exist.
      engine.db.exec('CREATE TABLE IF NOT EXISTS mode_probe (x); INSERT INTO mode_probe VALUES (1)')
      loadOrCreateToken(dataDir)
      const db = databaseFile(dataDir)
      expect(existsSync(`${db}-wal`)).toBe(true)
      expect(existsSync(`${db}-shm`)).toBe(true)
      expect(mode(dataDir)).toBe(0o700)
      expect(mode(join(dataDir, 'logs'))).toBe(0o700)
      for (const file of [db, `${db}-wal`, `${db}-shm`, logFile(dataDir), join(dataDir, 'headless-token')]) {
        expect(mode(file), file).toBe(0o600)
      }
    } finally {
      await engine.close()
    }
  })

  it('tightens a folder and files an older version left readable by others', async () => {
    const dataDir = tempDir()
    chmodSync(dataDir, 0o755)
    mkdirSync(join(dataDir, 'logs'), { mode: 0o755 })
    writeFileSync(logFile(dataDir), 'old line\n', { mode: 0o644 })
    const engine = createEngine({
      dataDir,
      host: 'headless',
      log: createLogger({ file: logFile(dataDir), echo: false }),
    })
    await engine.close()
    writeFileSync(databaseFile(dataDir) + '-wal', '', { mode: 0o644 }) // as after a crash
    chmodSync(databaseFile(dataDir), 0o644)
    const again = createEngine({
      dataDir,
      host: 'headless',
      log: createLogger({ file: logFile(dataDir), echo: false }),
    })
    try {
      again.db.exec('CREATE TABLE IF NOT EXISTS mode_probe (x); INSERT INTO mode_probe VALUES (1)')
      expect(mode(dataDir)).toBe(0o700)
      expect(mode(join(dataDir, 'logs'))).toBe(0o700)
      expect(mode(logFile(dataDir))).toBe(0o600)
      expect(mode(databaseFile(dataDir))).toBe(0o600)
      expect(mode(databaseFile(dataDir) + '-wal')).toBe(0o600)
    } finally {
      await again.close()
    }
  })
})

describe('the log file', () => {
  it('never throws when its folder is removed under a running engine: the line is dropped', () => {
    const dataDir = tempDir()
    const log = createLogger({ file: logFile(dataDir), echo: false })
    log.warn('first line')
    rmSync(dataDir, { recursive: true, force: true })
    expect(() => log.warn('after the folder was removed')).not.toThrow()
  })
})
