import { BrowserWindow } from 'electron'
import type { RendererLocation } from './renderer-location'
import { mainWindowOptions } from './window-options'

/**
 * The main window. Its options are in window-options.ts; what it may navigate to, open or
 * attach is decided for every webContents in hardening.ts.
 */
export function createMainWindow(preloadPath: string, location: RendererLocation): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(preloadPath))
  win.once('ready-to-show', () => win.show())
  void win.loadURL(location.url)
  return win
}
