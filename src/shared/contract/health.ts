import { z } from 'zod'
import { command } from './define'
import { healthSchema } from './exchange'

export const engineHealthSchema = z.object({
  version: z.string(),
  host: z.enum(['desktop', 'headless']),
  startedAt: z.number(),
  /** Milliseconds since the engine started, by the engine's clock. */
  uptimeMs: z.number(),
})

export const databaseHealthSchema = z.object({
  /** The file's schema version (SQLite `user_version`): the number of migrations applied. */
  schemaVersion: z.number().int(),
  /** Bytes of the database file and of its write-ahead log; null for an in-memory database. */
  sizeBytes: z.number().int().nullable(),
  walBytes: z.number().int().nullable(),
  /**
   * The integrity check (`PRAGMA quick_check`) run when the file was opened. A file that fails it
   * is never opened, so a running engine always reports `ok`; the time says what the check cost.
   */
  openCheck: z.object({ result: z.literal('ok'), checkedAt: z.number(), durationMs: z.number() }),
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

export const healthSummarySchema = z.object({
  engine: engineHealthSchema,
  database: databaseHealthSchema,
  /** Every stored exchange connection and every exchange in use since start, by id. */
  exchanges: z.array(exchangeConnectionHealthSchema),
})

export type HealthSummary = z.infer<typeof healthSummarySchema>
export type ExchangeConnectionHealth = z.infer<typeof exchangeConnectionHealthSchema>

export const healthContract = {
  'health.summary': command({
    description:
      'How the engine is doing: uptime and version; the database (schema version, file and WAL size, ' +
      'the integrity check at open); and each exchange connection, stored or in use, with its breaker ' +
      'state, latency, health score and clock skew (null until the engine has used it).',
    params: z.object({}).strict(),
    result: healthSummarySchema,
  }),
}
