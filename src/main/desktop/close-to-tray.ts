import type { AppLifecyclePort, WindowPort } from './electron-port'

/**
 * Closing the window hides it while `keep()` says so (the tray setting), so the engine keeps
 * running and alerts keep firing; a real quit (the tray's Quit, the OS asking) closes it.
 */
export function keepRunningInTray(app: AppLifecyclePort, win: WindowPort, keep: () => boolean): void {
  let quitting = false
  app.on('before-quit', () => {
    quitting = true
  })
  win.on('close', (event) => {
    if (quitting || !keep()) return
    event.preventDefault()
    win.hide()
  })
}

/** Shows the window, restored and focused (from the tray, a notification, a second launch). */
export function showWindow(win: WindowPort | null): void {
  if (!win || win.isDestroyed()) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}
