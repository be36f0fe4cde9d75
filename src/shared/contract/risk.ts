import { z } from 'zod'
import { decimalSchema, positiveDecimalSchema } from '../decimal/schema'
import { command, stream } from './define'
import { portfolioRiskCommands } from './risk-portfolio'
import { riskPreviewCommands } from './risk-preview'

/**
 * The risk engine's limits (src/main/risk). Every limit is optional: one left out on an account
 * falls back to the global one, then to the default (`RISK_DEFAULTS`); `null` on an account
 * turns a global limit off there. Money limits are in the account's currency (`currency`) and
 * apply to markets quoted in it. Edges (docs/RISK.md): a value equal to a maximum passes; a daily
 * loss or drawdown equal to its limit has reached it and refuses.
 */
export const riskLimitsSchema = z
  .object({
    /** The currency money limits and P&L are in (USDT by default). */
    currency: z
      .string()
      .regex(/^[A-Z0-9]{2,12}$/, 'an asset code such as USDT')
      .optional(),
    /** Largest notional (amount x price) of one order. */
    maxOrderNotional: positiveDecimalSchema.nullable().optional(),
    /** Largest position in one symbol, as notional at its mark, after the order. */
    maxPositionNotional: positiveDecimalSchema.nullable().optional(),
    /** Largest sum of every position's notional on the account, after the order. */
    maxExposure: positiveDecimalSchema.nullable().optional(),
    /** Most orders resting (open, partly filled, on their way) on the account at once. */
    maxOpenOrders: z.number().int().min(1).max(100_000).nullable().optional(),
    /** Most orders accepted in any 1 s and any 60 s. */
    maxOrdersPerSecond: z.number().int().min(1).max(10_000).nullable().optional(),
    maxOrdersPerMinute: z.number().int().min(1).max(600_000).nullable().optional(),
    /** Today's loss (realised plus change in unrealised since the reset) at which the rule acts. */
    dailyLossLimit: positiveDecimalSchema.nullable().optional(),
    /** What reaching the daily loss limit does until the reset: HALTED, or REDUCING. */
    dailyLossAction: z.enum(['halt', 'reduce']).optional(),
    /** The hour (0-23) of the trading day's start, in `dailyResetTimeZone` (IANA). */
    dailyResetHour: z.number().int().min(0).max(23).optional(),
    dailyResetTimeZone: z
      .string()
      .min(1)
      .max(64)
      .refine((tz) => validTimeZone(tz), 'an IANA time zone such as Europe/Berlin or UTC')
      .optional(),
    /** Drawdown from peak equity, in percent, at which exposure-increasing orders are refused. */
    maxDrawdownPercent: positiveDecimalSchema.nullable().optional(),
    /** Largest exposure / equity after the order. */
    maxLeverage: positiveDecimalSchema.nullable().optional(),
    /** Only these symbols may be traded (null or absent: any). */
    allowedSymbols: z.array(z.string().min(1).max(40)).max(1000).nullable().optional(),
  })
  .strict()
export type RiskLimits = z.infer<typeof riskLimitsSchema>

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

/** What applies where nothing is set (shown in the limits form). */
export const RISK_DEFAULTS = {
  currency: 'USDT',
  maxOrderNotional: null,
  maxPositionNotional: null,
  maxExposure: null,
  maxOpenOrders: 500,
  maxOrdersPerSecond: 20,
  maxOrdersPerMinute: 600,
  dailyLossLimit: null,
  dailyLossAction: 'halt',
  dailyResetHour: 0,
  dailyResetTimeZone: 'UTC',
  maxDrawdownPercent: null,
  maxLeverage: null,
  allowedSymbols: null,
} as const satisfies Required<RiskLimits>

export type EffectiveRiskLimits = {
  -readonly [K in keyof typeof RISK_DEFAULTS]-?: Exclude<RiskLimits[K], undefined>
}

export const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED'] as const
export const tradingStateSchema = z.enum(TRADING_STATES)
export type TradingState = z.infer<typeof tradingStateSchema>

export const stateEntrySchema = z.object({
  /** `global`, or an account id. */
  scope: z.string(),
  state: tradingStateSchema,
  reason: z.string(),
  setBy: z.enum(['trader', 'rule', 'kill_switch']),
  since: z.number(),
  /** When a rule's state ends by itself (the daily reset); null when it stays until changed. */
  until: z.number().nullable(),
})
export type StateEntry = z.infer<typeof stateEntrySchema>

export const accountRiskSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  /** This account's own state (the global state applies on top of it). */
  state: stateEntrySchema,
  /** What orders meet: the stricter of the global and the account's state. */
  effective: stateEntrySchema,
  limits: riskLimitsSchema,
  /** Global, then account, then defaults, merged. */
  effectiveLimits: riskLimitsSchema,
  currency: z.string(),
  /** As last valued (every 2 s): null until the first valuation. */
  dayPnl: decimalSchema.nullable(),
  equity: decimalSchema.nullable(),
  peakEquity: decimalSchema.nullable(),
  exposure: decimalSchema,
  openOrders: z.number().int(),
  /** Start of the current trading day (the last reset), ms. */
  dayStart: z.number(),
})
export type AccountRisk = z.infer<typeof accountRiskSchema>

export const riskOverviewSchema = z.object({
  global: stateEntrySchema,
  globalLimits: riskLimitsSchema,
  defaults: riskLimitsSchema,
  accounts: z.array(accountRiskSchema),
})
export type RiskOverview = z.infer<typeof riskOverviewSchema>

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.number(),
  accountId: z.string().nullable(),
  /** `order` (a check), `modify`, `state` (a change of state), `limits`, `kill_switch`. */
  action: z.enum(['order', 'modify', 'state', 'limits', 'kill_switch']),
  decision: z.enum(['accepted', 'rejected', 'done']),
  /** The rule that decided (`max_order_notional`, `halted`, ...); null for an acceptance. */
  rule: z.string().nullable(),
  limit: z.string().nullable(),
  value: z.string().nullable(),
  message: z.string(),
  /** What was asked, as JSON text (an order's symbol, side, amount, price, notional). */
  request: z.string(),
})
export type AuditEntry = z.infer<typeof auditEntrySchema>

export const killSwitchReportSchema = z.object({
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  running: z.boolean(),
  closePositions: z.boolean(),
  /** Orders canceled, and those still open (their cancels are retried while the exchange fails). */
  canceled: z.number().int(),
  outstanding: z.array(
    z.object({ accountId: z.string(), clientOrderId: z.string(), symbol: z.string(), error: z.string() }),
  ),
  closed: z.array(z.object({ accountId: z.string(), symbol: z.string(), amount: decimalSchema })),
  closeFailures: z.array(z.object({ accountId: z.string(), symbol: z.string(), error: z.string() })),
  /** One line a trader reads: what was done, what is outstanding, and that it keeps retrying. */
  summary: z.string(),
})
export type KillSwitchReport = z.infer<typeof killSwitchReportSchema>

export const riskUpdateSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('overview'), overview: riskOverviewSchema }),
  z.object({ type: z.literal('killSwitch'), report: killSwitchReportSchema }),
])
export type RiskUpdate = z.infer<typeof riskUpdateSchema>

const scopeSchema = z.union([z.literal('global'), z.string().min(1).max(200)])

export const riskContract = {
  ...portfolioRiskCommands,
  ...riskPreviewCommands,
  'risk.overview': command({
    description:
      'The risk engine at a glance: the global trading state and limits, the defaults, and per account its ' +
      'state (its own and the effective one, with the reason), limits as set and as applied, and what the ' +
      'rules read (today’s P&L, equity, peak equity, exposure, open orders) in the account’s currency.',
    params: z.object({}).strict(),
    result: riskOverviewSchema,
  }),
  'risk.setLimits': command({
    description:
      'Sets the limits of `global` or of one account (the whole set: a limit left out falls back to the ' +
      'global one or the default; null on an account turns a global limit off there). Recorded in the audit log.',
    params: z.object({ scope: scopeSchema, limits: riskLimitsSchema }).strict(),
    result: riskOverviewSchema,
  }),
  'risk.setState': command({
    description:
      'Sets the trading state of `global` or one account: ACTIVE, REDUCING (only orders that reduce a ' +
      'position) or HALTED (no new orders or modifications; cancels always pass), with the trader’s reason.',
    params: z
      .object({ scope: scopeSchema, state: tradingStateSchema, reason: z.string().max(200).optional() })
      .strict(),
    result: riskOverviewSchema,
  }),
  'risk.killSwitch': command({
    description:
      'The kill switch: sets HALTED everywhere, cancels every open order on every account (held and ' +
      'waiting ones included), closes every position at market when `closePositions`, and answers what was ' +
      'done and what is outstanding. Needs `confirm: true`. Pressing it again while it runs answers the same ' +
      'run; cancels that fail are retried until they pass.',
    params: z.object({ confirm: z.literal(true), closePositions: z.boolean().default(false) }).strict(),
    result: killSwitchReportSchema,
  }),
  'risk.killSwitchStatus': command({
    description:
      'The last kill switch run’s report as it stands now (its cancels retried meanwhile), or null when it never ran.',
    params: z.object({}).strict(),
    result: killSwitchReportSchema.nullable(),
  }),
  'risk.audit': command({
    description:
      'The audit log, newest first: every decision of the risk engine (orders accepted and refused, ' +
      'state changes, limits set, kill switch runs) with what was asked, the rule, the limit and the value.',
    params: z
      .object({
        accountId: z.string().optional(),
        decision: z.enum(['accepted', 'rejected', 'done']).optional(),
        beforeId: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(5000).default(200),
      })
      .strict(),
    result: z.array(auditEntrySchema),
  }),
  'risk.exportAudit': command({
    description:
      'Writes the audit log (optionally one account’s) to a CSV file at `path`; answers the rows written.',
    params: z.object({ path: z.string().min(1).max(1000), accountId: z.string().optional() }).strict(),
    result: z.object({ path: z.string(), rows: z.number().int() }),
  }),
  'risk.updates': stream({
    description:
      'The risk overview as it changes (a state set by the trader or a rule, a valuation that moved a figure ' +
      'the header shows), first an `overview`, and the kill switch’s progress (`killSwitch`).',
    params: z.object({}).strict(),
    event: riskUpdateSchema,
  }),
}
