import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ArchiveWriter, sealArchive, unpackArchive } from '../../src/main/backup/archive'
import { createBackupFile } from '../../src/main/backup/create-file'
import { BackupProblemError } from '../../src/main/backup/problems'
import { verifyBackupFile } from '../../src/main/backup/verify-file'
import { useTempDirs } from '../support/temp-dir'
import { closeDatabase, createInput, makeDataDir } from './support'

const tempDir = useTempDirs()

function reasonOf(fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof BackupProblemError) return `${err.reason}: ${err.message}`
    throw err
  }
  return 'ok'
}

/** A deterministic generator, so a failure names offsets that can be tried again. */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32
}

describe('backup file', () => {
  it('holds the database, settings, secrets as stored and a manifest, and verifies', () => {
    const { dataDir, db } = makeDataDir(tempDir(), 200)
    const dest = join(tempDir(), 'b.cwbak')
    const made = createBackupFile(createInput(dataDir, dest))
    closeDatabase(db)
    expect(made.manifest.tables.settings).toBe(200)
    expect(made.manifest.parts.map((p) => p.name)).toEqual(['candlework.db', 'settings.json', 'secrets.json'])
    expect(readdirSync(join(dest, '..'))).toEqual(['b.cwbak'])
    const v = verifyBackupFile({ file: dest, workDir: join(dataDir, 'backup-work') })
    expect(v.manifest).toEqual(made.manifest)
    expect(v.encrypted).toBe(false)
  })

  it('detects a flipped byte at any offset, truncation, and a wrong or missing passphrase', () => {
    const { dataDir, db } = makeDataDir(tempDir(), 100)
    const plain = join(tempDir(), 'plain.cwbak')
    const secret = join(tempDir(), 'secret.cwbak')
    createBackupFile(createInput(dataDir, plain))
    createBackupFile(createInput(dataDir, secret, { passphrase: 'correct horse' }))
    closeDatabase(db)
    const work = join(dataDir, 'backup-work')
    const random = rng(18)
    for (const [file, passphrase] of [
      [plain, undefined],
      [secret, 'correct horse'],
    ] as const) {
      expect(reasonOf(() => verifyBackupFile({ file, passphrase, workDir: work }))).toBe('ok')
      const original = readFileSync(file)
      const bad = join(tempDir(), 'bad.cwbak')
      // Every region: the header, the first bytes of the body, random offsets, the trailer.
      const offsets = [0, 9, 10, 13, 40, 70, original.length - 1, original.length - 40]
      for (let i = 0; i < 40; i++) offsets.push(Math.floor(random() * original.length))
      for (const at of offsets) {
        const copy = Buffer.from(original)
        copy[at] = copy[at]! ^ (1 << Math.floor(random() * 8))
        writeFileSync(bad, copy)
        const r = reasonOf(() => verifyBackupFile({ file: bad, passphrase, workDir: work }))
        expect(r, `flip at ${at} of ${original.length}`).toMatch(/^(damaged|truncated|not_backup)/)
      }
      for (const keep of [0, 5, 12, 100, Math.floor(original.length / 2), original.length - 1]) {
        copyFileSync(file, bad)
        truncateSync(bad, keep)
        const r = reasonOf(() => verifyBackupFile({ file: bad, passphrase, workDir: work }))
        expect(r, `cut to ${keep}`).toMatch(/^(truncated|not_backup)/)
      }
    }
    expect(
      reasonOf(() => verifyBackupFile({ file: secret, passphrase: 'wrong horse', workDir: work })),
    ).toMatch(/^wrong_passphrase: The passphrase is wrong/)
    expect(reasonOf(() => verifyBackupFile({ file: secret, workDir: work }))).toMatch(/^passphrase_needed/)
    // Nothing of the failed verifications is left behind.
    expect(readdirSync(work)).toEqual([])
    expect(statSync(secret).size).toBeGreaterThan(0)
  })

  it('refuses a well-formed file whose manifest does not match its contents', () => {
    const { dataDir, db } = makeDataDir(tempDir(), 30)
    const good = join(tempDir(), 'good.cwbak')
    createBackupFile(createInput(dataDir, good))
    closeDatabase(db)
    const parts = join(tempDir(), 'parts')
    mkdirSync(parts)
    const unpacked = unpackArchive(good, parts)
    const manifest = JSON.parse(readFileSync(join(parts, 'manifest.json'), 'utf8'))
    const repack = (name: string, edit: (m: typeof manifest) => void, skip?: string): string => {
      const file = join(tempDir(), name)
      const w = new ArchiveWriter(file)
      for (const p of unpacked.parts)
        if (p.name !== 'manifest.json' && p.name !== skip) w.addFile(p.name, p.path)
      const m = structuredClone(manifest)
      edit(m)
      w.addBuffer('manifest.json', Buffer.from(JSON.stringify(m)))
      w.finish()
      sealArchive(file)
      return file
    }
    const work = join(dataDir, 'backup-work')
    // Written whole but never sealed (what a kill during its verification leaves): not a backup.
    const unsealed = join(tempDir(), 'unsealed.cwbak')
    const w = new ArchiveWriter(unsealed)
    for (const p of unpacked.parts) w.addFile(p.name, p.path)
    w.finish()
    expect(reasonOf(() => verifyBackupFile({ file: unsealed, workDir: work }))).toMatch(
      /^truncated: .*incomplete/,
    )
    expect(reasonOf(() => verifyBackupFile({ file: unsealed, workDir: work, unsealed: true }))).toBe('ok')
    const cases: [string, string, RegExp][] = [
      [
        repack('count.cwbak', (m) => (m.tables.settings += 1)),
        'count',
        /table settings has 30 rows, the manifest says 31/,
      ],
      [
        repack('sha.cwbak', (m) => (m.parts[0].sha256 = '0'.repeat(64))),
        'sha',
        /part candlework.db does not match/,
      ],
      [repack('schema.cwbak', (m) => (m.schemaVersion += 1)), 'schema', /the manifest says/],
      [
        repack('missing.cwbak', () => {}, 'secrets.json'),
        'missing',
        /lists secrets.json, which the file lacks/,
      ],
      [repack('shape.cwbak', (m) => delete m.tables), 'shape', /not one Candlework wrote/],
    ]
    for (const [file, what, message] of cases) {
      expect(
        reasonOf(() => verifyBackupFile({ file, workDir: work })),
        what,
      ).toMatch(/^manifest_mismatch/)
      expect(
        reasonOf(() => verifyBackupFile({ file, workDir: work })),
        what,
      ).toMatch(message)
    }
  })
})
