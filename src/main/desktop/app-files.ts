import { extname, isAbsolute, relative, resolve, sep } from 'node:path'
import { APP_HOST, APP_SCHEME } from './app-origin'

/**
 * Maps an `app://candlework/...` URL to a file under the renderer folder, or null. Pure: no
 * file is touched. The decoded path is resolved against the root and must stay inside it,
 * so `..`, `%2e%2e`, `..%2f` and absolute paths cannot reach another file; a backslash or a
 * NUL byte is refused outright (a separator on Windows; a truncation trick for C APIs).
 */
export function resolveAppFile(root: string, url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.hostname !== APP_HOST) return null
  if (parsed.username || parsed.password || parsed.port) return null
  let path: string
  try {
    path = decodeURIComponent(parsed.pathname)
  } catch {
    return null // malformed percent-encoding
  }
  if (path.includes('\\') || path.includes('\0')) return null
  if (path === '/' || path === '') path = '/index.html'
  const base = resolve(root)
  const file = resolve(base, '.' + path)
  return isInside(base, file) ? file : null
}

/** True when `file` lies strictly below `root` (after both are resolved); the root itself is a folder, never a file to serve. */
export function isInside(root: string, file: string): boolean {
  const rel = relative(resolve(root), resolve(file))
  return rel !== '' && !rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel)
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

/** The Content-Type for a served file; unknown types are opaque bytes (and nosniff holds them so). */
export function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}
