const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/
const DECIMAL_COMMA = /^[+-]?\d+,\d+$/

/**
 * A price or volume written as text, or undefined. Strict on purpose: `Number()` would take
 * '', '0x1F' and 'Infinity'. `decimalComma` accepts `1,0716` (European exports use it with
 * `;` or tab separators; never with `,` separators, where it would be two fields).
 */
export function parseNumberText(text: string, decimalComma: boolean): number | undefined {
  const s = text.trim()
  if (PLAIN.test(s)) {
    const n = Number(s)
    return Number.isFinite(n) ? n : undefined
  }
  if (decimalComma && DECIMAL_COMMA.test(s)) return Number(s.replace(',', '.'))
  return undefined
}
