import { z } from 'zod'
import { command } from './define'

/** VaR and ES at 95 % and 99 %, losses positive, in the valuation currency; null where the history is too short. */
const tailSchema = z.object({
  var95: z.number().nullable(),
  es95: z.number().nullable(),
  var99: z.number().nullable(),
  es99: z.number().nullable(),
})
const groupSchema = z.array(z.object({ key: z.string(), value: z.number() }))

export const portfolioRiskSchema = z.object({
  currency: z.string(),
  benchmark: z.string(),
  horizonDays: z.number().int(),
  paths: z.number().int(),
  exposure: z.object({
    gross: z.number(),
    net: z.number(),
    byAsset: groupSchema,
    byAccount: groupSchema,
    byStrategy: groupSchema,
  }),
  assets: z.array(
    z.object({
      asset: z.string(),
      exposure: z.number(),
      volDaily: z.number(),
      volAnnual: z.number(),
      beta: z.number().nullable(),
    }),
  ),
  portfolio: z.object({
    volDaily: z.number(),
    volAnnual: z.number(),
    beta: z.number().nullable(),
    skew: z.number(),
    exKurt: z.number(),
  }),
  correlation: z.object({ assets: z.array(z.string()), matrix: z.array(z.array(z.number())) }),
  methods: z.array(
    z.object({
      method: z.enum(['historical', 'normal', 'cornish-fisher', 'monte-carlo']),
      oneDay: tailSchema,
      nDays: tailSchema,
      /** The history used: first and last day (ms) and the number of daily returns. */
      window: z.object({ from: z.number(), to: z.number(), returns: z.number().int() }),
      note: z.string(),
    }),
  ),
  positions: z.array(
    z.object({
      key: z.string(),
      account: z.string(),
      strategy: z.string().nullable(),
      symbol: z.string(),
      asset: z.string(),
      quantity: z.number(),
      price: z.number(),
      value: z.number(),
      marginalVar95: z.number(),
      marginalVar99: z.number(),
      componentVar95: z.number(),
      componentVar99: z.number(),
    }),
  ),
  stress: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      source: z.string(),
      positions: z.array(
        z.object({ key: z.string(), asset: z.string(), shock: z.number(), pnl: z.number() }),
      ),
      total: z.number(),
    }),
  ),
  withoutHistory: z.array(z.string()),
})
export type PortfolioRiskView = z.infer<typeof portfolioRiskSchema>

const asset = z.string().regex(/^[A-Z0-9]{2,12}$/, 'an asset code such as BTC')
/** A move as a fraction: −0.2 is −20 %; at least −100 %. */
const shock = z.number().min(-1).max(10)

export const portfolioRiskCommands = {
  'risk.portfolio': command({
    description:
      'Portfolio risk of every open position across accounts, valued in `currency` (USDT): exposure by ' +
      'asset, account and strategy; volatility and beta against `benchmark` (BTC); the correlation matrix; ' +
      'VaR and ES at 95 % and 99 % over 1 day and `horizonDays` by historical (empyrical), normal, ' +
      'Cornish-Fisher and Monte Carlo (`paths`, seeded), from the last `days` daily closes; component and ' +
      'marginal VaR per position; the historical stress scenarios and a custom shock (`custom`: per asset ' +
      'moves and `other` for the rest; BTC −20 %, others −35 % by default). Computed in a worker.',
    params: z
      .object({
        currency: asset.optional(),
        benchmark: asset.optional(),
        horizonDays: z.number().int().min(1).max(250).optional(),
        days: z.number().int().min(20).max(5000).optional(),
        paths: z.number().int().min(1000).max(1_000_000).optional(),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31)
          .optional(),
        custom: z
          .object({ shocks: z.record(asset, shock), other: shock })
          .strict()
          .optional(),
      })
      .strict(),
    result: portfolioRiskSchema,
  }),
}
