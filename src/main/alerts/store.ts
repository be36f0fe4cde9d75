import type {
  AlertSeries,
  AlertSpec,
  Delivery,
  DeliveryAttempt,
  Firing,
  FiringKind,
} from '../../shared/contract/alerts'
import type { Db } from '../storage/db'
import { perConnection } from '../storage/statements'
import type { RunnerState } from './runner'

/** What the `alerts` row keeps: the spec with its channels as hints (secrets are in the secret store). */
export type StoredSpec = Omit<AlertSpec, 'deliveries' | 'name'> & { name: string; deliveries: Delivery[] }

/** One row of `alerts`, parsed. */
export interface AlertRow {
  id: string
  spec: StoredSpec
  status: 'active' | 'paused' | 'fired' | 'expired'
  state: RunnerState
  createdAt: number
  updatedAt: number
}

interface RawAlert {
  id: string
  spec: string
  status: AlertRow['status']
  state: string
  created_at: number
  updated_at: number
}

interface RawFiring {
  id: number
  alert_id: string
  alert_name: string
  series: string | null
  kind: string | null
  symbol: string | null
  time: number
  bar_time: number | null
  away: number
  message: string
  vals: string
  read: number
}

interface RawDelivery {
  firing_id: number
  channel: number
  kind: DeliveryAttempt['kind']
  attempt: number
  at: number
  ok: number
  status: number | null
  error: string | null
  duration_ms: number
}

const statements = perConnection((db) => ({
  all: db.prepare<[], RawAlert>('SELECT * FROM alerts ORDER BY created_at DESC, id'),
  get: db.prepare<[string], RawAlert>('SELECT * FROM alerts WHERE id = ?'),
  insert: db.prepare(
    'INSERT INTO alerts (id, spec, status, state, created_at, updated_at) VALUES (@id, @spec, @status, @state, @createdAt, @updatedAt)',
  ),
  replace: db.prepare(
    'UPDATE alerts SET spec = @spec, status = @status, state = @state, updated_at = @updatedAt WHERE id = @id',
  ),
  setState: db.prepare<[string, string, string]>('UPDATE alerts SET status = ?, state = ? WHERE id = ?'),
  setStatus: db.prepare<[string, number, string]>(
    'UPDATE alerts SET status = ?, updated_at = ? WHERE id = ?',
  ),
  delete: db.prepare<[string]>('DELETE FROM alerts WHERE id = ?'),
  insertFiring: db.prepare(
    `INSERT INTO alert_firings (alert_id, alert_name, series, kind, symbol, time, bar_time, away, message, vals)
     VALUES (@alertId, @alertName, @series, @kind, @symbol, @time, @barTime, @away, @message, @vals)`,
  ),
  insertDelivery: db.prepare(
    `INSERT INTO alert_deliveries (firing_id, channel, kind, attempt, at, ok, status, error, duration_ms)
     VALUES (@firingId, @channel, @kind, @attempt, @at, @ok, @status, @error, @durationMs)`,
  ),
  pruneDeliveries: db.prepare<[number]>(
    'DELETE FROM alert_deliveries WHERE firing_id IN (SELECT id FROM alert_firings WHERE time < ?)',
  ),
  pruneFirings: db.prepare<[number]>('DELETE FROM alert_firings WHERE time < ? AND read = 1'),
  unread: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM alert_firings WHERE read = 0'),
  markAll: db.prepare('UPDATE alert_firings SET read = 1 WHERE read = 0'),
  markOne: db.prepare<[number]>('UPDATE alert_firings SET read = 1 WHERE id = ? AND read = 0'),
}))

function parseAlert(r: RawAlert): AlertRow {
  return {
    id: r.id,
    spec: JSON.parse(r.spec) as StoredSpec,
    status: r.status,
    state: JSON.parse(r.state) as RunnerState,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

export function listAlerts(db: Db): AlertRow[] {
  return statements(db).all.all().map(parseAlert)
}

export function getAlert(db: Db, id: string): AlertRow | null {
  const r = statements(db).get.get(id)
  return r ? parseAlert(r) : null
}

export function insertAlert(db: Db, row: AlertRow): void {
  statements(db).insert.run({ ...row, spec: JSON.stringify(row.spec), state: JSON.stringify(row.state) })
}

export function replaceAlert(db: Db, row: AlertRow): void {
  statements(db).replace.run({ ...row, spec: JSON.stringify(row.spec), state: JSON.stringify(row.state) })
}

/** Writes the evaluation state of many alerts in one transaction (a series' closed bar). */
export function saveStates(
  db: Db,
  rows: readonly { id: string; status: AlertRow['status']; state: RunnerState }[],
): void {
  const s = statements(db).setState
  db.transaction(() => {
    for (const r of rows) s.run(r.status, JSON.stringify(r.state), r.id)
  })()
}

export function setStatus(db: Db, id: string, status: AlertRow['status'], at: number): void {
  statements(db).setStatus.run(status, at, id)
}

export function deleteAlert(db: Db, id: string): boolean {
  return statements(db).delete.run(id).changes > 0
}

export interface NewFiring {
  alertId: string
  alertName: string
  series: AlertSeries | null
  kind: FiringKind
  symbol: string | null
  time: number
  barTime: number | null
  away: boolean
  message: string
  values: Record<string, number | null>
}

/** Stores a firing and answers it as the wire shows it (unread, no deliveries yet). */
export function insertFiring(db: Db, f: NewFiring): Firing {
  const info = statements(db).insertFiring.run({
    alertId: f.alertId,
    alertName: f.alertName,
    series: f.series ? JSON.stringify(f.series) : null,
    kind: f.kind,
    symbol: f.symbol,
    time: f.time,
    barTime: f.barTime,
    away: f.away ? 1 : 0,
    message: f.message,
    vals: JSON.stringify(f.values),
  })
  return { ...f, id: Number(info.lastInsertRowid), read: false, deliveries: [] }
}

export function insertDelivery(db: Db, firingId: number, a: DeliveryAttempt): void {
  statements(db).insertDelivery.run({ firingId, ...a, ok: a.ok ? 1 : 0 })
}

export function unreadCount(db: Db): number {
  return statements(db).unread.get()!.n
}

export function markRead(db: Db, ids: readonly number[] | 'all'): void {
  const s = statements(db)
  db.transaction(() => {
    if (ids === 'all') s.markAll.run()
    else for (const id of ids) s.markOne.run(id)
  })()
}

export interface HistoryQuery {
  alertId?: string | undefined
  symbol?: string | undefined
  kind?: FiringKind | undefined
  from?: number | undefined
  to?: number | undefined
  unreadOnly: boolean
  limit: number
}

/** The SQL condition (on `alert_firings`) and its arguments of a history filter; shared with the CSV export. */
export function historyWhere(q: Omit<HistoryQuery, 'limit' | 'unreadOnly'> & { unreadOnly?: boolean }): {
  where: string[]
  args: (string | number)[]
} {
  const where: string[] = []
  const args: (string | number)[] = []
  const add = (sql: string, v: string | number | undefined): void => {
    if (v === undefined) return
    where.push(sql)
    args.push(v)
  }
  add('alert_id = ?', q.alertId)
  add('symbol = ?', q.symbol)
  add('kind = ?', q.kind)
  add('time >= ?', q.from)
  add('time <= ?', q.to)
  if (q.unreadOnly) where.push('read = 0')
  return { where, args }
}

/** Firings newest first, each with its delivery attempts in order. */
export function readHistory(db: Db, q: HistoryQuery): Firing[] {
  const { where, args } = historyWhere(q)
  const sql = `SELECT * FROM alert_firings ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY time DESC, id DESC LIMIT ?`
  const rows = db.prepare<(string | number)[], RawFiring>(sql).all(...args, q.limit)
  if (rows.length === 0) return []
  const byFiring = new Map<number, DeliveryAttempt[]>()
  const ids = rows.map((r) => r.id)
  const deliveries = db
    .prepare<number[], RawDelivery>(
      `SELECT * FROM alert_deliveries WHERE firing_id IN (${ids.map(() => '?').join(',')}) ORDER BY id`,
    )
    .all(...ids)
  for (const d of deliveries) {
    let list = byFiring.get(d.firing_id)
    if (!list) byFiring.set(d.firing_id, (list = []))
    list.push({
      channel: d.channel,
      kind: d.kind,
      attempt: d.attempt,
      at: d.at,
      ok: d.ok === 1,
      status: d.status,
      error: d.error,
      durationMs: d.duration_ms,
    })
  }
  return rows.map((r) => ({
    id: r.id,
    alertId: r.alert_id,
    alertName: r.alert_name,
    series: r.series ? (JSON.parse(r.series) as AlertSeries) : null,
    kind: r.kind,
    symbol: r.symbol,
    time: r.time,
    barTime: r.bar_time,
    away: r.away === 1,
    message: r.message,
    values: JSON.parse(r.vals) as Record<string, number | null>,
    read: r.read === 1,
    deliveries: byFiring.get(r.id) ?? [],
  }))
}

/**
 * Deletes the delivery attempts of firings older than `before` and those firings the trader has
 * read (unread ones stay, with no attempts), in one transaction; both go through indexes
 * (`alert_firings_by_time`, `alert_deliveries_by_firing`).
 */
export function pruneHistory(db: Db, before: number): { firings: number; deliveries: number } {
  const s = statements(db)
  return db.transaction(() => ({
    deliveries: s.pruneDeliveries.run(before).changes,
    firings: s.pruneFirings.run(before).changes,
  }))()
}
