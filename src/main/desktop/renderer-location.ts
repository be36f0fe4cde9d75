import { APP_ENTRY_URL, APP_ORIGIN, isSameOrigin, originOf } from './app-origin'

export interface RendererLocation {
  /** What the main window loads. */
  url: string
  /** The one origin whose pages may navigate, talk over IPC, and receive our headers. */
  origin: string
  /** True when the page is the Vite dev server (`npm run dev`), not our app:// files. */
  dev: boolean
  isTrusted(url: string): boolean
}

/**
 * Where the renderer comes from. `ELECTRON_RENDERER_URL` (set by `electron-vite dev`) is
 * honoured only in an unpackaged app, and only when it names an http(s) server on loopback:
 * a packaged app ignores the environment entirely, so nobody can point an installed
 * Candlework at another site by setting a variable.
 */
export function rendererLocation(opts: {
  isPackaged: boolean
  devUrl?: string | undefined
}): RendererLocation {
  const devOrigin = !opts.isPackaged && opts.devUrl ? originOf(opts.devUrl) : null
  if (opts.devUrl && devOrigin && isLoopbackHttp(opts.devUrl)) {
    return { url: opts.devUrl, origin: devOrigin, dev: true, isTrusted: (u) => isSameOrigin(u, devOrigin) }
  }
  return { url: APP_ENTRY_URL, origin: APP_ORIGIN, dev: false, isTrusted: (u) => isSameOrigin(u, APP_ORIGIN) }
}

function isLoopbackHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url)
  return (
    (protocol === 'http:' || protocol === 'https:') &&
    (hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname))
  )
}
