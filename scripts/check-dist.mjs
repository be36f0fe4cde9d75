// `npm run dist` refuses to package without a better-sqlite3 built for the installed Electron:
// electron-builder would only warn that native/electron is missing, and the packaged app
// would then fail at start (the Node build in node_modules cannot load in Electron).
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** Null when native/electron holds a build for `electronVersion`, else what to do, in words. */
export function nativeBuildProblem(root, electronVersion) {
  const dir = join(root, 'native', 'electron')
  const fix = 'run `npm run rebuild:electron` (it needs network access for Electron headers)'
  if (!existsSync(join(dir, 'better_sqlite3.node')))
    return `native/electron/better_sqlite3.node is missing: ${fix}`
  const stamp = join(dir, 'electron-version.txt')
  const builtFor = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : 'an unknown Electron'
  if (builtFor !== electronVersion) {
    return `native/electron was built for ${builtFor}, not Electron ${electronVersion}: ${fix}`
  }
  return null
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = new URL('..', import.meta.url).pathname
  const { version } = createRequire(import.meta.url)('electron/package.json')
  const problem = nativeBuildProblem(root, version)
  if (problem) {
    process.stderr.write(`Cannot package: ${problem}.\n`)
    process.exit(1)
  }
}
