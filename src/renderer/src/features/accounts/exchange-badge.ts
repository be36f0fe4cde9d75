/**
 * The exchange picker's "logo": the app loads no images from the network, so each exchange gets a
 * short text mark from its name (OKX, KC for KuCoin, BU for Binance US) on a colour of its own,
 * the same on every run.
 */
export function logoText(name: string): string {
  const clean = name
    .replace(/\(.*?\)/g, ' ')
    .replace(/[^\p{L}\p{N} ]/gu, ' ')
    .trim()
  const words = clean.split(/\s+/).filter((w) => w !== '')
  const first = words[0] ?? name
  // A short name in capitals is its own mark: OKX, HTX, XT, BTSE.
  if (words.length === 1 && first.length <= 4 && first === first.toUpperCase()) return first
  if (words.length > 1)
    return words
      .slice(0, 2)
      .map((w) => w[0]!.toUpperCase())
      .join('')
  // KuCoin -> KC, BitMEX -> BM: the capitals inside one word.
  const capitals = first.match(/\p{Lu}/gu) ?? []
  if (capitals.length >= 2) return capitals.slice(0, 2).join('')
  return first.slice(0, 2).replace(/^./, (c) => c.toUpperCase())
}

/** A hue for an exchange id, spread over the colour wheel and stable. */
export function logoHue(id: string): number {
  let h = 2166136261
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i)
    h = Math.imul(h, 16777619)
  }
  return (h >>> 0) % 360
}

export interface PickerEntry {
  id: string
  name: string
}

/**
 * The exchanges matching what the trader typed, best first: the name or id starting with it,
 * then a word of the name starting with it, then containing it anywhere. Empty text: all, by name.
 */
export function searchExchanges<T extends PickerEntry>(all: readonly T[], text: string): T[] {
  const q = text.trim().toLowerCase()
  const byName = [...all].sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }))
  if (q === '') return byName
  const rank = (e: T): number => {
    const name = e.name.toLowerCase()
    const id = e.id.toLowerCase()
    if (id === q || name === q) return 0
    if (name.startsWith(q) || id.startsWith(q)) return 1
    if (name.split(/[^a-z0-9]+/).some((w) => w.startsWith(q))) return 2
    if (name.includes(q) || id.includes(q)) return 3
    return 4
  }
  return byName
    .map((e) => ({ e, r: rank(e) }))
    .filter((x) => x.r < 4)
    .sort((a, b) => a.r - b.r)
    .map((x) => x.e)
}
