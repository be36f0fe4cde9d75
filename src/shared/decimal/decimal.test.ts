import Big from 'big.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Decimal, DecimalError, dec, type Rounding } from './decimal'

/**
 * The decimal type checked against big.js, a well-kept decimal library, run side by side on
 * random values (the reference the guide asks for), plus the hand-made cases traders hit.
 */

/** Random decimal text: up to 20 whole digits, up to 18 places, either sign, any zeros. */
const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 18 }))
  .map(([neg, units, scale]) => {
    const digits = units.toString().padStart(scale + 1, '0')
    const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`
    return neg ? `-${text}` : text
  })

const CANONICAL = /^-?(0|[1-9]\d*)(\.\d*[1-9])?$/

/** big.js's canonical text, in the same form as ours (no exponent, no trailing zeros, no -0). */
function bigText(b: Big): string {
  const s = b.toFixed()
  return s === '-0' ? '0' : s
}

const BIG_MODE: Record<'down' | 'half_up' | 'half_even' | 'up', Big.RoundingMode> = {
  down: Big.roundDown,
  half_up: Big.roundHalfUp,
  half_even: Big.roundHalfEven,
  up: Big.roundUp,
}

/** big.js rounding to `dp` places, with floor and ceil made from down/up by sign. */
function bigRound(b: Big, dp: number, mode: Rounding): Big {
  if (mode === 'floor') return b.round(dp, b.lt(0) ? Big.roundUp : Big.roundDown)
  if (mode === 'ceil') return b.round(dp, b.lt(0) ? Big.roundDown : Big.roundUp)
  return b.round(dp, BIG_MODE[mode])
}

const ROUNDINGS: Rounding[] = ['down', 'up', 'floor', 'ceil', 'half_up', 'half_even']

describe('Decimal text', () => {
  it('reads and writes canonical text, whatever zeros it was given', () => {
    expect(dec('1.50').toString()).toBe('1.5')
    expect(dec('007.250').toString()).toBe('7.25')
    expect(dec('-0').toString()).toBe('0')
    expect(dec('-0.000').toString()).toBe('0')
    expect(dec('0.00001').toString()).toBe('0.00001')
    expect(dec('-12').toString()).toBe('-12')
    expect(dec('123456789012345678901234567890.123456789').toString()).toBe(
      '123456789012345678901234567890.123456789',
    )
  })

  it('refuses anything but plain decimal text', () => {
    for (const bad of [
      '',
      '.5',
      '1.',
      '+1',
      ' 1',
      '1 ',
      '1e5',
      '1E-3',
      'NaN',
      'Infinity',
      '0x10',
      '1,5',
      '--1',
      '1.2.3',
    ]) {
      expect(() => dec(bad), bad).toThrow(DecimalError)
      expect(Decimal.tryParse(bad), bad).toBeUndefined()
    }
  })

  it('round-trips random text to the same value as big.js, canonically', () => {
    fc.assert(
      fc.property(decimalText, (t) => {
        const s = dec(t).toString()
        expect(s).toMatch(CANONICAL)
        expect(s).toBe(bigText(new Big(t)))
        expect(dec(s).eq(dec(t))).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })

  it('reads a double as the shortest decimal that is that double, without an exponent', () => {
    expect(Decimal.fromNumber(0.1).toString()).toBe('0.1')
    expect(Decimal.fromNumber(0.1 + 0.2).toString()).toBe('0.30000000000000004')
    expect(Decimal.fromNumber(1e-7).toString()).toBe('0.0000001')
    expect(Decimal.fromNumber(1.5e-10).toString()).toBe('0.00000000015')
    expect(Decimal.fromNumber(1.5e21).toString()).toBe('1500000000000000000000')
    expect(Decimal.fromNumber(-0).toString()).toBe('0')
    expect(Decimal.fromNumber(65000.01).toString()).toBe('65000.01')
    expect(() => Decimal.fromNumber(Number.NaN)).toThrow(DecimalError)
    expect(() => Decimal.fromNumber(Number.POSITIVE_INFINITY)).toThrow(DecimalError)
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const s = Decimal.fromNumber(x).toString()
        expect(s).not.toMatch(/e/i)
        expect(s).toMatch(CANONICAL)
        expect(Number(s)).toBe(x === 0 ? 0 : x)
      }),
      { numRuns: 3000 },
    )
  })

  it('writes a fixed number of places, rounding as asked', () => {
    expect(dec('1.005').toFixed(2)).toBe('1.01')
    expect(dec('1.005').toFixed(2, 'half_even')).toBe('1.00')
    expect(dec('1.015').toFixed(2, 'half_even')).toBe('1.02')
    expect(dec('-1.005').toFixed(2)).toBe('-1.01')
    expect(dec('-0.004').toFixed(2)).toBe('0.00')
    expect(dec('7').toFixed(3)).toBe('7.000')
    expect(dec('0.5').toFixed(0)).toBe('1')
    expect(dec('0.00001').toFixed(8)).toBe('0.00001000')
    fc.assert(
      fc.property(
        decimalText,
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(...ROUNDINGS),
        (t, dp, mode) => {
          const ours = dec(t).toFixed(dp, mode)
          const ref = bigRound(new Big(t), dp, mode).toFixed(dp)
          expect(ours).toBe(ref.startsWith('-') && /^-0\.?0*$/.test(ref) ? ref.slice(1) : ref)
        },
      ),
      { numRuns: 3000 },
    )
  })
})

describe('Decimal arithmetic', () => {
  it('adds, subtracts and multiplies exactly, as big.js does', () => {
    expect(dec('0.1').plus(dec('0.2')).toString()).toBe('0.3')
    expect(dec('0.000999').minus(dec('0.00099')).toString()).toBe('0.000009')
    expect(dec('3').times(dec('0.1')).toString()).toBe('0.3')
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        const x = dec(a)
        const y = dec(b)
        expect(x.plus(y).toString()).toBe(bigText(new Big(a).plus(b)))
        expect(x.minus(y).toString()).toBe(bigText(new Big(a).minus(b)))
        expect(x.times(y).toString()).toBe(bigText(new Big(a).times(b)))
        expect(x.cmp(y)).toBe(new Big(a).cmp(b))
        expect(x.neg().plus(x).isZero()).toBe(true)
        expect(x.abs().toString()).toBe(bigText(new Big(a).abs()))
      }),
      { numRuns: 3000 },
    )
  })

  it('divides to the places asked, rounding as asked', () => {
    expect(dec('1').div(dec('3'), 4, 'half_even').toString()).toBe('0.3333')
    expect(dec('2').div(dec('3'), 4, 'half_even').toString()).toBe('0.6667')
    expect(dec('2').div(dec('3'), 4, 'down').toString()).toBe('0.6666')
    expect(dec('-2').div(dec('3'), 4, 'floor').toString()).toBe('-0.6667')
    expect(dec('-2').div(dec('3'), 4, 'ceil').toString()).toBe('-0.6666')
    expect(dec('0.125').div(dec('1'), 2, 'half_even').toString()).toBe('0.12')
    expect(dec('0.135').div(dec('1'), 2, 'half_even').toString()).toBe('0.14')
    expect(() => dec('1').div(Decimal.ZERO, 2, 'down')).toThrow(DecimalError)
    const nonZero = decimalText.filter((t) => !dec(t).isZero())
    fc.assert(
      fc.property(
        decimalText,
        nonZero,
        fc.integer({ min: 0, max: 20 }),
        fc.constantFrom(...ROUNDINGS),
        (a, b, dp, mode) => {
          // big.js divides to Big.DP places (rounded by Big.RM); exact enough to round again.
          const B = Big()
          B.DP = 80
          const exact = new B(a).div(b)
          expect(dec(a).div(dec(b), dp, mode).toString()).toBe(bigText(bigRound(exact, dp, mode)))
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('rounds to an increment that need not be a power of ten', () => {
    const tick = dec('0.5')
    expect(dec('10.74').roundToStep(tick, 'floor').toString()).toBe('10.5')
    expect(dec('10.74').roundToStep(tick, 'ceil').toString()).toBe('11')
    expect(dec('10.75').roundToStep(tick, 'half_up').toString()).toBe('11')
    expect(dec('-10.74').roundToStep(tick, 'floor').toString()).toBe('-11')
    expect(dec('0.000999').roundToStep(dec('0.00001'), 'down').toString()).toBe('0.00099')
    expect(dec('0.3').roundToStep(dec('0.1'), 'floor').toString()).toBe('0.3')
    expect(dec('9001').roundToStep(dec('0.00001'), 'floor').toString()).toBe('9001')
    expect(dec('0.3').isMultipleOf(dec('0.1'))).toBe(true)
    expect(dec('0.35').isMultipleOf(dec('0.1'))).toBe(false)
    expect(() => dec('1').roundToStep(Decimal.ZERO, 'floor')).toThrow(DecimalError)
    const step = fc
      .tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 10 }))
      .map(([u, s]) => Decimal.fromUnits(BigInt(u), s))
    fc.assert(
      fc.property(decimalText, step, (t, st) => {
        const v = dec(t)
        const f = v.roundToStep(st, 'floor')
        const c = v.roundToStep(st, 'ceil')
        expect(f.isMultipleOf(st) && c.isMultipleOf(st)).toBe(true)
        expect(f.lte(v) && v.lt(f.plus(st))).toBe(true)
        expect(c.gte(v) && v.gt(c.minus(st))).toBe(true)
        expect(f.eq(c)).toBe(v.isMultipleOf(st))
      }),
      { numRuns: 3000 },
    )
  })

  it('moves the point, counts places, sums and picks', () => {
    expect(dec('7.5').shift(-4).toString()).toBe('0.00075')
    expect(dec('0.00075').shift(4).toString()).toBe('7.5')
    expect(dec('12').shift(3).toString()).toBe('12000')
    expect(dec('0.00001').decimals).toBe(5)
    expect(dec('0.50').decimals).toBe(1)
    expect(dec('20').decimals).toBe(0)
    expect(Decimal.ZERO.decimals).toBe(0)
    expect(Decimal.sum([dec('0.1'), dec('0.2'), dec('-0.3')]).toString()).toBe('0')
    expect(Decimal.min(dec('2'), dec('1.5')).toString()).toBe('1.5')
    expect(Decimal.max(dec('2'), dec('1.5')).toString()).toBe('2')
    expect(dec('-3').sign).toBe(-1)
    expect(dec('0').sign).toBe(0)
    expect(JSON.stringify({ a: dec('1.10') })).toBe('{"a":"1.1"}')
  })
})
