/** The Electron shell: window, IPC transport and lifecycle around the same engine. */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  powerMonitor,
  protocol,
  safeStorage,
  session,
  shell,
} from 'electron'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { hardenSession, hardenWebContents, registerAppScheme, serveRenderer } from './desktop/hardening'
import { electronSqliteBinding } from './desktop/native-binding'
import { serveIpc } from './desktop/ipc-transport'
import { rendererLocation } from './desktop/renderer-location'
import { createMainWindow } from './desktop/window'
import { sqliteSettings } from './desktop/desktop-settings'
import { DesktopShell } from './desktop/desktop-shell'
import {
  electronConfirm,
  electronNotifications,
  electronSaveDialog,
  electronTray,
  trayIconPath,
} from './desktop/electron-adapters'
import { DESKTOP_PROBE_ENV, probeDesktopPorts } from './desktop/e2e-probe'
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
const nativePorts = {
  notifications: electronNotifications,
  createTray: () => electronTray(trayIconPath(app.isPackaged, app.getAppPath(), process.resourcesPath)),
}
// Test build only, and only when asked: the _electron test reads the tray and notifications (e2e-probe.ts).
const probed =
  __CANDLEWORK_TEST_HOOK__ && process.env[DESKTOP_PROBE_ENV] === '1'
    ? probeDesktopPorts(nativePorts)
    : nativePorts
// Notifications, the tray, closing to the tray and wake (desktop-shell.ts).
const desktop = new DesktopShell({
  platform: process.platform,
  app,
  notifications: probed.notifications,
  // Read only once ready (start): powerMonitor cannot be used before.
  power: { on: (event, listener) => powerMonitor.on(event, listener) },
  createTray: probed.createTray,
  isTrustedUrl: (url) => location.isTrusted(url),
  confirm: electronConfirm,
  saveDialog: electronSaveDialog,
  exportsFolder: () => app.getPath('downloads'),
  onError: (message, err) => engine?.log.warn(message, err),
})

app.whenReady().then(
  () => {
    try {
      const dataDir = app.getPath('userData')
      engine = createEngine({
        dataDir,
        host: 'desktop',
        secrets: createSafeStorageStore({ file: desktopSecretsFile(dataDir), safeStorage }),
        nativeBinding: electronSqliteBinding(app.getAppPath(), process.resourcesPath),
        notifier: desktop.notifier,
        chooseExportFile: (q) => desktop.chooseExportFile(q),
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
    const running = engine
    desktop.start(
      { registry: running.registry, settings: sqliteSettings(running.db), resume: () => running.resume() },
      createMainWindow(preloadPath, location),
    )
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0)
        desktop.setWindow(createMainWindow(preloadPath, location))
      else desktop.showWindow()
    })
  },
  (err: unknown) => {
    console.error(err)
    app.exit(1)
  },
)

app.on('second-instance', () => desktop.showWindow())
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
// Quit waits for the engine to close its exchange connections and checkpoint the database.
app.on('will-quit', (event) => {
  if (!engine) return
  event.preventDefault()
  stopIpc?.()
  desktop.close()
  const closing = engine
  engine = undefined
  void closing.close().finally(() => app.exit(0))
})
