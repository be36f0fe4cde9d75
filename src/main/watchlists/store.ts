import { AppError } from '../../shared/contract/errors'
import type { Watchlist, WatchlistItem } from '../../shared/contract/watchlists'
import type { Db } from '../storage/db'
import { perConnection } from '../storage/statements'

/** Named watchlists in SQLite (migration 0019); every change is one transaction. */

const stmts = perConnection((db: Db) => ({
  lists: db.prepare<[], { id: number; name: string }>(
    'SELECT id, name FROM watchlists ORDER BY position, id',
  ),
  one: db.prepare<[number], { id: number; name: string }>('SELECT id, name FROM watchlists WHERE id = ?'),
  items: db.prepare<[number], WatchlistItem>(
    'SELECT source, symbol FROM watchlist_items WHERE watchlist_id = ? ORDER BY position',
  ),
  byName: db.prepare<[string], { id: number }>('SELECT id FROM watchlists WHERE name = ?'),
  insert: db.prepare<[string, number]>(
    'INSERT INTO watchlists (name, position, created_at) VALUES (?, (SELECT coalesce(max(position) + 1, 0) FROM watchlists), ?)',
  ),
  rename: db.prepare<[string, number]>('UPDATE watchlists SET name = ? WHERE id = ?'),
  delete: db.prepare<[number]>('DELETE FROM watchlists WHERE id = ?'),
  addItem: db.prepare<[number, string, string, number, number]>(
    `INSERT OR IGNORE INTO watchlist_items (watchlist_id, source, symbol, position, added_at)
     VALUES (?, ?, ?, (SELECT coalesce(max(position) + 1, 0) FROM watchlist_items WHERE watchlist_id = ?), ?)`,
  ),
  removeItem: db.prepare<[number, string, string]>(
    'DELETE FROM watchlist_items WHERE watchlist_id = ? AND source = ? AND symbol = ?',
  ),
  place: db.prepare<[number, number, string, string]>(
    'UPDATE watchlist_items SET position = ? WHERE watchlist_id = ? AND source = ? AND symbol = ?',
  ),
}))

export function listWatchlists(db: Db): Watchlist[] {
  const s = stmts(db)
  return s.lists.all().map((l) => ({ ...l, items: s.items.all(l.id) }))
}

export function getWatchlist(db: Db, id: number): Watchlist {
  const s = stmts(db)
  const l = s.one.get(id)
  if (!l) throw new AppError('not_found', `No watchlist ${id}`, 'params.id')
  return { ...l, items: s.items.all(id) }
}

export function createWatchlist(db: Db, name: string, now: number): Watchlist {
  const s = stmts(db)
  uniqueName(db, name, null)
  const id = Number(s.insert.run(name, now).lastInsertRowid)
  return getWatchlist(db, id)
}

export function renameWatchlist(db: Db, id: number, name: string): Watchlist {
  getWatchlist(db, id)
  uniqueName(db, name, id)
  stmts(db).rename.run(name, id)
  return getWatchlist(db, id)
}

export function deleteWatchlist(db: Db, id: number): boolean {
  return stmts(db).delete.run(id).changes > 0
}

export function addWatchlistItem(db: Db, id: number, item: WatchlistItem, now: number): Watchlist {
  getWatchlist(db, id)
  stmts(db).addItem.run(id, item.source, item.symbol, id, now)
  return getWatchlist(db, id)
}

export function removeWatchlistItem(db: Db, id: number, item: WatchlistItem): Watchlist {
  getWatchlist(db, id)
  stmts(db).removeItem.run(id, item.source, item.symbol)
  return getWatchlist(db, id)
}

/** Moves `item` to index `to` (clamped to the end) and renumbers the list 0..n-1. */
export function moveWatchlistItem(db: Db, id: number, item: WatchlistItem, to: number): Watchlist {
  return db.transaction(() => {
    const items = getWatchlist(db, id).items
    const at = items.findIndex((i) => i.source === item.source && i.symbol === item.symbol)
    if (at < 0) throw new AppError('not_found', `${item.symbol} is not in this watchlist`, 'params.symbol')
    const [moved] = items.splice(at, 1)
    items.splice(Math.min(to, items.length), 0, moved!)
    const place = stmts(db).place
    items.forEach((i, n) => place.run(n, id, i.source, i.symbol))
    return getWatchlist(db, id)
  })()
}

function uniqueName(db: Db, name: string, self: number | null): void {
  const other = stmts(db).byName.get(name)
  if (other && other.id !== self)
    throw new AppError('conflict', `A watchlist named "${name}" exists already`, 'params.name')
}
