import type {
  AppPort,
  CancellableNavigation,
  HeadersReceivedDetails,
  MenuItemTemplate,
  PreventableEvent,
  SaveDialogOptions,
  SchemePrivileges,
  SessionPort,
  WebContentsPort,
} from '../../src/main/desktop/electron-port'

type NavigationEvent = 'will-navigate' | 'will-frame-navigate' | 'will-redirect'

/** A webContents that records its handlers so a test can fire Electron's events at it. */
export class FakeWebContents implements WebContentsPort {
  windowOpenHandler?: (details: { url: string }) => { action: 'deny' }
  private readonly listeners = new Map<string, ((e: never) => void)[]>()

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler
  }

  on(event: NavigationEvent, listener: (details: CancellableNavigation) => void): this
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): this
  on(event: string, listener: (e: never) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
    return this
  }

  /** Fires `event` and says whether any listener cancelled it. */
  fire(event: NavigationEvent | 'will-attach-webview', url = ''): boolean {
    let prevented = false
    const e = { url, preventDefault: () => (prevented = true) }
    const ls = this.listeners.get(event) ?? []
    if (ls.length === 0) throw new Error(`nothing listens to ${event}`)
    for (const l of ls) (l as (e: CancellableNavigation) => void)(e)
    return prevented
  }
}

export class FakeApp implements AppPort {
  private created?: (event: unknown, contents: WebContentsPort) => void
  on(_event: 'web-contents-created', listener: (event: unknown, contents: WebContentsPort) => void): this {
    this.created = listener
    return this
  }
  /** Electron creating a webContents (a window, a devtools view, anything). */
  createWebContents(): FakeWebContents {
    const contents = new FakeWebContents()
    if (!this.created) throw new Error('nothing listens to web-contents-created')
    this.created({}, contents)
    return contents
  }
}

export class FakeSession implements SessionPort {
  requestHandler?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void
  checkHandler?: (contents: unknown, permission: string) => boolean
  headerListeners: {
    filter: { urls: string[] }
    listener: (d: HeadersReceivedDetails, cb: (r: object) => void) => void
  }[] = []
  setPermissionRequestHandler(handler: FakeSession['requestHandler']): void {
    this.requestHandler = handler
  }
  setPermissionCheckHandler(handler: FakeSession['checkHandler']): void {
    this.checkHandler = handler
  }
  webRequest = {
    onHeadersReceived: (
      filter: { urls: string[] },
      listener: (d: HeadersReceivedDetails, cb: (r: object) => void) => void,
    ): void => {
      this.headerListeners.push({ filter, listener })
    },
  }
}

export class FakeProtocol {
  registered: { scheme: string; privileges?: SchemePrivileges }[] = []
  handlers = new Map<string, (request: Request) => Promise<Response>>()
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: SchemePrivileges }[]): void {
    this.registered.push(...schemes)
  }
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    this.handlers.set(scheme, handler)
  }
}

export class FakeShell {
  opened: string[] = []
  async openExternal(url: string): Promise<void> {
    this.opened.push(url)
  }
}

/** A notification that records being shown; `click()` is the trader clicking it. */
export class FakeNotification {
  shown = false
  private clicks: (() => void)[] = []
  constructor(readonly options: { title: string; body: string; silent?: boolean }) {}
  on(_event: 'click', listener: () => void): this {
    this.clicks.push(listener)
    return this
  }
  show(): void {
    this.shown = true
  }
  click(): void {
    for (const c of this.clicks) c()
  }
}

export class FakeNotifications {
  made: FakeNotification[] = []
  constructor(private readonly supported = true) {}
  isSupported(): boolean {
    return this.supported
  }
  create(options: { title: string; body: string; silent?: boolean }): FakeNotification {
    const n = new FakeNotification(options)
    this.made.push(n)
    return n
  }
}

/** A tray that keeps its tooltip and menu as set; `pick(label)` clicks a menu item. */
export class FakeTray {
  tooltip = ''
  menu: MenuItemTemplate[] = []
  destroyed = false
  private clicks: (() => void)[] = []
  setToolTip(text: string): void {
    this.tooltip = text
  }
  setContextMenu(template: readonly MenuItemTemplate[]): void {
    this.menu = [...template]
  }
  on(_event: 'click', listener: () => void): this {
    this.clicks.push(listener)
    return this
  }
  destroy(): void {
    this.destroyed = true
  }
  click(): void {
    for (const c of this.clicks) c()
  }
  labels(): string[] {
    return this.menu.filter((i) => i.type !== 'separator').map((i) => i.label ?? '')
  }
  pick(label: string | RegExp): void {
    const item = this.menu.find((i) =>
      typeof label === 'string' ? i.label === label : label.test(i.label ?? ''),
    )
    if (!item?.click) throw new Error(`no menu item ${String(label)} in ${this.labels().join(' | ')}`)
    item.click()
  }
}

/** A window that records being shown, focused and hidden; `close()` is the trader closing it. */
export class FakeWindow {
  calls: string[] = []
  minimized = false
  closed = false
  /** The page it shows, and what main sent it on which channel. */
  url = 'app://candlework/index.html'
  sent: { channel: string; message: unknown }[] = []
  webContents = {
    send: (channel: string, message: unknown): void => {
      this.sent.push({ channel, message })
    },
    getURL: (): string => this.url,
    isDestroyed: (): boolean => this.closed,
  }
  private closeListeners: ((e: PreventableEvent) => void)[] = []
  show(): void {
    this.calls.push('show')
  }
  focus(): void {
    this.calls.push('focus')
  }
  hide(): void {
    this.calls.push('hide')
  }
  isMinimized(): boolean {
    return this.minimized
  }
  restore(): void {
    this.minimized = false
    this.calls.push('restore')
  }
  isDestroyed(): boolean {
    return this.closed
  }
  on(_event: 'close', listener: (e: PreventableEvent) => void): this {
    this.closeListeners.push(listener)
    return this
  }
  /** Closes it unless a listener prevents that; says whether it closed. */
  close(): boolean {
    let prevented = false
    for (const l of this.closeListeners) l({ preventDefault: () => (prevented = true) })
    if (!prevented) this.closed = true
    return !prevented
  }
}

/** `app`'s lifecycle: the AppUserModelID set, quit asked, and `quit()` firing before-quit like Electron. */
export class FakeLifecycle {
  appUserModelId: string | null = null
  quitAsked = 0
  private beforeQuit: (() => void)[] = []
  setAppUserModelId(id: string): void {
    this.appUserModelId = id
  }
  on(_event: 'before-quit', listener: () => void): this {
    this.beforeQuit.push(listener)
    return this
  }
  quit(): void {
    this.quitAsked++
    for (const l of this.beforeQuit) l()
  }
}

export class FakePowerMonitor {
  private resumes: (() => void)[] = []
  on(_event: 'resume', listener: () => void): this {
    this.resumes.push(listener)
    return this
  }
  /** The machine waking up. */
  resume(): void {
    for (const l of this.resumes) l()
  }
}

/**
 * `dialog.showSaveDialog`: records what it was asked and answers with `answer` (a path, or null
 * for the trader dismissing it); `hold()` makes the next call wait until `release()`.
 */
export class FakeSaveDialog {
  asked: SaveDialogOptions[] = []
  answer: string | null = null
  private held: (() => void) | null = null
  private holding = false
  readonly port = async (options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }> => {
    this.asked.push(options)
    if (this.holding) await new Promise<void>((resolve) => (this.held = resolve))
    return this.answer === null ? { canceled: true } : { canceled: false, filePath: this.answer }
  }
  hold(): void {
    this.holding = true
  }
  release(): void {
    this.holding = false
    this.held?.()
  }
}
