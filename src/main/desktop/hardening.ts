import { APP_SCHEME } from './app-origin'
import { createAppProtocolHandler, type ReadFile } from './app-protocol'
import { devCsp } from './csp'
import type {
  AppPort,
  CancellableNavigation,
  ProtocolHandlerPort,
  ProtocolRegistryPort,
  SessionPort,
  ShellPort,
  WebContentsPort,
} from './electron-port'
import { isAllowedExternalUrl } from './external-links'
import type { RendererLocation } from './renderer-location'

/**
 * `app:` as a standard (relative URLs and a real origin), secure (a secure context, like
 * https) scheme that supports fetch. Not `corsEnabled`, so no other origin can read our
 * files; not `bypassCSP`, so the handler's CSP holds. Must run before the app is ready.
 */
export function registerAppScheme(protocol: ProtocolRegistryPort): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ])
}

/** Serves the built renderer (`rendererRoot`, i.e. out/renderer) on app://candlework/. */
export function serveRenderer(protocol: ProtocolHandlerPort, rendererRoot: string, readFile: ReadFile): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererRoot, readFile))
}

/**
 * No web permission is ever granted, asked or merely checked (camera, notifications,
 * clipboard reads, geolocation, HID...): the renderer needs none, and alerts reach the
 * desktop through the main process's Notification, not the web API. In `npm run dev` the
 * dev server's pages get the dev CSP as a header, since we do not serve them.
 */
export function hardenSession(session: SessionPort, location: RendererLocation): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  if (location.dev) {
    const csp = devCsp(location.origin)
    session.webRequest.onHeadersReceived({ urls: [`${location.origin}/*`] }, (details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
    })
  }
}

/**
 * Every webContents the app ever creates (our window, and any other that appears) gets the
 * same rules: no new windows (an allowed https link opens in the trader's browser instead),
 * no navigation or redirect away from our origin in any frame, and no <webview>.
 */
export function hardenWebContents(app: AppPort, shell: ShellPort, location: RendererLocation): void {
  const openOutside = (url: string) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url).catch(() => undefined)
  }
  const stayHome = (details: CancellableNavigation) => {
    if (!location.isTrusted(details.url)) details.preventDefault()
  }
  app.on('web-contents-created', (_event, contents: WebContentsPort) => {
    contents.setWindowOpenHandler(({ url }) => {
      openOutside(url)
      return { action: 'deny' }
    })
    contents.on('will-navigate', (details) => {
      if (location.isTrusted(details.url)) return
      details.preventDefault()
      openOutside(details.url)
    })
    contents.on('will-frame-navigate', stayHome)
    contents.on('will-redirect', stayHome)
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
}
