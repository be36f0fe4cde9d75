import { createReadStream, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { pipeline } from 'node:stream'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/** `served`; `not-found` (no such file, or outside `root`); `bad-path` (not a decodable path). */
export type StaticOutcome = 'served' | 'not-found' | 'bad-path'

/**
 * Serves a file of the built renderer from `root`; `/` is index.html. These files hold no
 * secret, so they need no token: the page takes its token from the URL fragment. Headers set on
 * `res` beforehand (the security headers) go out with the file.
 *
 * `urlPath` comes from the network: malformed percent-encoding (`/%`), encoded bytes that are
 * not UTF-8 (`/%ff`) and NUL bytes are answered as `bad-path`, never thrown.
 */
export function serveStatic(
  root: string,
  urlPath: string,
  method: string,
  res: ServerResponse,
): StaticOutcome {
  let rel: string
  try {
    rel = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath).replace(/^\/+/, '')
  } catch {
    return 'bad-path'
  }
  if (rel.includes('\0')) return 'bad-path'
  const file = normalize(join(root, rel))
  if (!file.startsWith(normalize(root) + sep)) return 'not-found'
  let size: number
  try {
    const st = statSync(file)
    if (!st.isFile()) return 'not-found'
    size = st.size
  } catch {
    return 'not-found'
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': size,
    // The shell is never cached (a new build must reach the trader); hashed assets forever.
    'Cache-Control': rel === 'index.html' ? 'no-store' : 'public, max-age=31536000, immutable',
  })
  if (method === 'HEAD') {
    res.end()
    return 'served'
  }
  // A file removed between stat and read, or a client gone mid-file: drop this response only.
  pipeline(createReadStream(file), res, (err) => {
    if (err) res.destroy()
  })
  return 'served'
}
