import type {
  AppPort,
  CancellableNavigation,
  HeadersReceivedDetails,
  PreventableEvent,
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
