// Finds the Electron binary without downloading it, and downloads it on request within a time
// limit. Shared by `npm start` (scripts/start.mjs) and the end-to-end tests.
//
// Why not `require('electron')`: the electron 45 npm package has no install script; its
// index.js downloads the binary the first time it is required (a synchronous child process,
// with no time limit) and throws if that fails. Reading path.txt and checking dist/ ourselves
// answers "is it here?" without side effects.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** node_modules/electron, or null when the package itself is missing. */
export function electronPackageDir(from = import.meta.url) {
  try {
    return dirname(createRequire(from).resolve('electron/package.json'))
  } catch {
    return null
  }
}

/**
 * The Electron binary as the package's own index.js would find it (path.txt names it inside
 * dist/, or inside ELECTRON_OVERRIDE_DIST_PATH), or null with the reason in words.
 */
export function findElectron(dir = electronPackageDir(), env = process.env) {
  if (!dir) return { path: null, reason: 'the electron package is not installed (run npm install)' }
  const pathFile = join(dir, 'path.txt')
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : ''
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist')
  if (!name && !env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { path: null, reason: 'the Electron binary has not been downloaded' }
  }
  const path = join(distDir, name || executableName())
  if (!existsSync(path))
    return { path: null, reason: `the Electron binary has not been downloaded (${path} is missing)` }
  return { path, reason: '' }
}

function executableName() {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron'
  return process.platform === 'win32' ? 'electron.exe' : 'electron'
}

/**
 * Runs the electron package's install.js (what `npx install-electron` runs) and waits at
 * most `timeoutMs`: offline it usually fails within a second (no DNS), but a proxy that
 * accepts and never answers would otherwise hold `npm start` forever. Resolves
 * `{ ok: true }` or `{ ok: false, reason }` with a one-line reason; never rejects.
 */
export function downloadElectron(dir, { timeoutMs, env = process.env }) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(dir, 'install.js')], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const keep = (d) => (output = (output + d.toString()).slice(-8192))
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (err) => {
      clearTimeout(timer)
      resolve({ ok: false, reason: `could not run install.js (${err.message})` })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (timedOut)
        resolve({ ok: false, reason: `the download did not finish within ${duration(timeoutMs)}` })
      // install.js can also exit 0 without installing anything (its download promise left
      // pending when the connection is dropped), so success means the binary is now there.
      else if (code === 0 && findElectron(dir, env).path) resolve({ ok: true })
      else if (code === 0) resolve({ ok: false, reason: 'the download ended without installing it' })
      else
        resolve({
          ok: false,
          reason: `the download failed (${firstErrorLine(output) || `exit code ${code}`})`,
        })
    })
  })
}

const duration = (ms) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`)

/** The error's headline from install.js's output, without the stack. */
function firstErrorLine(output) {
  const lines = output.split('\n').map((l) => l.trim())
  const line = lines.find((l) => l && !l.startsWith('at ') && !/^Downloading/.test(l)) ?? ''
  return line.length > 160 ? line.slice(0, 157) + '...' : line
}
