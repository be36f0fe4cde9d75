import { z } from 'zod'
import {
  indicatorTemplateSchema,
  MAX_INDICATOR_TEMPLATES,
  type IndicatorTemplate,
} from '../../shared/contract/charting'
import { AppError } from '../../shared/contract/errors'
import type { Logger } from '../log'
import type { Db } from '../storage/database'
import { checkedIndicators, usableIndicators } from './settings'

/** The named indicator templates, one row of the `settings` table (a handful of small lists). */
export const TEMPLATES_KEY = 'chart:templates'

const storedSchema = z.array(indicatorTemplateSchema)

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()
const byName = (a: IndicatorTemplate, b: IndicatorTemplate): number =>
  a.name.localeCompare(b.name, undefined, { sensitivity: 'base' })

/**
 * Every saved template, by name. A stored list that no longer parses is read as none, with a
 * warning (it is overwritten by the next save); an indicator the library no longer accepts is
 * left out of its template on its own.
 */
export function readTemplates(db: Db, log: Logger): IndicatorTemplate[] {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(TEMPLATES_KEY) as
    { value: string } | undefined
  if (!row) return []
  let parsed: ReturnType<typeof storedSchema.safeParse>
  try {
    parsed = storedSchema.safeParse(JSON.parse(row.value))
  } catch {
    log.warn(`${TEMPLATES_KEY} is not JSON; no templates read`)
    return []
  }
  if (!parsed.success) {
    log.warn(`${TEMPLATES_KEY} does not match the schema; no templates read`, parsed.error.issues[0])
    return []
  }
  return parsed.data
    .map((t) => ({ ...t, indicators: usableIndicators(t.indicators, log, `template ${t.name}`) }))
    .sort(byName)
}

function writeTemplates(db: Db, list: IndicatorTemplate[], now: number): IndicatorTemplate[] {
  const sorted = [...list].sort(byName)
  db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(TEMPLATES_KEY, JSON.stringify(sorted), now)
  return sorted
}

/** Saves `template` (replacing one of the same name, ignoring case); returns every template. */
export function saveTemplate(
  db: Db,
  log: Logger,
  template: IndicatorTemplate,
  now: number,
): IndicatorTemplate[] {
  const saved: IndicatorTemplate = {
    name: template.name,
    indicators: checkedIndicators(template.indicators, 'params.template.indicators'),
  }
  return db.transaction(() => {
    const others = readTemplates(db, log).filter((t) => !sameName(t.name, saved.name))
    if (others.length >= MAX_INDICATOR_TEMPLATES) {
      throw new AppError(
        'validation',
        `At most ${MAX_INDICATOR_TEMPLATES} templates: delete one first`,
        'params.template.name',
      )
    }
    return writeTemplates(db, [...others, saved], now)
  })()
}

/** Deletes the template named `name` (ignoring case); returns every template. */
export function deleteTemplate(db: Db, log: Logger, name: string, now: number): IndicatorTemplate[] {
  return db.transaction(() => {
    const list = readTemplates(db, log)
    const kept = list.filter((t) => !sameName(t.name, name))
    if (kept.length === list.length) {
      throw new AppError('not_found', `No template named ${name}`, 'params.name')
    }
    return writeTemplates(db, kept, now)
  })()
}
