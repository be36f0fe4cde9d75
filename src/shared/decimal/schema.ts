import { z } from 'zod'
import { DECIMAL_TEXT, Decimal } from './decimal'

/**
 * Decimal text on the wire. Money never travels as a JSON number (a double): a client that sends
 * one, or text that is not a plain decimal, is refused with the field named (the contract's
 * validation error is `params.amount: ...`).
 */

/** Exact decimal text as the engine writes it (canonical, possibly negative). */
export const decimalSchema = z
  .string({ error: 'a decimal number as text, such as "0.1" (a JSON string, not a number)' })
  .regex(DECIMAL_TEXT, 'a decimal number such as 0.1 or -65000.25 (digits and one point)')

/** The longest decimal text a client may send for one field. */
export const MAX_DECIMAL_TEXT = 40

/**
 * Decimal text a client sends for an amount, a price or a distance: plain digits with an optional
 * point (`0.1`, `65000.25`, `1.50`), greater than zero, at most 40 characters. No exponent, no
 * sign, no grouping, no comma: the ticket turns what the trader typed into this
 * (lib/number-input.ts).
 */
export const positiveDecimalSchema = z
  .string({ error: 'a decimal number as text, such as "0.1" (a JSON string, not a number)' })
  .max(MAX_DECIMAL_TEXT, `at most ${MAX_DECIMAL_TEXT} characters`)
  .regex(/^\d+(\.\d+)?$/, {
    message: 'a decimal number such as 0.1 or 65000.25 (digits and one point, no exponent or sign)',
    abort: true,
  })
  .refine((s) => Decimal.parse(s).isPositive(), 'must be greater than zero')
