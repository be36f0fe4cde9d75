import { z } from 'zod'
import { decimalSchema, positiveDecimalSchema } from '../decimal/schema'
import { timeframeSchema } from '../domain/timeframes'
import { command } from './define'

/**
 * Strategies running on paper and live accounts (src/main/runner, docs/BACKTEST.md "Running
 * strategies on accounts"): on each closed bar of its series the strategy decides with the backtester's code and
 * its orders go through trading's order path (and so the risk engine).
 */

export const RUN_STATES = ['running', 'paused', 'stopped'] as const
export const runStateSchema = z.enum(RUN_STATES)

/** Protections (docs/RISK.md "Protections"), durations in minutes; each pauses the run with its reason. */
export const runProtectionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cooldown'), minutes: z.number().positive().max(525_600) }).strict(),
  z
    .object({
      type: z.literal('stop_loss_guard'),
      lookbackMinutes: z.number().positive().max(525_600),
      tradeLimit: z.number().int().min(1).max(1000),
      lockMinutes: z.number().positive().max(525_600),
    })
    .strict(),
  z
    .object({
      type: z.literal('drawdown_pause'),
      lookbackMinutes: z.number().positive().max(525_600),
      tradeLimit: z.number().int().min(1).max(1000),
      lockMinutes: z.number().positive().max(525_600),
      /** A share of the peak: 0.1 = 10 %. */
      maxDrawdown: positiveDecimalSchema,
    })
    .strict(),
  z
    .object({
      type: z.literal('low_profit_pause'),
      lookbackMinutes: z.number().positive().max(525_600),
      tradeLimit: z.number().int().min(1).max(1000),
      lockMinutes: z.number().positive().max(525_600),
      /** Summed profit ratio needed: 0 = break even, -0.05 = a 5 % loss tolerated. */
      requiredProfit: decimalSchema,
    })
    .strict(),
])
export type RunProtection = z.infer<typeof runProtectionSchema>

export const runStartSchema = z
  .object({
    /** A built-in strategy id (`sma-cross`...). */
    strategyId: z.string().min(1).max(80),
    /** The strategy's parameters; defaults fill what is left out. */
    params: z.record(z.string(), z.unknown()).default({}),
    accountId: z.string().min(1).max(64),
    /** Where its bars come from: `demo` (the demo market) or a series followed live. */
    source: z.string().min(1).max(64).default('demo'),
    symbol: z.string().min(1).max(64),
    timeframe: timeframeSchema,
    /** The capital the strategy sizes against, in the market's quote currency (not the whole account). */
    allocation: positiveDecimalSchema,
    protections: z.array(runProtectionSchema).max(8).default([]),
    /**
     * A live account only: the account's name, typed by the trader, which arms the run to send
     * live orders (docs/BACKTEST.md "Live runs"). Without it a start on a live account is refused;
     * on a paper account it is not needed and ignored.
     */
    liveConfirm: z.string().max(200).optional(),
  })
  .strict()
export type RunStart = z.infer<typeof runStartSchema>

/**
 * What the scheduler's tasks do to a run (docs/BACKTEST.md "Starting and stopping on a
 * schedule"): `start` — the Start strategies task resumes it when paused; `stop` — the Stop
 * strategies task pauses it (`pause`), or pauses it and closes its own position at market
 * (`pause_and_close`), or leaves it (`no`).
 */
export const runScheduleSchema = z
  .object({ start: z.boolean(), stop: z.enum(['no', 'pause', 'pause_and_close']) })
  .strict()
export type RunSchedule = z.infer<typeof runScheduleSchema>

export const strategyRunSchema = z.object({
  id: z.string(),
  strategyId: z.string(),
  params: z.record(z.string(), z.unknown()),
  accountId: z.string(),
  source: z.string(),
  symbol: z.string(),
  timeframe: timeframeSchema,
  allocation: decimalSchema,
  protections: z.array(runProtectionSchema),
  state: runStateSchema,
  /** Why it is paused or stopped (the trader, or a protection's reason); null while running. */
  reason: z.string().nullable(),
  /** A protection's pause ends at this time (then the run goes on by itself); else null. */
  lockedUntil: z.number().nullable(),
  /** When the trader armed it to send live orders (a live account's run); null for paper runs. */
  liveArmedAt: z.number().nullable(),
  schedule: runScheduleSchema,
  /** The last closed bar it decided on; null before the first. */
  lastBarTime: z.number().nullable(),
  /** Signed base amount held by the run's own fills. */
  position: decimalSchema,
  /** Closed P&L of the run's own fills, net of fees paid in quote. */
  realizedPnl: decimalSchema,
  /** Orders its decisions asked for, and how many the order path or the risk engine refused. */
  intents: z.number().int(),
  rejected: z.number().int(),
  /** The last refusal's message (risk_rejected names the rule), or null. */
  lastError: z.string().nullable(),
  startedAt: z.number(),
  updatedAt: z.number(),
})
export type StrategyRun = z.infer<typeof strategyRunSchema>

const runRef = { runId: z.string().min(1).max(64) }

export const driftReportSchema = z.object({
  runId: z.string(),
  /** Bars replayed from the run's first live bar. */
  bars: z.number().int(),
  /** Bars where the backtest or the run ordered: both sides' order kinds, and why they differ. */
  decisions: z.array(
    z.object({
      barTime: z.number(),
      backtest: z.array(z.string()),
      live: z.array(z.string()),
      status: z.enum(['same', 'different', 'rejected', 'no_live_order', 'not_decided_yet']),
      why: z.string().nullable(),
    }),
  ),
  differing: z.number().int(),
  /** Each live fill against the model's price (next bar's open); positive bps = worse. */
  fills: z.array(
    z.object({
      barTime: z.number(),
      clientOrderId: z.string(),
      side: z.enum(['buy', 'sell']),
      modelPrice: z.number(),
      livePrice: z.number(),
      slippageBps: z.number(),
    }),
  ),
  /** P&L at the last close: the replay's (no fees or slippage), the run's own fills', and live minus backtest. */
  backtestPnl: z.number(),
  livePnl: z.number(),
  pnlDifference: z.number(),
})
export type DriftReport = z.infer<typeof driftReportSchema>

export const runnerContract = {
  'runner.start': command({
    description:
      'Starts a strategy on an account: from the next closed bar of its series it decides with the backtester’s code and indicators, sizing entries against `allocation` (not the whole account), and sends its orders through the order path, so the risk engine checks each. A run starts flat whatever the account holds. On a live account the run must be armed: the account’s live switch on and `liveConfirm` the account’s name typed by the trader; its orders then carry the live confirmation, the order path still refuses each while the live switch is off (the run pauses, saying so) and the risk engine checks each as any order.',
    params: runStartSchema,
    result: strategyRunSchema,
  }),
  'runner.pause': command({
    description: 'Pauses a run: it keeps following its bars but decides nothing until resumed.',
    params: z.object(runRef).strict(),
    result: strategyRunSchema,
  }),
  'runner.resume': command({
    description: 'Resumes a paused run (also one a protection paused) from the next closed bar.',
    params: z.object(runRef).strict(),
    result: strategyRunSchema,
  }),
  'runner.stop': command({
    description:
      'Stops a run for good. `closePositions`: true closes what its own fills hold at market (through the risk engine), false leaves the position on the account.',
    params: z.object({ ...runRef, closePositions: z.boolean() }).strict(),
    result: strategyRunSchema,
  }),
  'runner.drift': command({
    description:
      'The drift report of a run: its bars since its first live bar replayed through the backtester (no fees or slippage, fills at the next open) beside what the run did: decisions that differ and why (refused by risk with its message, no live order, skipped live), each fill against the model price in basis points, and both P&Ls.',
    params: z.object(runRef).strict(),
    result: driftReportSchema,
  }),
  'runner.exportDrift': command({
    description:
      'Saves a run’s drift report as CSV where the trader picks in the desktop app’s save dialog (a summary row, ' +
      'then a row per decision and per fill; text cells guarded against formula injection). Answers the file ' +
      'and rows written, or `file: null` when the dialog was dismissed. In a browser the same file downloads ' +
      'from the headless host: `GET /export/drift.csv?run=ID` with the token (docs/CSV.md).',
    params: z.object(runRef).strict(),
    result: z.object({ file: z.string().nullable(), rows: z.number().int() }),
  }),
  'runner.setSchedule': command({
    description:
      'Puts a run under the scheduler’s Start strategies and Stop strategies tasks (scheduler.update sets their times): `start` resumes it when paused; `stop` pauses it, or pauses it and closes its own position at market. A stopped run takes no schedule.',
    params: z.object({ ...runRef, schedule: runScheduleSchema }).strict(),
    result: strategyRunSchema,
  }),
  'runner.list': command({
    description: 'Every run, newest first, with its state, position and P&L of its own fills.',
    params: z.object({}).strict(),
    result: z.array(strategyRunSchema),
  }),
}
