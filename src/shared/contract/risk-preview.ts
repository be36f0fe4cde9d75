import { z } from 'zod'
import { decimalSchema } from '../decimal/schema'
import { orderRequestSchema } from '../domain/trading'
import { command } from './define'

/** One limit as the order would meet it: the value now, after the order, and what is left. */
export const limitHeadroomSchema = z.object({
  /** The rule's name as in `risk_rejected` and the audit log (`max_order_notional`, ...). */
  rule: z.string(),
  label: z.string(),
  /** `money` in the account's currency, `count` of orders, `percent`, `ratio` (x equity), `list`. */
  unit: z.enum(['money', 'count', 'percent', 'ratio', 'list']),
  /** The limit as applied (null: off). */
  limit: z.string().nullable(),
  /** The rule's value now and after the order (null where it has none: e.g. before the first valuation). */
  now: z.string().nullable(),
  after: z.string().nullable(),
  /** limit − after (negative: the order breaks it); null where the limit is off or the value unknown. */
  headroom: z.string().nullable(),
  /**
   * Whether the rule looks at this order: money rules skip orders that only reduce a position and
   * markets not quoted in the account's currency.
   */
  applies: z.boolean(),
  /** Why the rule does not apply, or what the values are (one short phrase). */
  note: z.string().nullable(),
})
export type LimitHeadroom = z.infer<typeof limitHeadroomSchema>

export const orderRiskPreviewSchema = z.object({
  accountId: z.string(),
  symbol: z.string(),
  currency: z.string(),
  /** The order as it would be checked (rounded), its reference price and notional. */
  side: z.enum(['buy', 'sell']),
  amount: decimalSchema,
  referencePrice: decimalSchema,
  notional: decimalSchema,
  /** The trading state orders meet on the account (the stricter of global and its own). */
  state: z.enum(['ACTIVE', 'REDUCING', 'HALTED']),
  /** The rule that would refuse the order now, or null: the same check the order path runs. */
  refusal: z
    .object({ rule: z.string(), limit: z.string(), value: z.string(), message: z.string() })
    .nullable(),
  limits: z.array(limitHeadroomSchema),
  /**
   * The account's 1-day 95 % historical VaR (empyrical's quantile, as in risk.portfolio) of its
   * positions quoted in the account's currency, before and after the order; null when no daily
   * history is at hand (`note` says why).
   */
  var: z.object({
    before: z.number().nullable(),
    after: z.number().nullable(),
    /** Daily returns used, and the window's first and last day (ms). */
    returns: z.number().int(),
    from: z.number().nullable(),
    to: z.number().nullable(),
    note: z.string(),
  }),
})
export type OrderRiskPreview = z.infer<typeof orderRiskPreviewSchema>

export const riskPreviewCommands = {
  'risk.previewOrder': command({
    description:
      'What an order not sent would do to the account’s risk: each limit’s value now and after the order with ' +
      'its headroom, the rule that would refuse it (the same check the order path runs, counting nothing), and ' +
      'the account’s 1-day 95 % historical VaR before and after. The ticket asks it as the trader types. An ' +
      'order the market’s rules or the balance refuse answers that error, as trading.validateOrder does.',
    params: orderRequestSchema,
    result: orderRiskPreviewSchema,
  }),
}
