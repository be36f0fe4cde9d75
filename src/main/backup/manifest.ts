import { z } from 'zod'
import type Database from 'better-sqlite3'

/** The manifest: the last part of every backup file (archive.ts), JSON. */
export const manifestSchema = z
  .object({
    format: z.literal('candlework-backup'),
    version: z.literal(1),
    appVersion: z.string().min(1),
    /** The database's `user_version`: the number of migrations applied. */
    schemaVersion: z.number().int().min(0),
    createdAt: z.number().int(),
    /** Rows per table of the database part, as the snapshot held them. */
    tables: z.record(z.string(), z.number().int().min(0)),
    /** When the trading history in it begins and ends (orders and fills; null when it has none). */
    span: z.object({ from: z.number().nullable(), to: z.number().nullable() }),
    /** Every other part: its name, size and sha256. */
    parts: z.array(
      z.object({ name: z.string(), bytes: z.number().int().min(0), sha256: z.string().length(64) }),
    ),
  })
  .strict()
export type Manifest = z.infer<typeof manifestSchema>

export const MANIFEST_PART = 'manifest.json'
export const DATABASE_PART = 'candlework.db'
export const SETTINGS_PART = 'settings.json'

/** The user tables of a database, by name (SQLite's own and FTS shadow tables aside). */
export function tableNames(db: Database.Database): string[] {
  const rows = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .all() as { name: string }[]
  return rows.map((r) => r.name)
}

export function rowCounts(db: Database.Database): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const t of tableNames(db)) {
    counts[t] = (
      db.prepare(`SELECT COUNT(*) AS n FROM "${t.replaceAll('"', '""')}"`).get() as { n: number }
    ).n
  }
  return counts
}

/** Columns that date the trading history, where the tables exist. */
const SPAN_COLUMNS: readonly [string, string][] = [
  ['trading_orders', 'created_at'],
  ['trading_fills', 'time'],
  ['journal_fills', 'time'],
]

export function timeSpan(db: Database.Database): { from: number | null; to: number | null } {
  const tables = new Set(tableNames(db))
  let from: number | null = null
  let to: number | null = null
  for (const [table, column] of SPAN_COLUMNS) {
    if (!tables.has(table)) continue
    const r = db.prepare(`SELECT MIN(${column}) AS lo, MAX(${column}) AS hi FROM ${table}`).get() as {
      lo: number | null
      hi: number | null
    }
    if (r.lo !== null) from = from === null ? r.lo : Math.min(from, r.lo)
    if (r.hi !== null) to = to === null ? r.hi : Math.max(to, r.hi)
  }
  return { from, to }
}
