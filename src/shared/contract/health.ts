import { z } from 'zod'
import { command } from './define'
import { healthSchema } from './exchange'
import { stateEntrySchema } from './risk'
import { timeframeSchema } from '../domain/timeframes'

export const engineHealthSchema = z.object({
  version: z.string(),
  host: z.enum(['desktop', 'headless']),
  startedAt: z.number(),
  /** Milliseconds since the engine started, by the engine's clock. */
  uptimeMs: z.number(),
  /** The process over the last few seconds (src/main/health/process-meter.ts); null before the first reading. */
  process: z
    .object({
      eventLoopP50Ms: z.number().nullable(),
      eventLoopP99Ms: z.number().nullable(),
      rssBytes: z.number(),
      heapUsedBytes: z.number(),
      heapTotalBytes: z.number(),
      /** CPU time over wall time: 1 is one core fully busy. */
      cpuShare: z.number().nullable(),
    })
    .nullable(),
})

export const healthStateSchema = z.enum(['ok', 'warning', 'critical'])

/**
 * One judged item of the Health view, by the thresholds of src/main/health/thresholds.ts
 * (docs/HEALTH.md): its state and, when not ok, what the trader should do.
 */
export const healthCheckSchema = z.object({
  /** `engine.event-loop`, `engine.memory`, `engine.cpu`, `database.wal`, `database.integrity`, `backup`, `exchange:<id>`, `trading.global`, `trading:<account id>`, `feed:<source>:<symbol>:<timeframe>`. */
  item: z.string(),
  label: z.string(),
  state: healthStateSchema,
  advice: z.string().nullable(),
})

/** One minute of the health ring (kept a week), for the sparklines. */
export const healthSampleSchema = z.object({
  at: z.number(),
  eventLoopP50Ms: z.number().nullable(),
  eventLoopP99Ms: z.number().nullable(),
  rssBytes: z.number(),
  heapUsedBytes: z.number(),
  cpuShare: z.number().nullable(),
  exchanges: z.record(
    z.string(),
    z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }),
  ),
})

export const databaseHealthSchema = z.object({
  /** The file's schema version (SQLite `user_version`): the number of migrations applied. */
  schemaVersion: z.number().int(),
  /** Bytes of the database file and of its write-ahead log; null for an in-memory database. */
  sizeBytes: z.number().int().nullable(),
  walBytes: z.number().int().nullable(),
  /**
   * The integrity check (`PRAGMA quick_check`). `at-open`: run before anything was written (a
   * file failing it is never opened); `in-background`: the last run closed the file cleanly, so
   * it is checked on another thread after start-up (`checking` until then; `damaged` with what
   * it found). `checkedAt` and `durationMs` are null while it runs.
   */
  openCheck: z.object({
    result: z.enum(['ok', 'checking', 'damaged']),
    timing: z.enum(['at-open', 'in-background']),
    checkedAt: z.number().nullable(),
    durationMs: z.number().nullable(),
    problems: z.array(z.string()),
  }),
})

export const exchangeConnectionHealthSchema = z.object({
  exchange: z.string(),
  /** Where its requests go: the exchange's own endpoints, its testnet, or a URL set on the connection. */
  endpoint: z.enum(['default', 'sandbox', 'custom']),
  apiUrl: z.string().nullable(),
  hasKeys: z.boolean(),
  /** As the exchange hub reports it (`exchange.health`); null until the engine has used the connection. */
  health: healthSchema.nullable(),
})

/**
 * The age of the newest verified backup whose file is still there, judged by the thresholds of
 * `src/main/health/backup-age.ts` (ok up to 26 h, a daily backup with slack; amber up to 72 h;
 * red beyond, amber when there is none yet), with what to do when it is not ok.
 */
export const backupHealthSchema = z.object({
  lastVerifiedAt: z.number().nullable(),
  ageMs: z.number().nullable(),
  state: z.enum(['ok', 'warning', 'critical']),
  advice: z.string().nullable(),
})

/**
 * A series followed live now (by a chart, an alert, a strategy run or the signals), judged by
 * the age of its newest bar and the bars missing from its stored history (docs/HEALTH.md).
 */
export const feedHealthSchema = z.object({
  source: z.string(),
  symbol: z.string(),
  timeframe: timeframeSchema,
  subscribers: z.number().int(),
  /** Open time of the newest bar (from the feed, else the stored history); null when there is none yet. */
  lastBarTime: z.number().nullable(),
  /** Now minus that open time (minus the start of following when there is no bar), ms. */
  ageMs: z.number(),
  /** The same in lengths of the timeframe. */
  ageBars: z.number(),
  /** Gaps in the newest stored bars (up to 1,000) of the series read for it; null when nothing is stored (the demo market). */
  gaps: z
    .object({
      /** Bars looked at. */
      bars: z.number().int(),
      count: z.number().int(),
      missingBars: z.number().int(),
      /** The newest gap: open times of its first and last missing bar. */
      latest: z.object({ from: z.number(), to: z.number(), missing: z.number().int() }).nullable(),
    })
    .nullable(),
  state: z.enum(['ok', 'warning', 'critical']),
  advice: z.string().nullable(),
})

/** The risk engine's trading states: the global one and each account's own (src/main/risk). */
export const tradingStatesSchema = z.object({
  global: stateEntrySchema,
  accounts: z.array(z.object({ accountId: z.string(), accountName: z.string(), state: stateEntrySchema })),
})

export const healthSummarySchema = z.object({
  engine: engineHealthSchema,
  database: databaseHealthSchema,
  backup: backupHealthSchema,
  /** Every stored exchange connection and every exchange in use since start, by id. */
  exchanges: z.array(exchangeConnectionHealthSchema),
  /** Every judged item, worst first; the badge and /healthz read the worst. */
  checks: z.array(healthCheckSchema),
  /** The ring's samples of the last two hours, then the readings not yet in it, oldest first. */
  history: z.array(healthSampleSchema),
  /** The trading states (ACTIVE, REDUCING, HALTED); null when the engine runs no risk engine. */
  trading: tradingStatesSchema.nullable(),
  /** Every series followed live now, by source, symbol and timeframe. */
  feeds: z.array(feedHealthSchema),
})

export type HealthSummary = z.infer<typeof healthSummarySchema>
export type HealthCheck = z.infer<typeof healthCheckSchema>
export type HealthSample = z.infer<typeof healthSampleSchema>
export type TradingStates = z.infer<typeof tradingStatesSchema>
export type ExchangeConnectionHealth = z.infer<typeof exchangeConnectionHealthSchema>
export type FeedHealth = z.infer<typeof feedHealthSchema>

export const healthContract = {
  'health.summary': command({
    description:
      'How the engine is doing: uptime and version; the database (schema version, file and WAL size, ' +
      'the integrity check, at open or just after start-up); and each exchange connection, stored or in use, with its breaker ' +
      'state, latency, health score and clock skew (null until the engine has used it); and each followed data feed with the age of its last bar and the gaps in its stored history.',
    params: z.object({}).strict(),
    result: healthSummarySchema,
  }),
}
