// Builds out/ with electron-vite when it is missing or older than the sources, so
// `npm start` and `npm run serve` always run what is in src/. This is the production build
// (electron-vite's default mode): the test build, with the renderer's test hook, goes to
// out-test/ (see electron.vite.config.ts) and is never what these scripts run.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const stamp = join(root, 'out', 'main', 'serve.js')

function newest(path) {
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), st.mtimeMs)
}

const sources = ['src', 'electron.vite.config.ts', 'package.json'].map((p) => join(root, p))
const stale = !existsSync(stamp) || sources.some((p) => newest(p) > statSync(stamp).mtimeMs)
if (stale) {
  process.stdout.write('Building Candlework (electron-vite build)...\n')
  const r = spawnSync('npx', ['electron-vite', 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
