import { mkdirSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DESKTOP_CSP } from '../../src/main/desktop/csp'
import {
  hardenSession,
  hardenWebContents,
  registerAppScheme,
  serveRenderer,
} from '../../src/main/desktop/hardening'
import { rendererLocation } from '../../src/main/desktop/renderer-location'
import { useTempDirs } from '../support/temp-dir'
import { FakeApp, FakeProtocol, FakeSession, FakeShell } from './fake-electron'

const tempDir = useTempDirs()
const packaged = rendererLocation({ isPackaged: true })

describe('the app:// scheme', () => {
  it('is registered standard, secure and fetchable, and neither CORS-readable nor CSP-exempt', () => {
    const protocol = new FakeProtocol()
    registerAppScheme(protocol)
    expect(protocol.registered).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ])
  })

  it('is handled by a handler that serves the renderer folder with the CSP header', async () => {
    const root = tempDir()
    mkdirSync(root, { recursive: true })
    writeFileSync(join(root, 'index.html'), '<title>x</title>')
    const protocol = new FakeProtocol()
    serveRenderer(protocol, root, readFile)
    const handler = protocol.handlers.get('app')!
    const res = await handler(new Request('app://candlework/index.html'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toBe(DESKTOP_CSP)
    expect((await handler(new Request('app://candlework/..%2f..%2fetc%2fpasswd'))).status).toBe(404)
  })
})

describe('the session', () => {
  const permissions = [
    'notifications',
    'media',
    'geolocation',
    'clipboard-read',
    'openExternal',
    'hid',
    'unknown',
  ]

  it('denies every permission request and every permission check', () => {
    const session = new FakeSession()
    hardenSession(session, packaged)
    for (const permission of permissions) {
      let granted: boolean | undefined
      session.requestHandler!({}, permission, (g) => (granted = g))
      expect(granted, permission).toBe(false)
      expect(session.checkHandler!({}, permission), permission).toBe(false)
    }
  })

  it('adds no header rewriting in a packaged app (the app:// handler sets the CSP)', () => {
    const session = new FakeSession()
    hardenSession(session, packaged)
    expect(session.headerListeners).toEqual([])
  })

  it('gives the dev server, and only it, the dev CSP in `npm run dev`', () => {
    const session = new FakeSession()
    hardenSession(session, rendererLocation({ isPackaged: false, devUrl: 'http://localhost:5173/' }))
    expect(session.headerListeners).toHaveLength(1)
    const { filter, listener } = session.headerListeners[0]!
    expect(filter).toEqual({ urls: ['http://localhost:5173/*'] })
    let headers: Record<string, string[]> = {}
    listener(
      { responseHeaders: { 'x-a': ['1'] } },
      (r) => (headers = (r as { responseHeaders: typeof headers }).responseHeaders),
    )
    expect(headers['x-a']).toEqual(['1'])
    expect(headers['Content-Security-Policy']![0]).toMatch(/connect-src 'self' ws:\/\/localhost:5173/)
  })
})

describe('every webContents', () => {
  function setUp() {
    const app = new FakeApp()
    const shell = new FakeShell()
    hardenWebContents(app, shell, packaged)
    return { shell, contents: app.createWebContents() }
  }

  it('may navigate within app://candlework and nowhere else', () => {
    const { contents, shell } = setUp()
    expect(contents.fire('will-navigate', 'app://candlework/index.html#/trade')).toBe(false)
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'http://127.0.0.1:5170/',
      'javascript:alert(1)',
    ]) {
      expect(contents.fire('will-navigate', url), url).toBe(true)
      expect(contents.fire('will-frame-navigate', url), url).toBe(true)
    }
    expect(shell.opened).toEqual([])
  })

  it('is never redirected to an untrusted origin', () => {
    const { contents } = setUp()
    expect(contents.fire('will-redirect', 'https://evil.example/')).toBe(true)
    expect(contents.fire('will-redirect', 'app://candlework/index.html')).toBe(false)
  })

  it('opens no window; an allowed https link goes to the browser, anything else nowhere', async () => {
    const { contents, shell } = setUp()
    for (const url of ['https://www.binance.com/en/support', 'https://evil.example/', 'file:///etc/passwd']) {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' })
    }
    expect(contents.fire('will-navigate', 'https://www.kraken.com/fees')).toBe(true)
    expect(contents.fire('will-navigate', 'smb://binance.com/x')).toBe(true)
    await Promise.resolve()
    expect(shell.opened).toEqual(['https://www.binance.com/en/support', 'https://www.kraken.com/fees'])
  })

  it('refuses to attach a <webview>', () => {
    const { contents } = setUp()
    expect(contents.fire('will-attach-webview')).toBe(true)
  })

  it('applies to every webContents created, not only the first', () => {
    const app = new FakeApp()
    hardenWebContents(app, new FakeShell(), packaged)
    app.createWebContents()
    const second = app.createWebContents()
    expect(second.fire('will-navigate', 'https://evil.example/')).toBe(true)
    expect(second.fire('will-attach-webview')).toBe(true)
  })
})
