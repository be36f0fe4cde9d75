/** The Electron shell: window, IPC transport and lifecycle around the same engine. */
import { app, BrowserWindow, dialog, safeStorage } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { electronSqliteBinding } from './desktop/native-binding'
import { serveIpc } from './desktop/ipc-transport'
import { createMainWindow, rendererLocation } from './desktop/window'
import { createEngine, type Engine } from './engine'
import { desktopSecretsFile } from './paths'
import { createSafeStorageStore } from './secrets/safe-storage'

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..')
app.setName('Candlework')

if (!app.requestSingleInstanceLock()) app.quit()

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
    } catch (err) {
      dialog.showErrorBox('Candlework cannot start', err instanceof Error ? err.message : String(err))
      app.exit(1)
      return
    }
    const location = rendererLocation(outDir)
    stopIpc = serveIpc(engine.registry, location.isTrusted)
    createMainWindow(outDir, location)
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow(outDir, location)
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
