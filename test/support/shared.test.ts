import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHARED_ENV, sharedDir, sharedPath } from './shared'
import { useTempDirs } from './temp-dir'

describe('the shared reference folder', () => {
  const tempDir = useTempDirs()

  it('is ../shared beside the repository unless CANDLEWORK_SHARED names another', () => {
    const repo = join(import.meta.dirname, '../..')
    expect(sharedDir({})).toBe(join(repo, '../shared'))
    expect(sharedDir({ [SHARED_ENV]: '/srv/reference' })).toBe('/srv/reference')
  })

  it('gives the path of a file that is there', () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'data/a.csv'), 'time,close\n')
    expect(sharedPath('data/a.csv', { [SHARED_ENV]: dir })).toBe(join(dir, 'data/a.csv'))
  })

  it('names the missing folder, the file wanted and the way to point at it', () => {
    const missing = join(tempDir(), 'nowhere')
    expect(() => sharedPath('data/a.csv', { [SHARED_ENV]: missing })).toThrow(
      `The shared reference folder ${missing} (${SHARED_ENV}=${missing}) does not exist, so data/a.csv cannot be read`,
    )
    expect(() => sharedPath('data/a.csv', { [SHARED_ENV]: missing })).toThrow(
      `set ${SHARED_ENV} to where the folder really is, or unset it to use ../shared beside the repository`,
    )
  })

  it('names a file missing from a folder that is there', () => {
    const dir = tempDir()
    expect(() => sharedPath('reference/x.json', { [SHARED_ENV]: dir })).toThrow(
      `reference/x.json is missing from the shared reference folder ${dir} (${SHARED_ENV}=${dir}): ` +
        `${join(dir, 'reference/x.json')} does not exist`,
    )
  })
})
