/** The Electron shell: window, IPC transport and lifecycle around the same engine. */
import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { hardenSession, hardenWebContents, registerAppScheme, serveRenderer } from './desktop/hardening'
import { electronSqliteBinding } from './desktop/native-binding'
import { serveIpc } from './desktop/ipc-transport'
import { rendererLocation } from './desktop/renderer-location'
import { createMainWindow } from './desktop/window'
import { createEngine, type Engine } from './engine'
import { logCrashes } from './log'
import { desktopSecretsFile } from './paths'
import { createSafeStorageStore } from './secrets/safe-storage'

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const preloadPath = join(outDir, 'preload', 'index.cjs')
app.setName('Candlework')

if (!app.requestSingleInstanceLock()) app.quit()

// Before ready: the app:// scheme's privileges can only be registered now, and every
// webContents (ours or any other) must be hardened from the moment it exists.
const location = rendererLocation({ isPackaged: app.isPackaged, devUrl: process.env.ELECTRON_RENDERER_URL })
registerAppScheme(protocol)
hardenWebContents(app, shell, location)

let engine: Engine | undefined
let stopIpc: (() => void) | undefined

app.whenReady().then(
  () => {
    try {
      const dataDir = app.getPath('userData')
      engine = createEngine({
        dataDir,
        host: 'desktop',
        secrets: createSafeStorageStore({ file: desktopSecretsFile(dataDir), safeStorage }),
        nativeBinding: electronSqliteBinding(app.getAppPath(), process.resourcesPath),
      })
      logCrashes(engine.log)
    } catch (err) {
      dialog.showErrorBox('Candlework cannot start', err instanceof Error ? err.message : String(err))
      app.exit(1)
      return
    }
    hardenSession(session.defaultSession, location)
    serveRenderer(session.defaultSession.protocol, join(outDir, 'renderer'), readFile)
    stopIpc = serveIpc(ipcMain, engine.registry, location.isTrusted)
    createMainWindow(preloadPath, location)
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow(preloadPath, location)
    })
  },
  (err: unknown) => {
    console.error(err)
    app.exit(1)
  },
)

app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus())
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
// Quit waits for the engine to close its exchange connections and checkpoint the database.
app.on('will-quit', (event) => {
  if (!engine) return
  event.preventDefault()
  stopIpc?.()
  const closing = engine
  engine = undefined
  void closing.close().finally(() => app.exit(0))
})
