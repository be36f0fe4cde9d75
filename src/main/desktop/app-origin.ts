/**
 * The desktop renderer's one origin. Pages are served from `app://candlework/` by our own
 * protocol handler (app-protocol.ts), never from `file://`, so the origin is a fixed string
 * that navigation and IPC sender checks compare against exactly.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'candlework'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/**
 * The origin of `url` as Chromium would compute it for the schemes we care about: http(s)
 * (the dev server) and our `app:` scheme; anything else (file:, data:, about:, javascript:,
 * unparseable) has no origin we could ever trust. Node's URL treats `app:` as a non-special
 * scheme (its `origin` is "null"), hence the explicit branch; credentials or a port on an
 * `app:` URL are refused rather than ignored.
 */
export function originOf(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin
  if (parsed.protocol !== `${APP_SCHEME}:`) return null
  if (parsed.username || parsed.password || parsed.port || !parsed.hostname) return null
  return `${APP_SCHEME}://${parsed.hostname}`
}

/** True when `url` is on exactly `origin` (scheme, host and port). */
export function isSameOrigin(url: string, origin: string): boolean {
  return originOf(url) === origin
}
