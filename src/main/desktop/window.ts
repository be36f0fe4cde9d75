import { BrowserWindow, session, shell } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'"

export interface RendererLocation {
  /** What the window loads: the dev server in `npm run dev`, the built file otherwise. */
  url: string
  isTrusted(url: string): boolean
}

export function rendererLocation(outDir: string): RendererLocation {
  const dev = process.env.ELECTRON_RENDERER_URL
  if (dev) return { url: dev, isTrusted: (u) => u.startsWith(dev) }
  const url = pathToFileURL(join(outDir, 'renderer', 'index.html')).href
  return { url, isTrusted: (u) => u === url || u.startsWith(url + '#') || u.startsWith(url + '?') }
}

/** The main window: isolated, sandboxed, no node, strict CSP, no navigation away. */
export function createMainWindow(outDir: string, location: RendererLocation): BrowserWindow {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    backgroundColor: '#0e1117',
    title: 'Candlework',
    show: false,
    webPreferences: {
      preload: join(outDir, 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (event, url) => {
    if (!location.isTrusted(url)) event.preventDefault()
  })
  void win.loadURL(location.url)
  return win
}
