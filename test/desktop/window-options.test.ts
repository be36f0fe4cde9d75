import { describe, expect, it } from 'vitest'
import { mainWindowOptions } from '../../src/main/desktop/window-options'

describe('the main window', () => {
  it('is isolated, sandboxed, without Node, <webview> or insecure content', () => {
    const prefs = mainWindowOptions('/app/out/preload/index.cjs').webPreferences
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
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
    })
    expect(prefs).not.toHaveProperty('enableBlinkFeatures')
  })
})
