import { mkdirSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAppProtocolHandler } from '../../src/main/desktop/app-protocol'
import { isInside, resolveAppFile } from '../../src/main/desktop/app-files'
import { DESKTOP_CSP, devCsp } from '../../src/main/desktop/csp'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()

/** out/renderer with a page and an asset, and secrets beside it that must never be served. */
function layout() {
  const out = tempDir()
  const root = join(out, 'renderer')
  mkdirSync(join(root, 'assets'), { recursive: true })
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Candlework</title>')
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)')
  writeFileSync(join(out, 'secret.txt'), 'SECRET-OUTSIDE')
  mkdirSync(join(out, 'renderer-evil'))
  writeFileSync(join(out, 'renderer-evil', 'x.txt'), 'SECRET-SIBLING')
  return { root, handler: createAppProtocolHandler(root, readFile) }
}

const get = (handler: (r: Request) => Promise<Response>, url: string, method = 'GET') =>
  handler(new Request(url, { method }))

describe('the desktop CSP', () => {
  it('is the strict policy, with no connect-src at all (the page talks over IPC only)', () => {
    expect(DESKTOP_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    )
  })

  it('is relaxed for the dev server only where Vite needs it', () => {
    const csp = devCsp('http://localhost:5173')
    expect(csp).toContain("script-src 'self' 'unsafe-inline'")
    expect(csp).toContain("connect-src 'self' ws://localhost:5173")
    expect(csp).toContain("object-src 'none'")
  })
})

describe('app://candlework/ serves out/renderer and nothing else', () => {
  it('serves index.html at / and assets by path, with the CSP and nosniff as headers', async () => {
    const { handler } = layout()
    for (const url of [
      'app://candlework/',
      'app://candlework/index.html',
      'app://candlework/index.html?x#y',
    ]) {
      const res = await get(handler, url)
      expect(res.status, url).toBe(200)
      expect(await res.text()).toContain('<title>Candlework</title>')
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(res.headers.get('content-security-policy')).toBe(DESKTOP_CSP)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    }
    const js = await get(handler, 'app://candlework/assets/index-abc.js')
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await js.text()).toBe('console.log(1)')
  })

  it.each([
    'app://candlework/..%2fsecret.txt',
    'app://candlework/..%2F..%2Fsecret.txt',
    'app://candlework/assets/..%2f..%2fsecret.txt',
    'app://candlework/%2e%2e%2fsecret.txt',
    'app://candlework/..%5csecret.txt',
    'app://candlework/..%2frenderer-evil%2fx.txt',
    'app://candlework/%2e%2e/secret.txt',
    'app://candlework/../secret.txt',
    'app://candlework/index.html%00.js',
    'app://candlework/%',
    'app://candlework/%E0%A4%A',
    'app://candlework/missing.js',
    'app://candlework/assets',
    'app://candlework/assets/',
    'app://other/index.html',
    'app://evil.candlework/index.html',
    'app://candlework:1/index.html',
  ])('refuses %s with a 404 that leaks nothing', async (url) => {
    const { handler } = layout()
    const res = await get(handler, url)
    expect(res.status).toBe(404)
    const body = await res.text()
    expect(body).not.toMatch(/SECRET/)
    expect(res.headers.get('content-security-policy')).toBe(DESKTOP_CSP)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('answers HEAD without a body and refuses other methods', async () => {
    const { handler } = layout()
    const head = await get(handler, 'app://candlework/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    expect((await get(handler, 'app://candlework/index.html', 'POST')).status).toBe(405)
  })

  it('resolves paths inside the root only, by path segments and not by string prefix', () => {
    const root = '/opt/cw/out/renderer'
    expect(resolveAppFile(root, 'app://candlework/')).toBe('/opt/cw/out/renderer/index.html')
    expect(resolveAppFile(root, 'app://candlework/a%20b.js')).toBe('/opt/cw/out/renderer/a b.js')
    expect(resolveAppFile(root, 'app://candlework/%2Fetc%2Fpasswd')).toBe('/opt/cw/out/renderer/etc/passwd')
    expect(resolveAppFile(root, 'app://candlework/..%2f..%2f..%2fetc%2fpasswd')).toBeNull()
    expect(resolveAppFile(root, 'file:///opt/cw/out/renderer/index.html')).toBeNull()
    // A backslash is a separator on Windows; a NUL byte truncates paths in C APIs.
    expect(resolveAppFile(root, 'app://candlework/..%5c..%5csecret.txt')).toBeNull()
    expect(resolveAppFile(root, 'app://candlework/index.html%00.js')).toBeNull()
    expect(isInside(root, '/opt/cw/out/renderer-evil/x')).toBe(false)
    expect(isInside(root, '/opt/cw/out/renderer')).toBe(false)
    expect(isInside(root, '/opt/cw/out/renderer/..x')).toBe(true)
  })
})
