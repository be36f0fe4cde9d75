/**
 * Content-Security-Policy for the desktop renderer, sent as a response header by the app://
 * protocol handler. The desktop page talks to the engine only over IPC, so it may connect
 * nowhere (`connect-src 'none'`); scripts and styles come only from our own files.
 * `style-src 'unsafe-inline'` is for React's style attributes and the chart's canvas sizing.
 */
const DIRECTIVES: readonly (readonly [string, string])[] = [
  ['default-src', "'self'"],
  ['script-src', "'self'"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data:"],
  ['connect-src', "'none'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'none'"],
  ['form-action', "'none'"],
]

export const DESKTOP_CSP = DIRECTIVES.map(([name, value]) => `${name} ${value}`).join('; ')

/**
 * The policy for the Vite dev server in `npm run dev` (never in a packaged app): React's
 * fast-refresh preamble is an inline script and hot reload talks over a WebSocket to the dev
 * server itself, so those two directives are relaxed for that origin only.
 */
export function devCsp(devOrigin: string): string {
  const ws = devOrigin.replace(/^http/, 'ws')
  return DIRECTIVES.map(([name, value]) => {
    if (name === 'script-src') return `${name} 'self' 'unsafe-inline'`
    if (name === 'connect-src') return `${name} 'self' ${ws}`
    return `${name} ${value}`
  }).join('; ')
}
