import { BrowserWindow, Menu, Notification, Tray, dialog, nativeImage } from 'electron'
import { join } from 'node:path'
import type { ConfirmPort, NotificationsPort, SaveDialogPort, TrayPort } from './electron-port'

/**
 * Electron's Notification and Tray behind the desktop's ports (electron-port.ts): the only
 * glue here, so everything deciding what they show is tested with fakes.
 */
export const electronNotifications: NotificationsPort = {
  isSupported: () => Notification.isSupported(),
  create: (options) => new Notification(options),
}

/** The tray icon: shipped beside app.asar by electron-builder (extraResources), else the source's. */
export function trayIconPath(isPackaged: boolean, appPath: string, resourcesPath: string): string {
  return isPackaged ? join(resourcesPath, 'icon.png') : join(appPath, 'resources', 'icon.png')
}

export function electronTray(iconPath: string): TrayPort {
  const tray = new Tray(nativeImage.createFromPath(iconPath).resize({ width: 16, height: 16 }))
  return {
    setToolTip: (text) => tray.setToolTip(text),
    setContextMenu: (template) => tray.setContextMenu(Menu.buildFromTemplate([...template])),
    on: (event, listener) => tray.on(event, listener),
    destroy: () => tray.destroy(),
  }
}

/** A native warning box with Cancel as the default button: a stray Enter does not confirm. */
export const electronConfirm: ConfirmPort = async ({ title, message, detail, confirmLabel }) => {
  const { response } = await dialog.showMessageBox({
    type: 'warning',
    title,
    message,
    detail,
    buttons: ['Cancel', confirmLabel],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  })
  return response === 1
}

/** The save dialog, modal to the focused window when there is one. */
export const electronSaveDialog: SaveDialogPort = (options) => {
  const win = BrowserWindow.getFocusedWindow()
  return win ? dialog.showSaveDialog(win, options) : dialog.showSaveDialog(options)
}
