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
/**
 * The trader's template: the settings every symbol without a row of its own shows. (No symbol
 * key can collide: those have a second colon.)
 */
export const CHART_TEMPLATE_KEY = 'chart:template'

interface Statements {
  get: Statement<[string]>
  put: Statement<[string, string, number]>
  del: Statement<[string]>
}

/** Statements are prepared once per connection. */
const prepared = perConnection((db): Statements => ({
  get: db.prepare('SELECT value FROM settings WHERE key = ?'),
  put: db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ),
  del: db.prepare('DELETE FROM settings WHERE key = ?'),
}))

const defaults = (): ChartSettings => structuredClone(DEFAULT_CHART_SETTINGS)

/**
 * The chart settings a symbol shows: its own when the trader pinned some to it (a row of its
 * own; rows saved before templates existed count as pinned, so nothing a trader set is lost),
 * else the template every other symbol shows, else the defaults. A stored value that no longer
 * parses (hand-edited, written by a newer version) falls back to the defaults with a warning in
 * the log; an indicator the library no longer knows, or whose parameters became invalid, is left
 * out on its own. Never throws for bad stored data.
 */
export function readChartSettings(db: Db, log: Logger, source: string, symbol: string): ChartSettings {
  const own = readRow(db, log, chartSettingsKey(source, symbol))
  if (own) return { ...own, pinned: true }
  return { ...(readRow(db, log, CHART_TEMPLATE_KEY) ?? defaults()), pinned: false }
}

/** The settings stored under `key`; the defaults when they do not parse; undefined without a row. */
function readRow(db: Db, log: Logger, key: string): ChartSettings | undefined {
  const row = prepared(db).get.get(key) as { value: string } | undefined
  if (!row) return undefined
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
  return { ...parsed.data, indicators: usableIndicators(parsed.data.indicators, log, key) }
}

/** The indicators the library still accepts, parameters completed; the others logged and left out. */
export function usableIndicators(
  list: readonly ChartIndicator[],
  log: Logger,
  where: string,
): ChartIndicator[] {
  const indicators: ChartIndicator[] = []
  for (const ind of list) {
    try {
      const r = resolveInstance(ind, `indicators.${ind.key}`)
      indicators.push({ ...ind, params: { ...r.params } })
    } catch (err) {
      log.warn(
        `chart settings ${where}: dropping indicator ${ind.key}`,
        err instanceof Error ? err.message : err,
      )
    }
  }
  return indicators
}

/**
 * Validates every indicator against the registry (a bad one is a `validation` error naming
 * it: `params.settings.indicators[2].params.period`) and saves the settings with the
 * parameters complete: pinned, as the symbol's own; unpinned, as the template, the symbol's own
 * row dropped (it follows the template again). Returns what was saved.
 */
export function writeChartSettings(
  db: Db,
  source: string,
  symbol: string,
  settings: ChartSettings,
  now: number,
): ChartSettings {
  const saved: ChartSettings = {
    ...settings,
    indicators: checkedIndicators(settings.indicators, 'params.settings.indicators'),
  }
  const own = chartSettingsKey(source, symbol)
  const st = prepared(db)
  db.transaction(() => {
    if (saved.pinned) st.put.run(own, JSON.stringify(saved), now)
    else {
      st.put.run(CHART_TEMPLATE_KEY, JSON.stringify(saved), now)
      st.del.run(own)
    }
  })()
  return saved
}

/** Drops the symbol's own settings: it follows the template again, which is returned. */
export function unpinChartSettings(db: Db, log: Logger, source: string, symbol: string): ChartSettings {
  prepared(db).del.run(chartSettingsKey(source, symbol))
  return readChartSettings(db, log, source, symbol)
}

/**
 * Every indicator checked against the registry (a `validation` error names the bad one under
 * `root`), with its parameters complete and colours only for outputs it has.
 */
export function checkedIndicators(list: readonly ChartIndicator[], root: string): ChartIndicator[] {
  return list.map((ind, i) => {
    const r = resolveInstance(ind, `${root}[${i}]`)
    const outputs = new Set(r.descriptor.outputs.map((o) => o.name))
    const colors = Object.fromEntries(Object.entries(ind.colors).filter(([name]) => outputs.has(name)))
    return { ...ind, id: r.descriptor.id, params: { ...r.params }, colors }
  })
}
