/**
 * Splitting an exchange's glued pair (`BTCUSDT`) into the unified `BASE/QUOTE`.
 *
 * 1. A pair that already has a `/` is kept.
 * 2. The markets the account knows (`known`, unified symbols) decide when one matches.
 * 3. Else the longest quote asset of QUOTE_ASSETS the pair ends with (with something left
 *    before it) is the quote: `ETHBTC` is ETH/BTC, `BTCFDUSD` is BTC/FDUSD, not BTCFD/USD.
 * 4. Else undefined: the caller reports the row.
 */

/** Quote assets recognised at the end of a glued pair, documented in docs/CSV.md. */
export const QUOTE_ASSETS = [
  'USDT',
  'USDC',
  'FDUSD',
  'TUSD',
  'BUSD',
  'USDP',
  'DAI',
  'USD',
  'EUR',
  'GBP',
  'TRY',
  'BRL',
  'JPY',
  'AUD',
  'BTC',
  'ETH',
  'BNB',
] as const

const BY_LENGTH = [...QUOTE_ASSETS].sort((a, b) => b.length - a.length)

export function splitPair(pair: string, known?: ReadonlyMap<string, string>): string | undefined {
  const p = pair.trim().toUpperCase()
  if (p.includes('/')) return p
  const fromMarkets = known?.get(p)
  if (fromMarkets) return fromMarkets
  for (const q of BY_LENGTH) if (p.length > q.length && p.endsWith(q)) return `${p.slice(0, -q.length)}/${q}`
  return undefined
}

/** Glued form → unified symbol, for `splitPair`'s `known`. */
export function knownPairs(symbols: Iterable<string>): Map<string, string> {
  const m = new Map<string, string>()
  for (const s of symbols) m.set(s.split(':')[0]!.replace('/', ''), s)
  return m
}
