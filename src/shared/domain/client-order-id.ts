/**
 * Client order ids: the id an order is known by before any exchange has seen it. The engine
 * makes one for every order; the app makes one per ticket submission and sends it with the
 * order (`clientOrderId` in trading.placeOrder), so a submission whose answer was lost can be
 * looked up, or sent again, without ever making a second order.
 */

/** Binance's rule for newClientOrderId (other exchanges accept a subset of lengths, not of characters). */
export const CLIENT_ORDER_ID_PATTERN = /^[.A-Z:/a-z0-9_-]{1,36}$/

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const ULID_LENGTH = 26

/**
 * `prefix` + a ULID (26 characters of Crockford base32: 10 for the time in ms, 16 for 80 random
 * bits), 29 characters with the default `cw-` prefix. Ids from one generator sort by creation
 * time and are strictly increasing even within one millisecond (the random part is
 * incremented, as ULID's monotonic mode does), so two intents can never share an id even if
 * the clock stands still or steps back. `random(n)` gives n random bytes (node's randomBytes,
 * the browser's crypto.getRandomValues).
 */
export function clientOrderIdGenerator(
  now: () => number,
  random: (bytes: number) => Uint8Array,
  prefix = 'cw-',
): () => string {
  if (!CLIENT_ORDER_ID_PATTERN.test(prefix) || prefix.length + ULID_LENGTH > 36) {
    throw new Error(
      `Client order id prefix "${prefix}" must match ${CLIENT_ORDER_ID_PATTERN} and be at most 10 characters`,
    )
  }
  let lastTime = -1
  let lastRandom: number[] = []
  return () => {
    let time = Math.max(0, Math.floor(now()))
    if (time <= lastTime) {
      time = lastTime
      lastRandom = increment(lastRandom)
    } else {
      lastTime = time
      lastRandom = randomDigits(random)
    }
    return prefix + encodeTime(time) + lastRandom.map((d) => CROCKFORD[d]).join('')
  }
}

function encodeTime(time: number): string {
  let out = ''
  let t = time
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[t % 32]! + out
    t = Math.floor(t / 32)
  }
  return out
}

function randomDigits(random: (bytes: number) => Uint8Array): number[] {
  const bytes = random(16)
  // 16 digits of 5 bits each; one byte per digit keeps it simple (the top 3 bits are dropped).
  return Array.from({ length: 16 }, (_, i) => (bytes[i] ?? 0) & 31)
}

function increment(digits: number[]): number[] {
  const out = [...digits]
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! < 31) {
      out[i]! += 1
      return out
    }
    out[i] = 0
  }
  throw new Error('client order id space for this millisecond is exhausted')
}
