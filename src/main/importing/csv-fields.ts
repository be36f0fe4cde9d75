/**
 * Splitting one CSV line into fields. One physical line is one record: candle files never
 * need line breaks inside quoted fields, and keeping the two equal makes every reported line
 * number the one an editor shows. Quotes follow RFC 4180 (`"a ""b"""`).
 */

export const DELIMITERS = [',', ';', '\t', '|'] as const
export type Delimiter = (typeof DELIMITERS)[number]

/** The delimiter that splits the header line into the most fields (outside quotes), if any. */
export function detectDelimiter(line: string): Delimiter | undefined {
  let best: Delimiter | undefined
  let bestCount = 0
  for (const d of DELIMITERS) {
    const count = countOutsideQuotes(line, d)
    if (count > bestCount) {
      best = d
      bestCount = count
    }
  }
  return best
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (ch === '"') quoted = !quoted
    else if (ch === d && !quoted) n++
  }
  return n
}

/** Fields of `line`, unquoted and trimmed; or the 1-based column of an unterminated quote. */
export function splitFields(line: string, d: Delimiter): string[] | { unterminatedQuoteAt: number } {
  // Fast path: most candle files have no quotes at all.
  if (!line.includes('"')) {
    const parts = line.split(d)
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!
      // Trim only when needed: most fields have no surrounding spaces, and trim() allocates.
      if (p.length > 0 && (p.charCodeAt(0) <= 32 || p.charCodeAt(p.length - 1) <= 32)) parts[i] = p.trim()
    }
    return parts
  }
  const fields: string[] = []
  let i = 0
  for (;;) {
    while (line[i] === ' ') i++
    let value = ''
    if (line[i] === '"') {
      const open = i
      i++
      for (;;) {
        const close = line.indexOf('"', i)
        if (close < 0) return { unterminatedQuoteAt: open + 1 }
        value += line.slice(i, close)
        if (line[close + 1] === '"') {
          value += '"'
          i = close + 2
        } else {
          i = close + 1
          break
        }
      }
      const end = line.indexOf(d, i)
      value += line.slice(i, end < 0 ? line.length : end)
      i = end
    } else {
      const end = line.indexOf(d, i)
      value = line.slice(i, end < 0 ? line.length : end)
      i = end
    }
    fields.push(value.trim())
    if (i < 0) return fields
    i += d.length
  }
}

/** 1-based column where field `index` starts (skipping leading spaces), for messages. */
export function fieldColumn(line: string, d: Delimiter, index: number): number {
  let field = 0
  let quoted = false
  let start = 0
  for (let i = 0; i < line.length && field < index; i++) {
    const ch = line[i]
    if (ch === '"') quoted = !quoted
    else if (ch === d && !quoted) {
      field++
      start = i + 1
    }
  }
  if (field < index) return line.length + 1
  while (line[start] === ' ') start++
  return start + 1
}
