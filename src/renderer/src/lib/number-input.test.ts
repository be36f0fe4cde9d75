import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { localeSeparators, parseDecimal, toInputText, type ParsedDecimal } from './number-input'

const LOCALES = ['en-US', 'de-DE', 'fr-FR', 'de-CH', 'en-IN', 'pt-BR', 'en-GB', 'es-ES', 'it-IT'] as const

const value = (r: ParsedDecimal): string | undefined => (r.ok ? r.value : undefined)
const message = (r: ParsedDecimal): string | undefined => (r.ok ? undefined : r.message)

/** A canonical decimal string: up to 24 whole digits and 18 decimals, no float in sight. */
const decimalArb = fc
  .tuple(
    fc.oneof(
      fc.constant('0'),
      fc
        .tuple(
          fc.integer({ min: 1, max: 9 }),
          fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 23 }),
        )
        .map(([d, rest]) => `${d}${rest}`),
    ),
    fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 18 }).map((f) => f.replace(/0+$/, '')),
  )
  .map(([w, f]) => (f === '' ? w : `${w}.${f}`))

/** `Intl.NumberFormat(locale)` of an exact decimal string (strings are formatted without a float). */
function formatIn(locale: string, decimal: string, useGrouping: boolean): string {
  const frac = decimal.split('.')[1]?.length ?? 0
  return new Intl.NumberFormat(locale, {
    useGrouping,
    minimumFractionDigits: frac,
    maximumFractionDigits: Math.max(frac, 0),
  }).format(decimal as unknown as number)
}

/** The one class the rule refuses as ambiguous: a single grouping separator (`1,234`), no decimals. */
function ambiguousFormatting(text: string, locale: string): boolean {
  const { decimal, group } = localeSeparators(locale)
  if (group !== '.' && group !== ',') return false
  return !text.includes(decimal) && text.split(group).length === 2
}

/** The value of a canonical decimal times 10^k, as a canonical string (to prove nothing is scaled). */
function scaled(decimal: string, k: number): string {
  const [w = '', f = ''] = decimal.split('.')
  const digits = w + f
  const point = w.length + k
  const padded = point > digits.length ? digits.padEnd(point, '0') : digits
  const whole = padded.slice(0, Math.max(point, 0)) || '0'
  const frac = point < 0 ? '0'.repeat(-point) + padded : padded.slice(point)
  const cw = whole.replace(/^0+(?=\d)/, '')
  const cf = frac.replace(/0+$/, '')
  return cf === '' ? cw : `${cw}.${cf}`
}

describe('reading numbers as traders type them', () => {
  it('reads 0,1 and 0,5 as one tenth and one half (the bug: 1 and 5)', () => {
    for (const locale of LOCALES) {
      expect(value(parseDecimal('0,1', locale)), locale).toBe('0.1')
      expect(value(parseDecimal('0,5', locale)), locale).toBe('0.5')
      expect(value(parseDecimal('0.1', locale)), locale).toBe('0.1')
      expect(value(parseDecimal('0.5', locale)), locale).toBe('0.5')
    }
  })

  it('takes pasted text with spaces, narrow no-break spaces and apostrophes', () => {
    expect(value(parseDecimal('  0,1 ', 'en-US'))).toBe('0.1')
    expect(value(parseDecimal('\t0,1\n', 'en-US'))).toBe('0.1')
    expect(value(parseDecimal('1 234,5', 'en-US'))).toBe('1234.5')
    expect(value(parseDecimal('1\u202f234,5', 'fr-FR'))).toBe('1234.5')
    expect(value(parseDecimal('1\u00a0234\u00a0567,25', 'fr-FR'))).toBe('1234567.25')
    expect(value(parseDecimal('1’234.5', 'de-CH'))).toBe('1234.5')
    expect(value(parseDecimal("1'234'567.5", 'en-US'))).toBe('1234567.5')
    expect(value(parseDecimal('1,234,567.5', 'de-DE'))).toBe('1234567.5')
    expect(value(parseDecimal('1.234.567,5', 'en-US'))).toBe('1234567.5')
    expect(value(parseDecimal('12,34,567.5', 'en-IN'))).toBe('1234567.5')
    expect(value(parseDecimal('1,234,567', 'en-US'))).toBe('1234567')
    expect(value(parseDecimal('1.234.567', 'de-DE'))).toBe('1234567')
  })

  it('refuses a single separator followed by three digits unless the locale settles it', () => {
    expect(message(parseDecimal('1,234', 'en-US'))).toBe('Ambiguous: write 1234 or 1.234')
    expect(message(parseDecimal('12.500', 'de-DE'))).toBe('Ambiguous: write 12500 or 12,500')
    expect(message(parseDecimal('1.234', 'fr-FR'))).toBe('Ambiguous: write 1234 or 1,234')
    expect(message(parseDecimal('1,234', 'de-CH'))).toBe('Ambiguous: write 1234 or 1.234')
    // The locale's own decimal separator settles it.
    expect(value(parseDecimal('1.234', 'en-US'))).toBe('1.234')
    expect(value(parseDecimal('1,234', 'de-DE'))).toBe('1.234')
    // Not a correct grouping, so only a decimal reading is possible.
    expect(value(parseDecimal('0,123', 'en-US'))).toBe('0.123')
    expect(value(parseDecimal('1234,567', 'en-US'))).toBe('1234.567')
    expect(value(parseDecimal('1,2345', 'en-US'))).toBe('1.2345')
    expect(value(parseDecimal('1,23', 'en-US'))).toBe('1.23')
    expect(value(parseDecimal(',5', 'en-US'))).toBe('0.5')
    expect(value(parseDecimal('5.', 'en-US'))).toBe('5')
  })

  it('keeps every digit and never rounds through a float', () => {
    expect(value(parseDecimal('0.1'))).toBe('0.1')
    expect(value(parseDecimal('123456789012345678901234567890', 'en-US'))).toBe(
      '123456789012345678901234567890',
    )
    expect(value(parseDecimal('0,123456789012345678901234567890', 'en-US'))).toBe(
      '0.12345678901234567890123456789',
    )
    expect(value(parseDecimal('007.50', 'en-US'))).toBe('7.5')
    expect(value(parseDecimal('0', 'en-US'))).toBe('0')
    expect(value(parseDecimal('0.000', 'en-US'))).toBe('0')
  })

  it('refuses everything else with a reason', () => {
    const cases: Record<string, RegExp> = {
      '': /Empty/,
      '   ': /Empty/,
      abc: /Not a number/,
      '12abc': /Not a number/,
      '1e-3': /without an exponent/,
      '1E5': /without an exponent/,
      '-1': /positive/,
      '1.2.3': /grouping is off/,
      '1,2,3': /grouping is off/,
      '1,234.5.6': /More than one decimal separator/,
      '1,23,4': /grouping is off/,
      '1,234,56': /grouping is off/,
      '0,234,567': /grouping is off/,
      '1..5': /in a row/,
      '1 234.567 8': /may not be grouped/,
      "1'234 567": /one kind/,
      '1 234.567,5': /one kind/,
      NaN: /Not a number/,
      Infinity: /Not a number/,
      '.': /no digits/,
      '+1': /Not a number/,
      '1_000': /Not a number/,
    }
    for (const [text, why] of Object.entries(cases)) {
      const r = parseDecimal(text, 'en-US')
      expect(r.ok, text).toBe(false)
      expect(message(r), text).toMatch(why)
    }
    expect(parseDecimal('  ', 'en-US')).toMatchObject({ ok: false, empty: true })
    expect(parseDecimal('x', 'en-US')).toMatchObject({ ok: false, empty: false })
  })

  it('learns each locale’s separators from Intl', () => {
    expect(localeSeparators('en-US')).toEqual({ decimal: '.', group: ',' })
    expect(localeSeparators('de-DE')).toEqual({ decimal: ',', group: '.' })
    expect(localeSeparators('fr-FR').decimal).toBe(',')
    expect(localeSeparators('de-CH').decimal).toBe('.')
    expect(toInputText('0.1', 'de-DE')).toBe('0,1')
    expect(toInputText('0.1', 'en-US')).toBe('0.1')
  })
})

describe('properties over locales and decimals', () => {
  const locale = fc.constantFrom(...LOCALES)

  it('formatting a decimal in a locale and reading it back there gives the same decimal exactly', () => {
    fc.assert(
      fc.property(locale, decimalArb, fc.boolean(), (loc, d, grouping) => {
        const text = formatIn(loc, d, grouping)
        const r = parseDecimal(text, loc)
        if (grouping && ambiguousFormatting(text, loc)) {
          // `1,234` in en-US: refused with both readings, never read as another number.
          expect(r.ok).toBe(false)
          expect(message(r)).toMatch(/^Ambiguous: write \d+ or \d+[.,]\d{3}$/)
          return
        }
        expect(r, `${loc} ${JSON.stringify(text)}`).toEqual({ ok: true, value: d })
      }),
      { numRuns: 3000 },
    )
  })

  it('written with the locale’s decimal separator and no grouping, every decimal reads back exactly', () => {
    fc.assert(
      fc.property(locale, decimalArb, (loc, d) => {
        expect(parseDecimal(toInputText(d, loc), loc)).toEqual({ ok: true, value: d })
      }),
      { numRuns: 2000 },
    )
  })

  it('0,1 and 0.1 are the same decimal wherever they are unambiguous', () => {
    const noGroupingShape = fc
      .tuple(
        fc.oneof(fc.constant('0'), fc.integer({ min: 1, max: 999_999_999 }).map(String)),
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 12 }),
      )
      // Leave out the one ambiguous shape: 1-3 whole digits (not led by 0) and exactly 3 decimals.
      .filter(([w, f]) => !(f.length === 3 && /^[1-9]\d{0,2}$/.test(w)))
    fc.assert(
      fc.property(locale, noGroupingShape, fc.constantFrom('', ' ', '  ', '\u00a0'), (loc, [w, f], pad) => {
        const comma = parseDecimal(`${pad}${w},${f}${pad}`, loc)
        const dot = parseDecimal(`${w}.${f}`, loc)
        expect(comma.ok).toBe(true)
        expect(comma).toEqual(dot)
        const fr = f.replace(/0+$/, '')
        expect(value(dot)).toBe(fr === '' ? w : `${w}.${fr}`)
      }),
      { numRuns: 2000 },
    )
  })

  it('never scales: whatever is accepted has the typed digits at the typed decimal point', () => {
    // Any text from digits and separators: when it is accepted, its value is the digits with
    // the point where one of `.`/`,` was (or at the end), never multiplied or divided by 10^k.
    const text = fc.string({ unit: fc.constantFrom(...'0123456789.,  \u202f’'), minLength: 1, maxLength: 14 })
    fc.assert(
      fc.property(locale, text, (loc, t) => {
        const r = parseDecimal(t, loc)
        if (!r.ok) return
        const digits = t.replace(/\D/g, '')
        const readings = new Set<string>()
        const canon = (w: string, f: string): string => {
          const cw = w.replace(/^0+(?=\d)/, '') || '0'
          const cf = f.replace(/0+$/, '')
          return cf === '' ? cw : `${cw}.${cf}`
        }
        readings.add(canon(digits, ''))
        for (let i = 0; i < t.length; i++) {
          if (t[i] !== '.' && t[i] !== ',') continue
          const before = t.slice(0, i).replace(/\D/g, '').length
          readings.add(canon(digits.slice(0, before), digits.slice(before)))
        }
        expect(readings.has(r.value), `${loc} ${JSON.stringify(t)} -> ${r.value}`).toBe(true)
      }),
      { numRuns: 5000 },
    )
  })

  it('a formatted decimal is never read as itself times 10^k for any k ≠ 0', () => {
    fc.assert(
      fc.property(locale, decimalArb, fc.boolean(), fc.integer({ min: -6, max: 6 }), (loc, d, g, k) => {
        fc.pre(k !== 0 && d !== '0')
        const r = parseDecimal(formatIn(loc, d, g), loc)
        if (r.ok) expect(r.value).not.toBe(scaled(d, k))
      }),
      { numRuns: 2000 },
    )
  })
})
