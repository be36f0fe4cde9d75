/**
 * A backtest's settings: cash, fills, costs, sizing. Parsed with zod so bad input names its
 * field; every field has a default, so `{}` is a valid run (10,000 cash, next-open fills, no
 * costs, all equity per trade, long only).
 */
import { z } from 'zod'
import { AppError } from '../../shared/contract/errors'

export const sizingSchema = z.discriminatedUnion('mode', [
  /** A fixed number of units per entry. */
  z.object({ mode: z.literal('units'), value: z.number().gt(0) }),
  /** A fixed amount of the quote currency per entry (fees included). */
  z.object({ mode: z.literal('quote'), value: z.number().gt(0) }),
  /** A fraction of equity per entry (1 = all of it; more needs leverage). */
  z.object({ mode: z.literal('percent'), value: z.number().gt(0) }),
  /** The fraction of equity lost if the stop-loss is hit (needs the strategy's stop-loss). */
  z.object({ mode: z.literal('risk'), value: z.number().gt(0).lt(1) }),
])
export type Sizing = z.infer<typeof sizingSchema>

export const backtestSettingsSchema = z.object({
  /** Starting cash in the quote currency. */
  cash: z.number().gt(0).default(10_000),
  /** Market orders fill at the next bar's open, or at the signal bar's own close (flagged). */
  fill: z.enum(['next-open', 'close']).default('next-open'),
  fees: z
    .object({
      /** Fraction of the notional for limit fills and take-profits (0.001 = 0.1 %). */
      maker: z.number().min(0).lt(1).default(0),
      /** Fraction of the notional for market, stop and trailing fills. */
      taker: z.number().min(0).lt(1).default(0),
      /** Fixed amount per fill, in the quote currency. */
      fixed: z.number().min(0).default(0),
    })
    .prefault({}),
  slippage: z
    .object({
      /** Adverse basis points on market, stop and trailing fills. */
      bps: z.number().min(0).max(10_000).default(0),
      /** Adverse fraction of the fill bar's high-low range on the same fills. */
      rangeFraction: z.number().min(0).max(1).default(0),
      /** At most this fraction of a bar's volume fills; the rest keeps working (0 = no cap). */
      volumeShare: z.number().min(0).max(1).default(0),
    })
    .prefault({}),
  /** Yearly borrow or funding rate charged on short notional at each close (0.05 = 5 %/year). */
  borrowRate: z.number().min(0).max(10).default(0),
  sizing: sizingSchema.default({ mode: 'percent', value: 1 }),
  /** Sizes are rounded down to a multiple of this (1 = whole units; 0 = no rounding). */
  lotStep: z.number().min(0).default(0),
  sides: z.enum(['long', 'short', 'both']).default('long'),
  /** Total position notional may reach equity times this. */
  leverage: z.number().min(1).max(1000).default(1),
  /** Portfolio runs: at most this many symbols in a position at once. */
  maxOpenPositions: z.number().int().min(1).optional(),
  /** Portfolio runs: weight per symbol applied to percent and risk sizing (default equal, 1 each). */
  allocation: z.record(z.string(), z.number().gt(0).max(1)).optional(),
  /** Close what is open at the end of the range (at the last close), so every trade is counted. */
  closeAtEnd: z.boolean().default(true),
  /** `backtesting.py`: that library's conventions (docs/BACKTEST.md, "Compatibility"). */
  compat: z.enum(['none', 'backtesting.py']).default('none'),
  /**
   * Resolve fills inside a bar on finer bars of the same symbol where the data has them
   * (docs/BACKTEST.md "Fill model"); bars without them follow the intrabar path.
   */
  intrabar: z.boolean().default(false),
  /** Inclusive range of bar times to trade (ms); bars before `from` only warm indicators up. */
  from: z.number().optional(),
  to: z.number().optional(),
})

export type BacktestSettingsInput = z.input<typeof backtestSettingsSchema>
export type BacktestSettings = z.output<typeof backtestSettingsSchema>

/** Parses settings, naming the bad field; applies the compatibility mode's fixed conventions. */
export function parseSettings(input: unknown): BacktestSettings {
  const r = backtestSettingsSchema.safeParse(input ?? {})
  if (!r.success) {
    const issue = r.error.issues[0]!
    const path = issue.path.join('.')
    throw new AppError('validation', `settings.${path}: ${issue.message}`, path)
  }
  const s = r.data
  if (s.compat === 'backtesting.py') {
    // backtesting.py: market orders at the next open, all available cash in whole units,
    // commission on entry and exit, shorts allowed, open trades closed at the end.
    return {
      ...s,
      fill: 'next-open',
      sizing: { mode: 'percent', value: 1 - Number.EPSILON },
      lotStep: 1,
      sides: 'both',
      fees: { maker: s.fees.taker, taker: s.fees.taker, fixed: s.fees.fixed },
      slippage: { bps: 0, rangeFraction: 0, volumeShare: 0 },
      closeAtEnd: true,
    }
  }
  return s
}
