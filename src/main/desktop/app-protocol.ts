import { DESKTOP_CSP } from './csp'
import { contentTypeOf, resolveAppFile } from './app-files'

/** Headers on every app:// response, files and refusals alike. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': DESKTOP_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  }
}

export type ReadFile = (path: string) => Promise<Uint8Array>

/**
 * The `protocol.handle('app', ...)` handler: GET and HEAD for files under `root` (the built
 * renderer, `out/renderer`), with the CSP as a header; anything outside the folder, missing
 * or unreadable (a directory, say) is a 404 that says nothing about why. It reads through
 * `readFile` so it runs under Vitest on real files and in Electron (whose fs reads app.asar).
 */
export function createAppProtocolHandler(
  root: string,
  readFile: ReadFile,
): (request: Request) => Promise<Response> {
  const refuse = (status: number) =>
    new Response(status === 404 ? 'Not found' : 'Method not allowed', {
      status,
      headers: appResponseHeaders('text/plain; charset=utf-8'),
    })
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405)
    const file = resolveAppFile(root, request.url)
    if (!file) return refuse(404)
    let body: Uint8Array
    try {
      body = await readFile(file)
    } catch {
      return refuse(404)
    }
    const headers = appResponseHeaders(contentTypeOf(file))
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers })
  }
}
