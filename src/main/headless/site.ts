import { isIPv6 } from 'node:net'
import { hostname, networkInterfaces } from 'node:os'

/**
 * The names and port a headless host answers to. A request naming anything else in its Host
 * header is refused: that is how DNS rebinding is stopped (a page on `evil.example` whose name
 * its owner re-points at 127.0.0.1 reaches our port, but its requests still say
 * `Host: evil.example`), and it keeps the origins a browser may open our WebSocket from exact.
 */
export interface Site {
  readonly scheme: 'http' | 'https'
  readonly port: number
  /** Lower case; IPv6 addresses in brackets, as they appear in Host headers and URLs. */
  readonly names: ReadonlySet<string>
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]']
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]'])

/**
 * The site of a host asked to listen on `requestedHost` (the `--host` value) and bound to
 * `boundAddress`: the loopback names, both of those, and, for a wildcard address (`0.0.0.0`,
 * `::`), every address of this machine and its host name.
 */
export function siteFor(options: {
  scheme: 'http' | 'https'
  port: number
  requestedHost: string
  boundAddress: string
}): Site {
  const names = new Set(LOOPBACK_NAMES)
  const add = (name: string): void => void names.add(asHostName(name))
  add(options.requestedHost)
  add(options.boundAddress)
  if (WILDCARDS.has(options.requestedHost) || WILDCARDS.has(options.boundAddress)) {
    for (const list of Object.values(networkInterfaces())) {
      for (const entry of list ?? []) if (!entry.address.includes('%')) add(entry.address)
    }
    add(hostname())
  }
  return { scheme: options.scheme, port: options.port, names }
}

/** `name` as it appears in a Host header: lower case, IPv6 in brackets. */
export function asHostName(name: string): string {
  const lower = name.toLowerCase()
  return isIPv6(lower) ? `[${lower}]` : lower
}

const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i

/** Whether a Host header (or an origin's host part) names this site: one of its names and its port. */
export function hostAllowed(site: Site, host: string | undefined): boolean {
  if (!host) return false
  const match = HOST_HEADER.exec(host)
  if (!match) return false
  const port = match[2] === undefined ? defaultPort(site.scheme) : Number(match[2])
  return port === site.port && site.names.has(match[1]!.toLowerCase())
}

/** Whether an Origin header is this site's own origin (same scheme, one of its names, its port). */
export function originAllowed(site: Site, origin: string | undefined): boolean {
  if (!origin) return false
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return false // includes the "null" origin of sandboxed frames and file: pages
  }
  return url.protocol === `${site.scheme}:` && hostAllowed(site, url.host)
}

/**
 * The WebSocket origins of the site, for the CSP's `connect-src`. IPv6 literals are left out:
 * CSP source expressions cannot spell them (Chromium drops `ws://[::1]:…` as invalid), and a
 * page opened on one reaches its own WebSocket through `'self'`, which covers ws: of its origin.
 */
export function wsOrigins(site: Site): string[] {
  const scheme = site.scheme === 'https' ? 'wss' : 'ws'
  const port = site.port === defaultPort(site.scheme) ? '' : `:${site.port}`
  return [...site.names].filter((name) => !name.startsWith('[')).map((name) => `${scheme}://${name}${port}`)
}

function defaultPort(scheme: 'http' | 'https'): number {
  return scheme === 'https' ? 443 : 80
}
