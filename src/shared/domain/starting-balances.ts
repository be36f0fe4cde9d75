import { z } from 'zod'
import { Decimal } from '../decimal/decimal'

/** The most a paper account can start with in one asset. */
export const MAX_STARTING_AMOUNT = 1e12
/** Decimal places kept for a starting amount (more than any asset's precision). */
export const STARTING_DECIMALS = 18
const MAX_STARTING = Decimal.fromNumber(MAX_STARTING_AMOUNT)

/**
 * An amount as an exact decimal string (`"10000"`, `"0.5"`): what the app's number inputs produce,
 * never a float, so what the trader typed is what the account starts with.
 */
export const decimalAmountSchema = z
  .string()
  .regex(
    new RegExp(`^(0|[1-9]\\d{0,12})(\\.\\d{1,${STARTING_DECIMALS}})?$`),
    `a decimal number such as 10000 or 0.5 (digits and one point, at most ${STARTING_DECIMALS} decimals)`,
  )
  .refine((s) => Decimal.tryParse(s)?.lte(MAX_STARTING) !== false, 'at most 1,000,000,000,000')

/** An asset code as exchanges write it (`USDT`, `BTC`, `1000SHIB`). */
export const assetCodeSchema = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9._-]{0,15}$/, 'an asset code such as USDT or BTC (capital letters and digits)')

export const startingBalanceSchema = z
  .object({ asset: assetCodeSchema, amount: decimalAmountSchema })
  .strict()
export type StartingBalance = z.infer<typeof startingBalanceSchema>

/**
 * A paper account's starting balances, one per asset (`USDT 10000`, `BTC 0.5`): each asset once,
 * and something to trade with (at least one amount above zero).
 */
export const startingBalancesSchema = z
  .array(startingBalanceSchema)
  .min(1, 'at least one asset')
  .max(20, 'at most 20 assets')
  .superRefine((list, ctx) => {
    const seen = new Set<string>()
    list.forEach((b, i) => {
      if (seen.has(b.asset)) {
        ctx.addIssue({ code: 'custom', path: [i, 'asset'], message: `${b.asset} is listed twice` })
      }
      seen.add(b.asset)
    })
    if (!list.some((b) => Decimal.tryParse(b.amount)?.isPositive() === true)) {
      ctx.addIssue({
        code: 'custom',
        path: [0, 'amount'],
        message: 'at least one starting balance above zero',
      })
    }
  })
