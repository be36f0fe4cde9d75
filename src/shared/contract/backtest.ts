import { z } from 'zod'
import { command, stream } from './define'
import { timeframeSchema } from '../domain/timeframes'

/** One parameter of a built-in strategy, for a form generated from it. */
export const strategyParamSchema = z.object({
  name: z.string(),
  kind: z.enum(['integer', 'number', 'choice', 'boolean']),
  default: z.union([z.number(), z.string(), z.boolean()]),
  /** Hard bounds (from the schema) where it has them. */
  min: z.number().nullable(),
  max: z.number().nullable(),
  /** The range an optimiser walks by default. */
  range: z.object({ min: z.number(), max: z.number(), step: z.number() }).nullable(),
  choices: z.array(z.string()).nullable(),
  description: z.string(),
})

export const strategyInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  params: z.array(strategyParamSchema),
})

/** A run's settings as docs/BACKTEST.md describes them; every field optional (defaults apply). */
export const backtestSettingsParamsSchema = z
  .object({
    cash: z.number().optional(),
    fill: z.enum(['next-open', 'close']).optional(),
    fees: z
      .object({ maker: z.number().optional(), taker: z.number().optional(), fixed: z.number().optional() })
      .optional(),
    slippage: z
      .object({
        bps: z.number().optional(),
        rangeFraction: z.number().optional(),
        volumeShare: z.number().optional(),
      })
      .optional(),
    borrowRate: z.number().optional(),
    sizing: z.object({ mode: z.enum(['units', 'quote', 'percent', 'risk']), value: z.number() }).optional(),
    lotStep: z.number().optional(),
    sides: z.enum(['long', 'short', 'both']).optional(),
    leverage: z.number().optional(),
    maxOpenPositions: z.number().int().optional(),
    allocation: z.record(z.string(), z.number()).optional(),
    closeAtEnd: z.boolean().optional(),
    compat: z.enum(['none', 'backtesting.py']).optional(),
    /** Resolve fills inside a bar on the symbol's finer stored bars (1m under 1h) where there are any. */
    intrabar: z.boolean().optional(),
    from: z.number().optional(),
    to: z.number().optional(),
  })
  .strict()

export const backtestStatusSchema = z.enum(['running', 'done', 'failed', 'cancelled'])

/** What the runs list shows of a run. Headline figures are null until it is done. */
export const backtestSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  strategy: z.string(),
  params: z.record(z.string(), z.unknown()),
  symbols: z.array(z.object({ source: z.string(), symbol: z.string() })),
  timeframe: timeframeSchema,
  status: backtestStatusSchema,
  /** Why it failed (the error's message), or null. */
  error: z.string().nullable(),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
  totalReturn: z.number().nullable(),
  sharpe: z.number().nullable(),
  maxDrawdown: z.number().nullable(),
  trades: z.number().nullable(),
})

export const backtestTradeSchema = z.object({
  symbol: z.string(),
  entryTime: z.number(),
  exitTime: z.number(),
  entryPrice: z.number(),
  exitPrice: z.number(),
  size: z.number(),
  pnl: z.number(),
  returnPct: z.number(),
  fees: z.number(),
  slippage: z.number(),
  borrow: z.number(),
  mae: z.number(),
  mfe: z.number(),
  barsHeld: z.number(),
  exitReason: z.string(),
  entryBar: z.number(),
  exitBar: z.number(),
})

export const backtestRunSchema = backtestSummarySchema.extend({
  settings: z.record(z.string(), z.unknown()),
  strategyHash: z.string(),
  dataFingerprint: z.string(),
  /** Null until done. Statistics by the names of docs/BACKTEST.md; a value without meaning is null. */
  metrics: z.record(z.string(), z.unknown()).nullable(),
  trades: z.array(backtestTradeSchema),
  equity: z.object({ time: z.array(z.number()), value: z.array(z.number()) }),
  drawdown: z.array(z.number()),
  ambiguousBars: z.number().nullable(),
  /** Bars whose fills were resolved on finer bars (settings.intrabar); null for older runs. */
  intrabarBars: z.number().nullable(),
  rejectedOrders: z.number().nullable(),
  flags: z.array(z.string()),
})

export const backtestProgressSchema = z.object({
  id: z.string(),
  status: backtestStatusSchema,
  /** Bars done of the total (0 / 0 while the bars are being read). */
  done: z.number(),
  total: z.number(),
  error: z.string().nullable(),
})

/** One parameter set of an optimisation with its numeric statistics (null where a statistic has no value). */
export const optimizeRowSchema = z.object({
  params: z.record(z.string(), z.number()),
  metrics: z.record(z.string(), z.number().nullable()),
})

export const optimizeResultSchema = z.object({
  objective: z.string(),
  /** Best first (the last in-sample window's with walk-forward). */
  rows: z.array(optimizeRowSchema),
  best: optimizeRowSchema.nullable(),
  walkForward: z
    .object({
      folds: z.array(
        z.object({
          best: z.record(z.string(), z.number()).nullable(),
          inSample: z.number().nullable(),
          outOfSample: z.number().nullable(),
        }),
      ),
      inSample: z.number().nullable(),
      outOfSample: z.number().nullable(),
      ratio: z.number().nullable(),
      equity: z.object({ time: z.array(z.number()), value: z.array(z.number()) }),
      warning: z.string().nullable(),
    })
    .nullable(),
})

export const optimizeProgressSchema = z.object({
  id: z.string(),
  status: backtestStatusSchema,
  /** Backtests done of the total (parameter sets per window, plus one per out-of-sample test). */
  done: z.number(),
  total: z.number(),
  error: z.string().nullable(),
  /** Set on the last event of a done optimisation. */
  result: optimizeResultSchema.nullable(),
})

export type OptimizeResultInfo = z.infer<typeof optimizeResultSchema>
export type OptimizeProgress = z.infer<typeof optimizeProgressSchema>

export type StrategyInfo = z.infer<typeof strategyInfoSchema>
export type BacktestSummary = z.infer<typeof backtestSummarySchema>
export type BacktestRun = z.infer<typeof backtestRunSchema>
export type BacktestProgress = z.infer<typeof backtestProgressSchema>

const idParams = z.object({ id: z.string().min(1) }).strict()

export const backtestContract = {
  'backtest.strategies': command({
    description:
      'The built-in strategies with their parameters (defaults, bounds, search ranges), for a form.',
    params: z.object({}).strict(),
    result: z.array(strategyInfoSchema),
  }),
  'backtest.run': command({
    description:
      'Starts a backtest on the compute pool and answers at once with its summary (status running); ' +
      'follow it with backtest.progress, stop it with backtest.cancel. Parameters and settings are ' +
      'checked first: a bad one is a validation error naming it (params.fast, settings.fees.taker).',
    params: z
      .object({
        name: z.string().max(200).optional(),
        strategy: z.string(),
        params: z.record(z.string(), z.unknown()).default({}),
        symbols: z
          .array(z.object({ source: z.string().default('demo'), symbol: z.string().min(1) }))
          .min(1)
          .max(50),
        timeframe: timeframeSchema,
        /** Bars read per symbol at most (the newest). */
        maxBars: z.number().int().min(10).max(2_000_000).default(200_000),
        settings: backtestSettingsParamsSchema.default({}),
      })
      .strict(),
    result: backtestSummarySchema,
  }),
  'backtest.optimize': command({
    description:
      'Starts a parameter search on the compute pool (grid, random trials from the grid, or model-based TPE; fast < slow ' +
      'kept for the cross strategies), walk-forward by default, and answers with its id; follow it with ' +
      'backtest.optimizeProgress (its last event carries the result), stop it with backtest.cancel. ' +
      'Optimisations are not stored.',
    params: z
      .object({
        strategy: z.string(),
        params: z.record(z.string(), z.unknown()).default({}),
        ranges: z
          .array(
            z
              .object({ name: z.string().min(1), from: z.number(), to: z.number(), step: z.number().gt(0) })
              .strict(),
          )
          .min(1)
          .max(4),
        /** `tpe`: model-based (Tree-structured Parzen Estimator), `trials` sets proposed as it learns. */
        method: z.enum(['grid', 'random', 'tpe']).default('grid'),
        trials: z.number().int().min(1).max(10_000).default(100),
        /** random, tpe: the seed (the same seed, the same search). */
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 31)
          .default(1),
        objective: z.string().default('sharpe'),
        minTrades: z.number().int().min(0).default(1),
        walkForward: z.number().int().min(0).max(20).default(4),
        symbols: z
          .array(z.object({ source: z.string().default('demo'), symbol: z.string().min(1) }))
          .min(1)
          .max(50),
        timeframe: timeframeSchema,
        maxBars: z.number().int().min(10).max(2_000_000).default(200_000),
        settings: backtestSettingsParamsSchema.default({}),
      })
      .strict(),
    result: z.object({ id: z.string(), total: z.number() }),
  }),
  'backtest.optimizeProgress': stream({
    description:
      "An optimisation's progress: an event at once, then as backtests are done, and a last one with its " +
      'final status and, when done, its result; then the stream ends.',
    params: idParams,
    event: optimizeProgressSchema,
  }),
  'backtest.cancel': command({
    description: 'Cancels a running backtest (its worker is stopped); answers whether one was running.',
    params: idParams,
    result: z.object({ cancelled: z.boolean() }),
  }),
  'backtest.progress': stream({
    description:
      "A run's progress: an event at once, then as bars are done (a few a second), and a last one with " +
      'its final status (done, failed or cancelled), after which the stream ends.',
    params: idParams,
    event: backtestProgressSchema,
  }),
  'backtest.list': command({
    description: 'Stored runs, newest first, with headline figures.',
    params: z.object({}).strict(),
    result: z.array(backtestSummarySchema),
  }),
  'backtest.get': command({
    description:
      'One run in full: settings, strategy hash, data fingerprint, statistics, trades, equity and drawdown.',
    params: idParams,
    result: backtestRunSchema,
  }),
  'backtest.rename': command({
    description: 'Renames a stored run.',
    params: z.object({ id: z.string().min(1), name: z.string().min(1).max(200) }).strict(),
    result: backtestSummarySchema,
  }),
  'backtest.delete': command({
    description: 'Deletes a stored run (a running one is cancelled first).',
    params: idParams,
    result: z.object({ deleted: z.boolean() }),
  }),
}
