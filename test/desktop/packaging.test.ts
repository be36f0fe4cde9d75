import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire, type FuseConfig } from '@electron/fuses'
import { SENTINEL, FuseState } from '@electron/fuses/dist/constants'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { PlatformPackager } from 'app-builder-lib'
import { listPackage } from '@electron/asar'
import { build, Platform } from 'electron-builder'
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { nativeBuildProblem } from '../../scripts/check-dist.mjs'
import { useTempDirs } from '../support/temp-dir'

const ROOT = join(import.meta.dirname, '..', '..')
const tempDir = useTempDirs()

/** electron-builder.yml as `npm run dist` loads it: electron-builder's own loader and schema check. */
async function builderConfig() {
  const config = await getConfig(ROOT, null, null)
  // The logger only records details of a failure when debugging is on.
  await validateConfiguration(config, { isEnabled: false, add: () => undefined } as never)
  return config
}

/** What electron-builder hands @electron/fuses for our config (its own translation, not ours). */
async function fuseConfigFor(fuses: unknown): Promise<FuseConfig> {
  const generate = (
    PlatformPackager.prototype as unknown as { generateFuseConfig(f: unknown): Promise<FuseConfig> }
  ).generateFuseConfig
  return generate.call(undefined, fuses)
}

const expected: [FuseV1Options, boolean][] = [
  [FuseV1Options.RunAsNode, false],
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable, false],
  [FuseV1Options.EnableNodeCliInspectArguments, false],
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, true],
  [FuseV1Options.OnlyLoadAppFromAsar, true],
  [FuseV1Options.EnableCookieEncryption, true],
  [FuseV1Options.GrantFileProtocolExtraPrivileges, false],
]

/**
 * A file standing in for the Electron binary: what @electron/fuses looks for is the sentinel,
 * the wire's version and length, then one byte per fuse, set here to Electron's defaults
 * (RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on; the rest off).
 */
function fakeElectronBinary(path: string): string {
  const defaults = [1, 0, 1, 1, 0, 0, 0, 1].map((on) => (on ? FuseState.ENABLE : FuseState.DISABLE))
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from('#!/bin/sh\n# '),
      Buffer.from(SENTINEL),
      Buffer.from([1, 8, ...defaults, 10]),
    ]),
  )
  chmodSync(path, 0o755)
  return path
}

describe('packaging (electron-builder.yml)', () => {
  it('is a valid electron-builder configuration', async () => {
    await expect(builderConfig()).resolves.toMatchObject({ appId: 'app.candlework.desktop' })
  })

  it('flips every fuse the security checklist asks for', async () => {
    const config = await builderConfig()
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    })
    const fuses = await fuseConfigFor(config.electronFuses)
    expect(fuses.version).toBe(FuseVersion.V1)
    for (const [fuse, on] of expected) expect(fuses[fuse], FuseV1Options[fuse]).toBe(on)
  })

  it('writes those fuses into an Electron binary (a fake one holding the fuse wire)', async () => {
    const binary = fakeElectronBinary(join(tempDir(), 'electron'))
    await flipFuses(binary, await fuseConfigFor((await builderConfig()).electronFuses))
    const wire = await getCurrentFuseWire(binary)
    for (const [fuse, on] of expected) {
      expect(wire[fuse], FuseV1Options[fuse]).toBe(on ? FuseState.ENABLE : FuseState.DISABLE)
    }
    expect(readFileSync(binary).subarray(0, 9).toString()).toBe('#!/bin/sh')
  })

  it('is what electron-builder packages: a stand-in Electron comes out fused, with the app in app.asar', async () => {
    // A project holding our electron-builder.yml and a stub build, packed for Linux into a
    // folder from a stand-in Electron (electronDist), since the real one cannot be downloaded.
    const project = tempDir()
    mkdirSync(join(project, 'out', 'main'), { recursive: true })
    mkdirSync(join(project, 'out', 'renderer'))
    writeFileSync(join(project, 'out', 'main', 'index.js'), 'export {}\n')
    writeFileSync(join(project, 'out', 'renderer', 'index.html'), '<!doctype html>\n')
    const { name, version, description, main, type } = JSON.parse(
      readFileSync(join(ROOT, 'package.json'), 'utf8'),
    )
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name, version, description, main, type }))
    copyFileSync(join(ROOT, 'electron-builder.yml'), join(project, 'electron-builder.yml'))
    const electronDist = tempDir()
    fakeElectronBinary(join(electronDist, 'electron'))
    writeFileSync(join(electronDist, 'version'), '45.6.1')
    writeFileSync(join(electronDist, 'LICENSE'), '')
    const output = tempDir()

    await build({
      projectDir: project,
      targets: Platform.LINUX.createTarget('dir'),
      config: { electronDist, electronVersion: '45.6.1', directories: { output } },
    })

    const app = join(output, 'linux-unpacked')
    const wire = await getCurrentFuseWire(join(app, 'candlework'))
    for (const [fuse, on] of expected) {
      expect(wire[fuse], FuseV1Options[fuse]).toBe(on ? FuseState.ENABLE : FuseState.DISABLE)
    }
    expect(existsSync(join(app, 'resources', 'app'))).toBe(false)
    const files = listPackage(join(app, 'resources', 'app.asar'), { isPack: false })
    expect(files).toEqual(
      expect.arrayContaining(['/out/main/index.js', '/out/renderer/index.html', '/package.json']),
    )
  }, 60_000)

  it('packs the app into app.asar (OnlyLoadAppFromAsar needs it) and ships the Electron SQLite build outside it', async () => {
    const config = await builderConfig()
    expect(config.asar).not.toBe(false)
    expect(config.npmRebuild).toBe(false)
    // native-binding.ts looks for resources/native/better_sqlite3.node first; the tray reads
    // resources/icon.png from disk (electron-adapters.ts).
    expect(config.extraResources).toEqual([
      { from: 'native/electron', to: 'native', filter: ['*.node'] },
      { from: 'resources/icon.png', to: 'icon.png' },
    ])
  })
})

describe('npm run dist', () => {
  it('refuses to package without a better-sqlite3 built for the installed Electron', () => {
    const root = tempDir()
    expect(nativeBuildProblem(root, '45.6.1')).toMatch(
      /better_sqlite3\.node is missing: run `npm run rebuild:electron`/,
    )
    mkdirSync(join(root, 'native', 'electron'), { recursive: true })
    writeFileSync(join(root, 'native', 'electron', 'better_sqlite3.node'), '')
    expect(nativeBuildProblem(root, '45.6.1')).toMatch(/built for an unknown Electron, not Electron 45\.6\.1/)
    writeFileSync(join(root, 'native', 'electron', 'electron-version.txt'), '39.8.10\n')
    expect(nativeBuildProblem(root, '45.6.1')).toMatch(/built for 39\.8\.10, not Electron 45\.6\.1/)
    writeFileSync(join(root, 'native', 'electron', 'electron-version.txt'), '45.6.1\n')
    expect(nativeBuildProblem(root, '45.6.1')).toBeNull()
  })
})
