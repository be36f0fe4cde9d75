import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { expect, test } from '@playwright/test'
import { ROOT, tempDataDir } from './host'

function electronInstalled(): boolean {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown
    return typeof path === 'string' && existsSync(path)
  } catch {
    return false
  }
}

test('npm start says Electron is missing and serves the app headless instead', async () => {
  test.skip(electronInstalled(), 'the Electron binary is installed here, so npm start opens the desktop app')
  const dir = tempDataDir()
  const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0', '--data-dir', dir.path], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  try {
    await expect.poll(() => out, { timeout: 60_000 }).toMatch(/Open (http:\/\/127\.0\.0\.1:\d+)\/\?token=/)
    const lines = out.split('\n')
    const notice = lines.filter((l) => /Electron is not installed/.test(l))
    expect(notice).toHaveLength(1)
    expect(notice[0]).toMatch(/Starting the headless host instead/)
    const base = /Open (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)![1]!
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ status: 'ok' })
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    dir.remove()
  }
})
