// `npm start`: the desktop app, or, where the Electron binary is missing (an offline
// install with ELECTRON_SKIP_BINARY_DOWNLOAD=1), the headless host with one clear line why.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const root = new URL('..', import.meta.url).pathname
const require = createRequire(import.meta.url)

function electronBinary() {
  try {
    const path = require('electron') // the package exports the binary's path, or throws
    return typeof path === 'string' && existsSync(path) ? path : undefined
  } catch {
    return undefined
  }
}

const built = spawnSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: root, stdio: 'inherit' })
if (built.status !== 0) process.exit(built.status ?? 1)

const args = process.argv.slice(2)
const electron = electronBinary()
const child = electron
  ? spawn(electron, ['.', ...args], { cwd: root, stdio: 'inherit' })
  : (process.stdout.write(
      'Electron is not installed here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or its download failed); ' +
        'to get the desktop app run `node node_modules/electron/install.js` with network access. ' +
        'Starting the headless host instead.\n',
    ),
    spawn(process.execPath, ['out/main/serve.js', ...args], { cwd: root, stdio: 'inherit' }))

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))
