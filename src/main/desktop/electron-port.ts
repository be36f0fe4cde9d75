/**
 * The few Electron methods the desktop shell's security glue calls, as plain interfaces. The
 * real `electron` objects satisfy them (src/main/index.ts passes them in); tests pass fakes,
 * because importing `electron` under Node would try to download its binary.
 */

/** A navigation Electron lets us cancel (`will-navigate`, `will-frame-navigate`, `will-redirect`). */
export interface CancellableNavigation {
  readonly url: string
  preventDefault(): void
}

export interface PreventableEvent {
  preventDefault(): void
}

export interface WebContentsPort {
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
  on(event: 'will-navigate', listener: (details: CancellableNavigation) => void): unknown
  on(event: 'will-frame-navigate', listener: (details: CancellableNavigation) => void): unknown
  on(event: 'will-redirect', listener: (details: CancellableNavigation) => void): unknown
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown
}

export interface AppPort {
  on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsPort) => void): unknown
}

export interface ShellPort {
  openExternal(url: string): Promise<void>
}

export interface SchemePrivileges {
  standard?: boolean
  secure?: boolean
  supportFetchAPI?: boolean
  corsEnabled?: boolean
  bypassCSP?: boolean
  allowServiceWorkers?: boolean
  stream?: boolean
  codeCache?: boolean
}

export interface ProtocolRegistryPort {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: SchemePrivileges }[]): void
}

export interface ProtocolHandlerPort {
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void
}

export interface HeadersReceivedDetails {
  responseHeaders?: Record<string, string[]>
}

export interface SessionPort {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void
  webRequest: {
    onHeadersReceived(
      filter: { urls: string[] },
      listener: (
        details: HeadersReceivedDetails,
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void,
    ): void
  }
}

/** A native notification (Electron's `Notification`): shown once, clicked perhaps. */
export interface NotificationPort {
  on(event: 'click', listener: () => void): unknown
  show(): void
}

/** Makes notifications (`new Notification(options)`), where the system has them. */
export interface NotificationsPort {
  isSupported(): boolean
  create(options: { title: string; body: string; silent?: boolean }): NotificationPort
}

/** One item of a tray menu, as `Menu.buildFromTemplate` takes it (the fields used here). */
export interface MenuItemTemplate {
  label?: string
  type?: 'normal' | 'separator' | 'checkbox'
  checked?: boolean
  enabled?: boolean
  click?: () => void
}

/** The tray icon (Electron's `Tray`) with its menu built by `Menu.buildFromTemplate`. */
/** A native question with a confirm and a cancel button; resolves true when confirmed. */
export type ConfirmPort = (q: {
  title: string
  message: string
  detail: string
  confirmLabel: string
}) => Promise<boolean>

export interface TrayPort {
  setToolTip(text: string): void
  setContextMenu(template: readonly MenuItemTemplate[]): void
  on(event: 'click', listener: () => void): unknown
  destroy(): void
}

/** The main window, as the tray and notifications show it and closing hides it. */
export interface WindowPort {
  show(): void
  focus(): void
  hide(): void
  isMinimized(): boolean
  restore(): void
  isDestroyed(): boolean
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown
  /** Its page, for main's own messages to it (`IPC_DESKTOP_MESSAGE`). */
  webContents: {
    send(channel: string, message: unknown): void
    getURL(): string
    isDestroyed(): boolean
  }
}

/** What `dialog.showSaveDialog` is asked (the fields used here). */
export interface SaveDialogOptions {
  title: string
  defaultPath: string
  buttonLabel: string
  filters: { name: string; extensions: string[] }[]
}

/**
 * Electron's `dialog.showSaveDialog` (modal to the focused window): the path chosen, or
 * `canceled`. The system's dialog asks before replacing an existing file.
 */
export type SaveDialogPort = (options: SaveDialogOptions) => Promise<{ canceled: boolean; filePath?: string }>

/** Electron's `powerMonitor`. */
export interface PowerMonitorPort {
  on(event: 'resume', listener: () => void): unknown
}

/** What the tray and the lifecycle need of Electron's `app`. */
export interface AppLifecyclePort {
  setAppUserModelId(id: string): void
  on(event: 'before-quit', listener: () => void): unknown
  quit(): void
}
