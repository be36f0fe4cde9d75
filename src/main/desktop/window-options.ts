import type { BrowserWindowConstructorOptions } from 'electron'

/**
 * The main window's options. The web preferences are the Electron security checklist's
 * (docs/SECURITY.md): isolated, sandboxed, no Node, web security on, no insecure content,
 * no experimental features, no <webview>, and dropped files never navigate the window.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    backgroundColor: '#0e1117',
    title: 'Candlework',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  }
}
