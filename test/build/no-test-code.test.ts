/**
 * No test code in the product: the production build (`npm run build`, which `npm start`,
 * `npm run serve` and `npm run dist` run) carries neither the renderer's test hook
 * (`window.__candlework`), nor `benchPaint` or `benchPan`, nor main's desktop e2e probe
 * (`candleworkDesktopProbe`, src/main/desktop/e2e-probe.ts). Both builds are made here into temporary folders and
 * every file of them is searched; the test build must contain the names, so a clean production
 * bundle means the hook was left out, not that the search missed it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../support/app-build'

/** Each test-only name, and the build folder it belongs in. */
const TEST_ONLY = {
  __candlework: 'renderer/',
  benchPaint: 'renderer/',
  benchPan: 'renderer/',
  candleworkDesktopProbe: 'main/',
}
const TEST_ONLY_NAMES = Object.keys(TEST_ONLY) as (keyof typeof TEST_ONLY)[]

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
  )
}

/** `name` -> the files of the build under `dir` that contain it. */
function occurrences(dir: string): Record<string, string[]> {
  const all = files(dir).map((f) => ({ path: relative(dir, f), text: readFileSync(f, 'latin1') }))
  return Object.fromEntries(
    TEST_ONLY_NAMES.map((name) => [name, all.filter((f) => f.text.includes(name)).map((f) => f.path)]),
  )
}

describe('the production bundle', () => {
  const root = mkdtempSync(join(tmpdir(), 'candlework-bundle-'))
  const production = join(root, 'production')
  const testBuild = join(root, 'test')

  beforeAll(async () => {
    await Promise.all([buildApp('production', production), buildApp('test', testBuild)])
  }, 300_000)
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('contains no test hook, no benchPaint and no desktop probe', () => {
    expect(files(production).some((f) => f.endsWith('index.html'))).toBe(true)
    expect(occurrences(production)).toEqual({
      __candlework: [],
      benchPaint: [],
      benchPan: [],
      candleworkDesktopProbe: [],
    })
  })

  it('while the test build, searched the same way, has each where it belongs', () => {
    const found = occurrences(testBuild)
    for (const name of TEST_ONLY_NAMES) {
      expect(found[name]!.length, name).toBeGreaterThan(0)
      expect(
        found[name]!.every((f) => f.startsWith(TEST_ONLY[name])),
        name,
      ).toBe(true)
    }
  })
})
