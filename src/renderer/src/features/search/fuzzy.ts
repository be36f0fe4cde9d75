/**
 * The symbol search's ranking: how well a typed query matches a symbol, or null for no match.
 * Case, spaces and the separators of symbols (`/`, `-`, `_`, `:`, `.`) are ignored, so `btcusdt`,
 * `BTC/USDT` and `btc usdt` are the same query. Tiers, best first, as TradingView ranks:
 *
 * - exact: the whole symbol (`GOOG` for `goog`), or its base asset (`BTC/USDT` for `btc`);
 * - prefix: the symbol starts with the query (`BTC/USDT` for `btcu`); a shorter symbol first;
 * - substring: the query inside the symbol (`ETH/BTC` for `btc`); nearer the start first;
 * - fuzzy: the query's letters in order (`BTC/USDT` for `bus`); fewer, shorter skips first and
 *   letters that begin a part (`B`TC/`U`SDT) count extra.
 *
 * Tiers are 10,000 apart (symbols are at most 64 characters), so a tier never overtakes a better
 * one. Scores only compare within one query; ties keep the list's order (the demo market first).
 */
export function matchScore(query: string, symbol: string): number | null {
  const q = normalise(query)
  if (q === '') return 0
  const s = normalise(symbol)
  const base = normalise(symbol.split(/[/:\-_.]/)[0] ?? '')
  if (s === q || base === q) return 40_000 - s.length
  if (s.startsWith(q)) return 30_000 - (s.length - q.length)
  const at = s.indexOf(q)
  if (at >= 0) return 20_000 - at * 10 - (s.length - q.length)
  const fuzzy = subsequenceScore(q, s, partStarts(symbol))
  return fuzzy === null ? null : 10_000 + fuzzy
}

/** The entries that match, best first; stable for equal scores. */
export function rankMatches<T>(query: string, items: readonly T[], text: (item: T) => string): T[] {
  const scored: { item: T; score: number; i: number }[] = []
  items.forEach((item, i) => {
    const score = matchScore(query, text(item))
    if (score !== null) scored.push({ item, score, i })
  })
  return scored.sort((a, b) => b.score - a.score || a.i - b.i).map((e) => e.item)
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[\s/:\-_.]+/g, '')
}

/** Positions (in the normalised text) where a part of the symbol begins: 0 and after each separator. */
function partStarts(symbol: string): Set<number> {
  const starts = new Set<number>([0])
  let n = 0
  let afterSeparator = false
  for (const ch of symbol) {
    if (/[\s/:\-_.]/.test(ch)) {
      afterSeparator = true
      continue
    }
    if (afterSeparator) starts.add(n)
    afterSeparator = false
    n++
  }
  return starts
}

/** Greedy in-order match of every query letter; up to 999, higher for tighter matches. */
function subsequenceScore(q: string, s: string, starts: Set<number>): number | null {
  let score = 999
  let from = 0
  for (const ch of q) {
    const at = s.indexOf(ch, from)
    if (at < 0) return null
    score -= (at - from) * 5
    if (starts.has(at)) score += 10
    from = at + 1
  }
  return Math.max(1, Math.min(999, score))
}
