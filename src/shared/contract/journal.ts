import { z } from 'zod'
import { decimalSchema, positiveDecimalSchema } from '../decimal/schema'
import { signalReasonSchema } from '../domain/signals'
import { timeframeSchema } from '../domain/timeframes'
import { command, stream } from './define'

/**
 * The trade journal: every fill of every account grouped into round-trip trades (flat to flat),
 * with what Candlework knows about each (exit reason, R, MAE/MFE, the signal at entry) and the
 * trader's own notes, tags and rating. Money is exact decimal text, as in the trading contract;
 * ratios (return %, R, MAE/MFE %) are numbers. docs/JOURNAL.md states every convention.
 */

export const MATCHING_METHODS = ['fifo', 'lifo', 'average'] as const
export const matchingMethodSchema = z.enum(MATCHING_METHODS)
export type MatchingMethod = z.infer<typeof matchingMethodSchema>

export const EXIT_REASONS = [
  'manual',
  'stop-loss',
  'take-profit',
  'trailing',
  'strategy',
  'liquidation',
] as const
export const exitReasonSchema = z.enum(EXIT_REASONS)
export type ExitReason = z.infer<typeof exitReasonSchema>

export const TAG_KINDS = ['setup', 'mistake', 'custom'] as const
export const tagSchema = z
  .object({
    kind: z.enum(TAG_KINDS),
    name: z.string().trim().min(1, 'a tag needs a name').max(40, 'at most 40 characters'),
  })
  .strict()
export type Tag = z.infer<typeof tagSchema>

/** The signal of the trade's market at entry: the newest closed bar's score before the first fill. */
export const signalSnapshotSchema = z.object({
  profile: z.string(),
  timeframe: timeframeSchema,
  /** Open time of the bar the signal closed with. */
  time: z.number(),
  score: z.number(),
  direction: z.enum(['buy', 'sell', 'neutral']),
  confidence: z.number(),
  reasons: z.array(signalReasonSchema),
})
export type SignalSnapshot = z.infer<typeof signalSnapshotSchema>

/** Adverse or favourable excursion: the worst (best) price while the trade was open, and its % from the average entry. */
export const excursionSchema = z.object({ price: decimalSchema, pct: z.number() })

/** A fee in a third currency and its value in the trade's quote currency at its fills' times. */
export const otherFeeSchema = z.object({
  currency: z.string(),
  cost: decimalSchema,
  /** In the quote; null when a fill's price was not known (then the fee is not in `fees`). */
  converted: decimalSchema.nullable(),
  /** Why it is not converted (`no BNB/USDT price at 2025-03-03T09:00:30.000Z`), else null. */
  note: z.string().nullable(),
})
export type OtherFee = z.infer<typeof otherFeeSchema>

/** A trade's P&L in its account's currency (the trade's own figures when that is the quote). */
export const accountPnlSchema = z.object({
  currency: z.string(),
  /** Units of the account's currency per unit of quote at the exit (at the latest fill while open). */
  rate: decimalSchema.nullable(),
  grossPnl: decimalSchema.nullable(),
  netPnl: decimalSchema.nullable(),
  /** Why there are no figures (`no USDT/EUR price at ...`), else null. */
  note: z.string().nullable(),
})
export type AccountPnl = z.infer<typeof accountPnlSchema>

export const journalTradeSchema = z.object({
  /** Stable across rebuilds: account, symbol, and the time and trade id of its first entry fill. */
  key: z.string(),
  accountId: z.string(),
  /** The account's name when the journal last saw it (kept after the account is deleted). */
  accountName: z.string(),
  symbol: z.string(),
  /** The quote currency: every money figure of the trade is in it. */
  quote: z.string(),
  side: z.enum(['long', 'short']),
  status: z.enum(['open', 'closed']),
  entryTime: z.number(),
  /** Time of the fill that made it flat; null while open. */
  exitTime: z.number().nullable(),
  avgEntry: decimalSchema,
  avgExit: decimalSchema.nullable(),
  /** Quantity entered (net of fees paid in the base currency), and how much of it is exited. */
  size: decimalSchema,
  exitedSize: decimalSchema,
  /** Realized P&L before fees (quote): the whole trade when closed, its exits so far while open. */
  grossPnl: decimalSchema,
  /**
   * Fees in the quote currency: base-currency fees at their fill's price, third-currency fees
   * (`otherFees`) converted at their fill's time where a price is known (docs/JOURNAL.md).
   */
  fees: decimalSchema,
  netPnl: decimalSchema,
  /**
   * Fees in a third currency (BNB...), each with its value in the quote (`converted`, counted in
   * `fees` and `netPnl`), or null and a `note` saying why not (no price known: not counted).
   */
  otherFees: z.array(otherFeeSchema),
  /** Gross and net P&L in the account's currency, at the price at exit; null when its currency is unknown. */
  accountPnl: accountPnlSchema.nullable(),
  /** Net P&L over the entered value, in %; null while open. */
  returnPct: z.number().nullable(),
  holdingMs: z.number().nullable(),
  exitReason: exitReasonSchema.nullable(),
  /** The initial stop R is measured from: a stop-loss order resting at entry, or one the trader entered. */
  stopPrice: decimalSchema.nullable(),
  stopSource: z.enum(['order', 'trader']).nullable(),
  /** Net P&L over the initial risk (|avg entry - stop| x size); null without a stop. */
  r: z.number().nullable(),
  mae: excursionSchema.nullable(),
  mfe: excursionSchema.nullable(),
  signal: signalSnapshotSchema.nullable(),
  /** What placed the trade: the id of the strategy whose run placed its first entry (`sma-cross`), else `manual`. */
  strategy: z.string(),
  notes: z.string(),
  tags: z.array(tagSchema),
  rating: z.number().int().min(1).max(5).nullable(),
  fillCount: z.number().int(),
})
export type JournalTrade = z.infer<typeof journalTradeSchema>

export const journalFillSchema = z.object({
  tradeId: z.string(),
  orderId: z.string(),
  clientOrderId: z.string().nullable(),
  side: z.enum(['buy', 'sell']),
  /** `entry` adds to the position, `exit` reduces it; a fill that flips is split into both. */
  role: z.enum(['entry', 'exit']),
  /** The part of the fill in this trade, net of a base-currency fee. */
  amount: decimalSchema,
  price: decimalSchema,
  fee: decimalSchema,
  /** Gross P&L this exit realized under the matching method; null for entries. */
  realized: decimalSchema.nullable(),
  time: z.number(),
})
export type JournalFill = z.infer<typeof journalFillSchema>

export const SORT_COLUMNS = [
  'entryTime',
  'exitTime',
  'accountName',
  'symbol',
  'side',
  'status',
  'avgEntry',
  'avgExit',
  'size',
  'grossPnl',
  'fees',
  'netPnl',
  'returnPct',
  'holdingMs',
  'exitReason',
  'r',
  'maePct',
  'mfePct',
  'signalScore',
  'strategy',
  'rating',
] as const
export const sortColumnSchema = z.enum(SORT_COLUMNS)
export type SortColumn = z.infer<typeof sortColumnSchema>

export const journalFilterSchema = z
  .object({
    /** Entry time range, ms UTC, inclusive. */
    from: z.number().optional(),
    to: z.number().optional(),
    accountId: z.string().optional(),
    symbol: z.string().optional(),
    side: z.enum(['long', 'short']).optional(),
    status: z.enum(['open', 'closed']).optional(),
    /** Trades carrying this tag name (any kind). */
    tag: z.string().optional(),
    strategy: z.string().optional(),
    /** win: net P&L > 0, loss: < 0 (closed trades only). */
    outcome: z.enum(['win', 'loss']).optional(),
    rMin: z.number().optional(),
    rMax: z.number().optional(),
    /** Case-insensitive text in the notes. */
    search: z.string().max(200).optional(),
  })
  .strict()
export type JournalFilter = z.infer<typeof journalFilterSchema>

export const journalTotalsSchema = z.object({
  count: z.number().int(),
  /** Totals per quote currency: sums of different currencies are never added together. */
  byQuote: z.array(
    z.object({
      quote: z.string(),
      grossPnl: decimalSchema,
      fees: decimalSchema,
      netPnl: decimalSchema,
    }),
  ),
})

const bucketSchema = z.object({
  key: z.string(),
  count: z.number().int(),
  wins: z.number().int(),
  netPnl: decimalSchema,
  winRate: z.number().nullable(),
})
export type AnalyticsBucket = z.infer<typeof bucketSchema>

export const journalAnalyticsSchema = z.object({
  /** The quote currency the figures are in (the filter's trades in other quotes are left out and counted). */
  quote: z.string().nullable(),
  otherQuoteTrades: z.number().int(),
  closedTrades: z.number().int(),
  openTrades: z.number().int(),
  wins: z.number().int(),
  losses: z.number().int(),
  breakeven: z.number().int(),
  netPnl: decimalSchema,
  grossProfit: decimalSchema,
  grossLoss: decimalSchema,
  fees: decimalSchema,
  /** wins / (wins + losses); breakeven trades count in neither. */
  winRate: z.number().nullable(),
  /** gross profit / |gross loss| of net P&Ls; null without a loss. */
  profitFactor: z.number().nullable(),
  /** Net P&L per closed trade. */
  expectancy: decimalSchema.nullable(),
  /** Mean R of the closed trades that have one. */
  expectancyR: z.number().nullable(),
  avgWin: decimalSchema.nullable(),
  avgLoss: decimalSchema.nullable(),
  /** avg win / |avg loss|. */
  payoffRatio: z.number().nullable(),
  largestWin: decimalSchema.nullable(),
  largestLoss: decimalSchema.nullable(),
  maxConsecutiveWins: z.number().int(),
  maxConsecutiveLosses: z.number().int(),
  avgHoldingMs: z.number().nullable(),
  /** Cumulative net P&L after each closed trade, by exit time; drawdown is its distance below the running peak (<= 0). */
  equity: z.array(z.object({ time: z.number(), equity: decimalSchema, drawdown: decimalSchema })),
  maxDrawdown: decimalSchema,
  bySymbol: z.array(bucketSchema),
  byTag: z.array(bucketSchema),
  byStrategy: z.array(bucketSchema),
  bySide: z.array(bucketSchema),
  /** Monday..Sunday of the exit, in the requested time zone. */
  byWeekday: z.array(bucketSchema),
  /** 0..23, the hour of the entry in the requested time zone. */
  byHour: z.array(bucketSchema),
  byHolding: z.array(bucketSchema),
  /** Net P&L per calendar day of exit (YYYY-MM-DD in the time zone). */
  daily: z.array(z.object({ day: z.string(), count: z.number().int(), netPnl: decimalSchema })),
  /** Trade returns (%) in equal-width bins. */
  returns: z.array(z.object({ from: z.number(), to: z.number(), count: z.number().int() })),
})
export type JournalAnalytics = z.infer<typeof journalAnalyticsSchema>

/** A trade or bar statistically unusual for its symbol (docs/JOURNAL.md "Unusual activity"). */
export const unusualFlagSchema = z.object({
  measure: z.enum(['trade-return', 'bar-return', 'bar-volume']),
  /** Robust z-score: distance from the symbol's median in scaled MADs (signed). */
  z: z.number(),
  /** The reason in words, with the figures it rests on. */
  reason: z.string(),
})

const kpisSchema = z.object({
  closedTrades: z.number().int(),
  wins: z.number().int(),
  losses: z.number().int(),
  netPnl: decimalSchema,
  winRate: z.number().nullable(),
  profitFactor: z.number().nullable(),
  expectancy: decimalSchema.nullable(),
  expectancyR: z.number().nullable(),
})
export type JournalKpis = z.infer<typeof kpisSchema>

export const journalSummarySchema = z.object({
  /** The quote currency of every figure (the most traded one), null without a closed trade. */
  quote: z.string().nullable(),
  /** Local midnight (UTC ms) that starts today and this week (Monday) in the time zone asked. */
  todayFrom: z.number(),
  weekFrom: z.number(),
  /** Closed trades by exit time: today, this week, all of them. */
  today: kpisSchema,
  week: kpisSchema,
  all: kpisSchema,
  maxDrawdown: decimalSchema,
  /**
   * The all-time equity curve (cumulative net P&L by exit), thinned to at most `points` points:
   * of each run of trades the lowest and highest equity are kept, and the last point always.
   */
  equity: z.array(z.object({ time: z.number(), equity: decimalSchema })),
  openTrades: z.number().int(),
})
export type JournalSummary = z.infer<typeof journalSummarySchema>

const timeZoneSchema = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz })
      return true
    } catch {
      return false
    }
  }, 'an IANA time zone such as Europe/Paris or UTC')

export const journalEditSchema = z
  .object({
    key: z.string().min(1),
    notes: z.string().max(20_000, 'at most 20,000 characters').optional(),
    tags: z.array(tagSchema).max(30, 'at most 30 tags').optional(),
    rating: z.number().int('a whole number from 1 to 5').min(1).max(5).nullable().optional(),
    /** The initial stop the trader sets for R (null clears it: R falls back to the stop order). */
    stopPrice: positiveDecimalSchema.nullable().optional(),
  })
  .strict()

export const journalContract = {
  'journal.list': command({
    description:
      'Round-trip trades matching a filter, sorted on any column, one page at a time (offset/limit), with the total count and the totals of the filter per quote currency.',
    params: z
      .object({
        filter: journalFilterSchema.default({}),
        sort: z
          .object({ column: sortColumnSchema, dir: z.enum(['asc', 'desc']) })
          .strict()
          .optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    result: z.object({
      trades: z.array(journalTradeSchema),
      totals: journalTotalsSchema,
      /** The page's trades whose return is unusual for their symbol, by trade key. */
      unusual: z.record(z.string(), unusualFlagSchema),
    }),
  }),
  'journal.get': command({
    description:
      "One trade with its fills (each split into entry and exit parts) and the candles around it at the finest timeframe stored for its market, for the trade's chart.",
    params: z.object({ key: z.string().min(1) }).strict(),
    result: z.object({
      trade: journalTradeSchema,
      fills: z.array(journalFillSchema),
      chart: z
        .object({
          timeframe: timeframeSchema,
          candles: z.array(
            z.object({
              time: z.number(),
              open: z.number(),
              high: z.number(),
              low: z.number(),
              close: z.number(),
            }),
          ),
        })
        .nullable(),
      /** Why the trade's return is unusual for its symbol; null when it is not. */
      unusual: unusualFlagSchema.nullable(),
    }),
  }),
  'journal.update': command({
    description:
      "The trader's edits of one trade: notes (markdown), tags, a 1-5 rating and the initial stop for R. Only the fields given change; stored apart from the trades so they survive a rebuild.",
    params: journalEditSchema,
    result: journalTradeSchema,
  }),
  'journal.analytics': command({
    description:
      'Performance figures for the trades of a filter: win rate, profit factor, expectancy, equity and drawdown, breakdowns (hour and weekday in the time zone given), daily P&L and a histogram of returns. Figures of one quote currency (the most traded one unless named).',
    params: z
      .object({
        filter: journalFilterSchema.default({}),
        timeZone: timeZoneSchema.default('UTC'),
        quote: z.string().optional(),
      })
      .strict(),
    result: journalAnalyticsSchema,
  }),
  'journal.summary': command({
    description:
      "The dashboard's figures: net P&L, win rate, trades, profit factor and expectancy of the trades closed today, this week (from Monday) and ever, in the time zone given, with the all-time equity curve thinned to at most `points` points. Same definitions as `journal.analytics`.",
    params: z
      .object({
        timeZone: timeZoneSchema.default('UTC'),
        points: z.number().int().min(2).max(5000).default(400),
      })
      .strict(),
    result: journalSummarySchema,
  }),
  'journal.rebuild': command({
    description:
      'Rebuilds every trade from the fills (keeping notes, tags, ratings and stops), optionally with another matching method, which is kept from then on.',
    params: z.object({ method: matchingMethodSchema.optional() }).strict(),
    result: z.object({ trades: z.number().int(), fills: z.number().int(), method: matchingMethodSchema }),
  }),
  'journal.settings': command({
    description: 'The matching method the journal uses (fifo by default).',
    params: z.object({}).strict(),
    result: z.object({ method: matchingMethodSchema }),
  }),
  'journal.updates': stream({
    description:
      'Trades that changed (a fill arrived, an edit was saved), as they change; `rebuilt` after a rebuild, when every trade may have changed.',
    params: z.object({}).strict(),
    event: z.discriminatedUnion('type', [
      z.object({ type: z.literal('trades'), trades: z.array(journalTradeSchema) }),
      z.object({ type: z.literal('rebuilt'), method: matchingMethodSchema }),
    ]),
  }),
}
