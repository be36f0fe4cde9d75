import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { downloadElectron, electronPackageDir, findElectron } from '../../scripts/electron-binary.mjs'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()

/** A stand-in for node_modules/electron: optional path.txt, dist/ binary and install.js. */
function fakePackage(opts: { pathTxt?: string; binary?: boolean; install?: string }) {
  const dir = tempDir()
  if (opts.pathTxt !== undefined) writeFileSync(join(dir, 'path.txt'), opts.pathTxt)
  if (opts.binary) {
    mkdirSync(join(dir, 'dist'))
    writeFileSync(join(dir, 'dist', opts.pathTxt ?? 'electron'), '#!/bin/sh\n')
  }
  if (opts.install) writeFileSync(join(dir, 'install.js'), opts.install)
  return dir
}

describe('finding the Electron binary without downloading it', () => {
  it('finds dist/<path.txt> when it is there', () => {
    const dir = fakePackage({ pathTxt: 'electron', binary: true })
    expect(findElectron(dir, {})).toEqual({ path: join(dir, 'dist', 'electron'), reason: '' })
  })

  it('says the binary was never downloaded when path.txt is missing (a fresh npm install)', () => {
    expect(findElectron(fakePackage({}), {})).toEqual({
      path: null,
      reason: 'the Electron binary has not been downloaded',
    })
  })

  it('says which file is missing when path.txt names a binary that is not there', () => {
    const dir = fakePackage({ pathTxt: 'electron' })
    expect(findElectron(dir, {}).reason).toBe(
      `the Electron binary has not been downloaded (${join(dir, 'dist', 'electron')} is missing)`,
    )
  })

  it('honours ELECTRON_OVERRIDE_DIST_PATH as the package itself does', () => {
    const dist = tempDir()
    writeFileSync(join(dist, 'electron'), '')
    expect(
      findElectron(fakePackage({ pathTxt: 'electron' }), { ELECTRON_OVERRIDE_DIST_PATH: dist }).path,
    ).toBe(join(dist, 'electron'))
  })

  it('says so when the electron package itself is missing', () => {
    expect(findElectron(null, {}).reason).toMatch(/electron package is not installed/)
  })

  it('locates the real package without running its index.js (which would download)', () => {
    expect(electronPackageDir()).toMatch(/node_modules[/\\]electron$/)
  })
})

describe('downloading it on request', () => {
  it('stops a download that hangs at the time limit and says so', async () => {
    const dir = fakePackage({ install: 'setInterval(() => {}, 1000)' })
    const started = Date.now()
    const result = await downloadElectron(dir, { timeoutMs: 300 })
    expect(result).toEqual({ ok: false, reason: 'the download did not finish within 300 ms' })
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('reports a failed download by its error headline, without the stack', async () => {
    const dir = fakePackage({
      install: "console.error('TypeError: fetch failed\\n    at download (x.js:1:1)'); process.exit(1)",
    })
    expect(await downloadElectron(dir, { timeoutMs: 10_000 })).toEqual({
      ok: false,
      reason: 'the download failed (TypeError: fetch failed)',
    })
  })

  it('does not take an exit code of 0 for success when nothing was installed', async () => {
    const dir = fakePackage({ install: 'new Promise(() => {})' })
    expect(await downloadElectron(dir, { timeoutMs: 10_000 })).toEqual({
      ok: false,
      reason: 'the download ended without installing it',
    })
  })

  it('finds the binary after a download that succeeds', async () => {
    const dir = fakePackage({
      install: [
        "const fs = require('fs'); fs.mkdirSync('dist');",
        "fs.writeFileSync('dist/electron', ''); fs.writeFileSync('path.txt', 'electron')",
      ].join('\n'),
    })
    expect(findElectron(dir, {}).path).toBeNull()
    expect(await downloadElectron(dir, { timeoutMs: 10_000 })).toEqual({ ok: true })
    expect(findElectron(dir, {}).path).toBe(join(dir, 'dist', 'electron'))
  })
})
