import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { backupCommand } from '../../src/main/cli/backup'
import { memoryIo } from '../../src/main/cli/io'
import { databaseFile } from '../../src/main/paths'
import { openDatabase } from '../../src/main/storage/database'
import { useTempDirs } from '../support/temp-dir'
import { closeDatabase, makeDataDir, settingsRows } from './support'

const tempDir = useTempDirs()

describe('npm run cli -- backup', () => {
  it('creates, lists, verifies, dry-runs and restores; a bad file fails with its reason', async () => {
    const { dataDir, db } = makeDataDir(tempDir(), 40)
    closeDatabase(db)
    const to = tempDir()
    const pass = join(tempDir(), 'pass.txt')
    writeFileSync(pass, 'a long passphrase\n')
    let io = memoryIo()
    expect(
      await backupCommand(
        ['create', '--data-dir', dataDir, '--to', to, '--passphrase-file', pass, '--json'],
        io,
      ),
    ).toBe(0)
    const made = JSON.parse(io.stdout.join('')) as { path: string; verified: string; encrypted: boolean }
    expect(made).toMatchObject({ verified: 'ok', encrypted: true })
    expect(made.path.startsWith(to)).toBe(true)

    io = memoryIo()
    expect(await backupCommand(['list', '--data-dir', dataDir], io)).toBe(0)
    expect(io.stdout.join('\n')).toMatch(/manual .* encrypted .* verified/)

    io = memoryIo()
    expect(await backupCommand(['verify', made.path, '--data-dir', dataDir], io)).toBe(1)
    expect(io.stderr.join('')).toMatch(/encrypted: give the passphrase/)

    // More rows after the backup; the dry run shows them, the restore takes them back.
    const later = openDatabase(databaseFile(dataDir))
    later.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('row:later', 'x', 0)`).run()
    closeDatabase(later)
    io = memoryIo()
    expect(
      await backupCommand(['dryrun', made.path, '--data-dir', dataDir, '--passphrase-file', pass], io),
    ).toBe(0)
    expect(io.stdout.join('')).toMatch(/settings\s+now\s+\d+\s+backup\s+\d+/)

    io = memoryIo()
    expect(
      await backupCommand(['restore', made.path, '--data-dir', dataDir, '--passphrase-file', pass], io),
    ).toBe(0)
    expect(io.stderr.join('')).toMatch(/Restored/)
    const after = openDatabase(databaseFile(dataDir))
    expect(settingsRows(after)).toBe(40)
    closeDatabase(after)

    io = memoryIo()
    expect(await backupCommand(['restore', join(to, 'missing.cwbak'), '--data-dir', dataDir], io)).toBe(1)
    expect(io.stderr.join('')).toMatch(/does not exist/)
    io = memoryIo()
    expect(await backupCommand(['verify', '--data-dir', dataDir], io)).toBe(2)
  }, 60_000)
})
