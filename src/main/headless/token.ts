import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { TOKEN_PATTERN } from '../../shared/rpc/ws-auth'
import { ensurePrivateDir } from '../paths'
import { writeFileAtomic } from '../secrets/atomic-file'

/** Where a data folder keeps the headless host's access token (0600, owner only). */
export const tokenFile = (dataDir: string): string => join(dataDir, 'headless-token')

/** The token kept in `dataDir`, or null when there is none (or the file holds something else). */
export function readToken(dataDir: string): string | null {
  try {
    const token = readFileSync(tokenFile(dataDir), 'utf8').trim()
    return TOKEN_PATTERN.test(token) ? token : null
  } catch {
    return null
  }
}

/** The headless host's access token: made once per data folder, readable only by its owner. */
export function loadOrCreateToken(dataDir: string): string {
  return readToken(dataDir) ?? writeNewToken(dataDir)
}

/**
 * Replaces the token with a new random one. Written atomically (a host watching the file never
 * reads half of it) and 0600 whatever the umask. A running host on this folder notices and
 * closes every connection that used the old one.
 */
export function writeNewToken(dataDir: string): string {
  const token = randomBytes(32).toString('hex')
  ensurePrivateDir(dataDir) // `new-token` may be the first thing to touch a data folder
  writeFileAtomic(tokenFile(dataDir), token + '\n', 0o600)
  return token
}

/** Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}
