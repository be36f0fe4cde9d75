// Builds better-sqlite3 against Electron's ABI into native/electron/, leaving the Node build
// in node_modules (used by `npm test`) untouched. Needs network access for Electron's headers.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const require = createRequire(import.meta.url)
const electronVersion = require('electron/package.json').version
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'))

const work = mkdtempSync(join(tmpdir(), 'cw-sqlite-electron-'))
try {
  cpSync(sqliteDir, work, { recursive: true, filter: (p) => !p.includes(`${'build'}/Release/obj`) })
  rmSync(join(work, 'build'), { recursive: true, force: true })
  execFileSync(
    'npx',
    [
      'node-gyp',
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: work, stdio: 'inherit' },
  )
  const outDir = join(root, 'native', 'electron')
  mkdirSync(outDir, { recursive: true })
  cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), join(outDir, 'better_sqlite3.node'))
  // Which Electron this build is for: `npm run dist` refuses a build for another version.
  writeFileSync(join(outDir, 'electron-version.txt'), `${electronVersion}\n`)
  process.stdout.write(`better-sqlite3 for Electron ${electronVersion} written to native/electron/\n`)
} finally {
  rmSync(work, { recursive: true, force: true })
}
