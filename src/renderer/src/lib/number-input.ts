/**
 * Numbers as traders type or paste them, in any locale, read into an exact canonical decimal
 * string (`"0.1"`, `"1234567.5"`; never a float, so 30 digits keep every digit) or refused with a
 * sentence saying why. Pure: no DOM, no store.
 *
 * The rule (the same in every locale; the locale only breaks the one tie below):
 *
 * 1. Spaces around the text are ignored. Inside it, digits and these separators are allowed:
 *    `.` and `,` (decimal or grouping), spaces (U+0020, no-break U+00A0, narrow no-break U+202F,
 *    thin U+2009) and apostrophes (`'`, `’`), which only ever group digits. Anything else (letters,
 *    signs, exponents such as `1e-3`, `_`) is refused: a trader never needs them for an amount
 *    or a price, and guessing at them is how amounts get scaled.
 * 2. When both `.` and `,` appear, the one that comes last is the decimal separator and must
 *    appear once; the other groups the digits (`1,234,567.5`, `1.234.567,5`).
 * 3. A `.` or `,` that appears more than once can only be grouping (`1.234.567`, `1,234,567`).
 * 4. Grouping is accepted only in a correct pattern, with one grouping character, in the whole
 *    part: groups of three (`1,234,567`) or the Indian lakh pattern (`12,34,567`); the first
 *    group has 1-3 digits (1-2 in the lakh pattern) and does not start with 0. Anything else is
 *    refused, never read as something else (`1,23,4` is an error, not 1234 or 1.234).
 * 5. A single `.` or `,` (with no other grouping) is the decimal separator, unless it could also
 *    be a correct grouping, which is the case only when it is followed by exactly three digits
 *    and preceded by 1-3 digits not starting with 0 (`1,234`, `12.500`). Then:
 *    - if it is the locale's decimal separator, the locale settles it: decimal (`1,234` in de-DE is
 *      1.234; `1.234` in en-US is 1.234);
 *    - otherwise it is ambiguous (`1,234` in en-US could be either), and the text is refused
 *      with both readings: "Ambiguous: write 1234 or 1.234".
 *    So `0,1`, `0,5`, `0.125` and `1234,567` are decimals everywhere.
 *
 * Nothing is ever scaled: a separator is either proven to be grouping (rules 2-4, which do not
 * change the digits' value) or it is the decimal point, or the text is refused.
 */

export type ParsedDecimal = { ok: true; value: string } | { ok: false; empty: boolean; message: string }

/** The decimal and grouping characters a locale formats numbers with. */
export interface LocaleSeparators {
  decimal: string
  group: string
}

const separatorCache = new Map<string, LocaleSeparators>()

/** What `Intl.NumberFormat(locale)` uses as decimal and group characters (`de-DE`: `,` and `.`). */
export function localeSeparators(locale: string): LocaleSeparators {
  let s = separatorCache.get(locale)
  if (!s) {
    const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5)
    s = {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? ',',
    }
    separatorCache.set(locale, s)
  }
  return s
}

/** The locale the trader's numbers are read in: the browser's language, else the runtime's. */
export function inputLocale(): string {
  const nav = (globalThis as { navigator?: { language?: string } }).navigator
  const lang = nav?.language
  if (typeof lang === 'string' && lang !== '') {
    try {
      return new Intl.NumberFormat(lang).resolvedOptions().locale
    } catch {
      // An odd language tag: fall through to the runtime's default.
    }
  }
  return new Intl.NumberFormat().resolvedOptions().locale
}

const SPACES = /[ \u00a0\u202f\u2009]/g
const APOSTROPHES = /['\u2019\u02bc]/g
const OUTER_SPACE = /^[\s\u00a0\u202f\u2009]+|[\s\u00a0\u202f\u2009]+$/g

/**
 * Reads `text` as a non-negative decimal in `locale` (see the rule above). The value is
 * canonical: no grouping, `.` as the decimal point, no leading zeros before the units digit,
 * no trailing zeros after the point (`"007,50"` -> `"7.5"`, `"0"` stays `"0"`).
 */
export function parseDecimal(text: string, locale: string = inputLocale()): ParsedDecimal {
  const t = text.replace(OUTER_SPACE, '')
  if (t === '') return { ok: false, empty: true, message: 'Empty' }
  const fail = (message: string): ParsedDecimal => ({ ok: false, empty: false, message })
  if (/^[-−–]/.test(t)) return fail('Must be positive: no minus sign')
  if (/^\d*[.,]?\d+e[+-]?\d+$/i.test(t)) return fail('Write the number in full, without an exponent')
  // One grouping character per kind: every space becomes ' ', every apostrophe "'".
  const s = t.replace(SPACES, ' ').replace(APOSTROPHES, "'")
  if (!/^[\d.,' ]+$/.test(s)) return fail('Not a number: use digits and one decimal separator')
  if (!/\d/.test(s)) return fail('Not a number: no digits')
  if (/[.,' ]{2}/.test(s)) return fail('Two separators in a row')

  const dots = count(s, '.')
  const commas = count(s, ',')
  const others = (s.match(/[' ]/g) ?? []).length
  const otherChar = s.includes("'") ? "'" : ' '
  if (s.includes("'") && s.includes(' ')) return fail('Group the digits with one kind of separator')

  let decimal: string | null = null
  let group: string | null = others > 0 ? otherChar : null
  if (dots > 0 && commas > 0) {
    if (group !== null) return fail('Group the digits with one kind of separator')
    decimal = s.lastIndexOf('.') > s.lastIndexOf(',') ? '.' : ','
    group = decimal === '.' ? ',' : '.'
    if (count(s, decimal) > 1) return fail('More than one decimal separator')
  } else if (dots + commas > 1) {
    // `1.234.567` or `1,234,567`: only grouping can repeat.
    if (group !== null) return fail('Group the digits with one kind of separator')
    group = dots > 0 ? '.' : ','
  } else if (dots + commas === 1) {
    const c = dots > 0 ? '.' : ','
    const [whole = '', frac = ''] = s.split(c)
    if (group === null && couldBeGrouping(whole, frac)) {
      const { decimal: localeDecimal } = localeSeparators(locale)
      if (c !== localeDecimal) {
        const w = canonical(whole, '')
        return fail(`Ambiguous: write ${w}${frac} or ${w}${localeDecimal}${frac}`)
      }
    }
    decimal = c
  }

  const [wholeRaw = '', fracRaw = '', ...rest] = decimal === null ? [s] : s.split(decimal)
  if (rest.length > 0) return fail('More than one decimal separator')
  if (/[^\d]/.test(fracRaw)) return fail('Digits after the decimal separator may not be grouped')
  if (group !== null && wholeRaw.includes(group) && !validGrouping(wholeRaw.split(group))) {
    return fail(`Digit grouping is off: group the whole part in threes (${example(group, decimal)})`)
  }
  const whole = group === null ? wholeRaw : wholeRaw.split(group).join('')
  if (/[^\d]/.test(whole)) return fail('Not a number: use digits and one decimal separator')
  if (whole === '' && fracRaw === '') return fail('Not a number: no digits')
  return { ok: true, value: canonical(whole, fracRaw) }
}

/**
 * A decimal string (canonical, or any `123.45` text) as the trader would type it in `locale`:
 * the locale's decimal separator, no grouping. What the ticket writes into its own fields.
 */
export function toInputText(decimal: string, locale: string = inputLocale()): string {
  const { decimal: sep } = localeSeparators(locale)
  return sep === '.' ? decimal : decimal.replace('.', sep)
}

/** Significant digits of a canonical decimal (`"0.00120"` -> 2, `"1200"` -> 2, `"0"` -> 0). */
export function significantDigits(value: string): number {
  const digits = value.replace('.', '').replace(/^0+/, '').replace(/0+$/, '')
  return digits.length
}

/** Whether a canonical decimal is zero. */
export function isZero(value: string): boolean {
  return /^0(\.0*)?$/.test(value)
}

function count(s: string, c: string): number {
  let n = 0
  for (const ch of s) if (ch === c) n++
  return n
}

/** `whole` + separator + `frac` would also be a correct one-separator grouping (`1,234`). */
function couldBeGrouping(whole: string, frac: string): boolean {
  return frac.length === 3 && /^[1-9]\d{0,2}$/.test(whole) && /^\d{3}$/.test(frac)
}

/** Groups of three (`1,234,567`) or the lakh pattern (`12,34,567`), first group not led by 0. */
function validGrouping(groups: string[]): boolean {
  if (groups.length < 2 || groups.some((g) => !/^\d+$/.test(g))) return false
  const [first, ...next] = groups as [string, ...string[]]
  if (first.startsWith('0')) return false
  const last = next[next.length - 1]!
  const middle = next.slice(0, -1)
  if (last.length !== 3) return false
  const threes = first.length <= 3 && middle.every((g) => g.length === 3)
  const lakh = first.length <= 2 && middle.length > 0 && middle.every((g) => g.length === 2)
  return threes || lakh
}

function example(group: string, decimal: string | null): string {
  const g = group === ' ' ? '\u00a0' : group
  return `1${g}234${g}567${decimal ?? (group === '.' ? ',' : '.')}5`
}

function canonical(whole: string, frac: string): string {
  const w = whole.replace(/^0+(?=\d)/, '') || '0'
  const f = frac.replace(/0+$/, '')
  return f === '' ? w : `${w}.${f}`
}
