import { AppError } from '../../shared/contract/errors'
import { drawingSchema, MAX_DRAWINGS_PER_SERIES, type Drawing } from '../../shared/contract/drawings'
import type { Db } from '../storage/db'
import { perConnection } from '../storage/statements'

/** Chart drawings in SQLite (migration 0021): one row each, its anchors and text as JSON. */

export interface SeriesRef {
  source: string
  symbol: string
}

const stmts = perConnection((db: Db) => ({
  list: db.prepare<[string, string], { body: string }>(
    'SELECT body FROM chart_drawings WHERE source = ? AND symbol = ? ORDER BY created_at, rowid',
  ),
  owner: db.prepare<[string], { source: string; symbol: string }>(
    'SELECT source, symbol FROM chart_drawings WHERE id = ?',
  ),
  count: db.prepare<[string, string], { n: number }>(
    'SELECT count(*) AS n FROM chart_drawings WHERE source = ? AND symbol = ?',
  ),
  insert: db.prepare<[string, string, string, string, string, number, number]>(
    `INSERT INTO chart_drawings (id, source, symbol, kind, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ),
  update: db.prepare<[string, string, number, string]>(
    'UPDATE chart_drawings SET kind = ?, body = ?, updated_at = ? WHERE id = ?',
  ),
  delete: db.prepare<[string, string, string]>(
    'DELETE FROM chart_drawings WHERE id = ? AND source = ? AND symbol = ?',
  ),
}))

/**
 * A series' drawings, oldest first. A row whose body no longer reads as a drawing (written by a
 * later version, say) is left out rather than failing the whole chart.
 */
export function listDrawings(db: Db, series: SeriesRef): Drawing[] {
  const out: Drawing[] = []
  for (const row of stmts(db).list.all(series.source, series.symbol)) {
    const parsed = drawingSchema.safeParse(JSON.parse(row.body))
    if (parsed.success) out.push(parsed.data)
  }
  return out
}

/** Stores `drawing` (validated by the contract already): inserted, or replaced by its id. */
export function saveDrawing(db: Db, series: SeriesRef, drawing: Drawing, now: number): Drawing {
  return db.transaction(() => {
    const s = stmts(db)
    const body = JSON.stringify(drawing)
    const owner = s.owner.get(drawing.id)
    if (owner) {
      if (owner.source !== series.source || owner.symbol !== series.symbol)
        throw new AppError(
          'conflict',
          `Drawing ${drawing.id} belongs to ${owner.symbol} (${owner.source})`,
          'params.drawing.id',
        )
      s.update.run(drawing.kind, body, now, drawing.id)
      return drawing
    }
    if (s.count.get(series.source, series.symbol)!.n >= MAX_DRAWINGS_PER_SERIES)
      throw new AppError(
        'limit_exceeded',
        `${series.symbol} has ${MAX_DRAWINGS_PER_SERIES} drawings, the most one chart keeps; delete some first`,
        'params.drawing',
      )
    s.insert.run(drawing.id, series.source, series.symbol, drawing.kind, body, now, now)
    return drawing
  })()
}

export function deleteDrawing(db: Db, series: SeriesRef, id: string): boolean {
  return stmts(db).delete.run(id, series.source, series.symbol).changes > 0
}
