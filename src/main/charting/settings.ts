import {
  chartSettingsSchema,
  DEFAULT_CHART_SETTINGS,
  type ChartIndicator,
  type ChartSettings,
} from '../../shared/contract/charting'
import type { Statement } from 'better-sqlite3'
import type { Logger } from '../log'
import type { Db } from '../storage/database'
import { perConnection } from '../storage/statements'
import { resolveInstance } from './instances'

/** Settings rows of one symbol's chart: `chart:<source>:<symbol>` in the `settings` table. */
export const chartSettingsKey = (source: string, symbol: string): string => `chart:${source}:${symbol}`

interface Statements {
  get: Statement<[string]>
  put: Statement<[string, string, number]>
}

/** Statements are prepared once per connection. */
const prepared = perConnection((db): Statements => ({
  get: db.prepare('SELECT value FROM settings WHERE key = ?'),
  put: db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ),
}))

const defaults = (): ChartSettings => structuredClone(DEFAULT_CHART_SETTINGS)

/**
 * The saved chart settings of a symbol, or the defaults. A stored value that no longer parses
 * (hand-edited, written by a newer version) falls back to the defaults with a warning in the
 * log; an indicator the library no longer knows, or whose parameters became invalid, is left
 * out on its own. Never throws for bad stored data.
 */
export function readChartSettings(db: Db, log: Logger, source: string, symbol: string): ChartSettings {
  const key = chartSettingsKey(source, symbol)
  const row = prepared(db).get.get(key) as { value: string } | undefined
  if (!row) return defaults()
  let raw: unknown
  try {
    raw = JSON.parse(row.value)
  } catch (err) {
    log.warn(
      `chart settings ${key} are not JSON; using the defaults`,
      err instanceof Error ? err.message : err,
    )
    return defaults()
  }
  const parsed = chartSettingsSchema.safeParse(raw)
  if (!parsed.success) {
    log.warn(`chart settings ${key} do not match the schema; using the defaults`, parsed.error.issues[0])
    return defaults()
  }
  const indicators: ChartIndicator[] = []
  for (const ind of parsed.data.indicators) {
    try {
      const r = resolveInstance(ind, `indicators.${ind.key}`)
      indicators.push({ ...ind, params: { ...r.params } })
    } catch (err) {
      log.warn(
        `chart settings ${key}: dropping indicator ${ind.key}`,
        err instanceof Error ? err.message : err,
      )
    }
  }
  return { ...parsed.data, indicators }
}

/**
 * Validates every indicator against the registry (a bad one is a `validation` error naming
 * it: `params.settings.indicators[2].params.period`) and saves the settings with the
 * parameters complete. Returns what was saved.
 */
export function writeChartSettings(
  db: Db,
  source: string,
  symbol: string,
  settings: ChartSettings,
  now: number,
): ChartSettings {
  const indicators = settings.indicators.map((ind, i) => {
    const r = resolveInstance(ind, `params.settings.indicators[${i}]`)
    const outputs = new Set(r.descriptor.outputs.map((o) => o.name))
    const colors = Object.fromEntries(Object.entries(ind.colors).filter(([name]) => outputs.has(name)))
    return { ...ind, id: r.descriptor.id, params: { ...r.params }, colors }
  })
  const saved: ChartSettings = { ...settings, indicators }
  prepared(db).put.run(chartSettingsKey(source, symbol), JSON.stringify(saved), now)
  return saved
}
