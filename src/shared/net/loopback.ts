/**
 * Loopback detection for the whole app, pure (no node builtins, so the contract can use it too):
 * the rule for plain-http exchange URLs, for `--host` of the headless host and for whether a
 * socket's peer is on this machine.
 */

const IPV4_PART = /^(0|[1-9][0-9]{0,2})$/

/** The four octets of a dotted-decimal IPv4 address, or null. Leading zeros are refused: some resolvers read them as octal. */
function ipv4(text: string): number[] | null {
  const parts = text.split('.')
  if (parts.length !== 4) return null
  const out: number[] = []
  for (const p of parts) {
    if (!IPV4_PART.test(p)) return null
    const n = Number(p)
    if (n > 255) return null
    out.push(n)
  }
  return out
}

/** The eight 16-bit groups of an IPv6 address (`::` and a dotted IPv4 tail allowed), or null. */
function ipv6(text: string): number[] | null {
  if (text.includes('%')) return null // a zone id names an interface, not an address we can judge
  let tail: number[] = []
  let body = text
  const lastColon = text.lastIndexOf(':')
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    const v4 = ipv4(text.slice(lastColon + 1))
    if (!v4) return null
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!]
    body = text.slice(0, lastColon + 1)
    // `::1.2.3.4` leaves `::`; `a:b:...:f:1.2.3.4` leaves a trailing single colon to drop.
    if (!body.endsWith('::')) body = body.slice(0, -1)
  }
  const halves = body.split('::')
  if (halves.length > 2) return null
  const groups = (s: string): number[] | null => {
    if (s === '') return []
    const out: number[] = []
    for (const g of s.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return null
      out.push(parseInt(g, 16))
    }
    return out
  }
  const head = groups(halves[0]!)
  if (!head) return null
  if (halves.length === 1) {
    const all = [...head, ...tail]
    return all.length === 8 ? all : null
  }
  const rest = groups(halves[1]!)
  if (!rest) return null
  const fill = 8 - head.length - rest.length - tail.length
  if (fill < 1) return null
  return [...head, ...new Array<number>(fill).fill(0), ...rest, ...tail]
}

/**
 * Whether `host` names this computer: `localhost`, an IPv4 address in 127.0.0.0/8, or the IPv6
 * loopback `::1` (with or without brackets; also `::ffff:127.x.y.z`, the IPv4-mapped form). Exact,
 * never by prefix: `127.evil.example` and `localhost.evil.com` are names anyone can point anywhere.
 */
export function isLoopbackHost(host: string): boolean {
  let h = host.toLowerCase()
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1)
  if (h === 'localhost') return true
  const v4 = ipv4(h)
  if (v4) return v4[0] === 127
  const v6 = ipv6(h)
  if (!v6) return false
  const zeros = (n: number) => v6.slice(0, n).every((g) => g === 0)
  if (zeros(7) && v6[7] === 1) return true
  return zeros(5) && v6[5] === 0xffff && v6[6]! >> 8 === 127
}
