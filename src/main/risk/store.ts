import {
  riskLimitsSchema,
  type AuditEntry,
  type RiskLimits,
  type StateEntry,
} from '../../shared/contract/risk'
import type { Db } from '../storage/database'

/** The risk engine's rows (migration 18-risk): functions take `db` first. */

export function loadLimits(db: Db): Map<string, RiskLimits> {
  const out = new Map<string, RiskLimits>()
  const rows = db.prepare('SELECT scope, limits FROM risk_limits').all() as {
    scope: string
    limits: string
  }[]
  for (const r of rows) {
    // Stored limits were validated when set; a row that no longer parses is treated as none.
    const parsed = riskLimitsSchema.safeParse(JSON.parse(r.limits))
    out.set(r.scope, parsed.success ? parsed.data : {})
  }
  return out
}

export function saveLimits(db: Db, scope: string, limits: RiskLimits, now: number): void {
  db.prepare(
    `INSERT INTO risk_limits (scope, limits, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (scope) DO UPDATE SET limits = excluded.limits, updated_at = excluded.updated_at`,
  ).run(scope, JSON.stringify(limits), now)
}

interface StateRow {
  scope: string
  state: StateEntry['state']
  reason: string
  set_by: StateEntry['setBy']
  since: number
  until: number | null
}

export function loadStates(db: Db): Map<string, StateEntry> {
  const rows = db.prepare('SELECT * FROM risk_state').all() as StateRow[]
  return new Map(
    rows.map((r) => [
      r.scope,
      { scope: r.scope, state: r.state, reason: r.reason, setBy: r.set_by, since: r.since, until: r.until },
    ]),
  )
}

export function saveState(db: Db, s: StateEntry): void {
  db.prepare(
    `INSERT INTO risk_state (scope, state, reason, set_by, since, until) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (scope) DO UPDATE SET state = excluded.state, reason = excluded.reason,
       set_by = excluded.set_by, since = excluded.since, until = excluded.until`,
  ).run(s.scope, s.state, s.reason, s.setBy, s.since, s.until)
}

export interface DayRow {
  account_id: string
  day_start: number
  unrealized_base: string | null
  realized_base: string | null
  peak_equity: string | null
}

export function loadDays(db: Db): Map<string, DayRow> {
  const rows = db.prepare('SELECT * FROM risk_day').all() as DayRow[]
  return new Map(rows.map((r) => [r.account_id, r]))
}

export function saveDay(db: Db, r: DayRow): void {
  db.prepare(
    `INSERT INTO risk_day (account_id, day_start, unrealized_base, realized_base, peak_equity)
     VALUES (@account_id, @day_start, @unrealized_base, @realized_base, @peak_equity)
     ON CONFLICT (account_id) DO UPDATE SET day_start = excluded.day_start,
       unrealized_base = excluded.unrealized_base, realized_base = excluded.realized_base,
       peak_equity = excluded.peak_equity`,
  ).run(r)
}

export type NewAuditEntry = Omit<AuditEntry, 'id'>

export function insertAudit(db: Db, entries: readonly NewAuditEntry[]): void {
  const stmt = db.prepare(
    `INSERT INTO risk_audit (at, account_id, action, decision, rule, limit_value, actual_value, message, request)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  db.transaction(() => {
    for (const e of entries) {
      stmt.run(e.at, e.accountId, e.action, e.decision, e.rule, e.limit, e.value, e.message, e.request)
    }
  })()
}

interface AuditRow {
  id: number
  at: number
  account_id: string | null
  action: AuditEntry['action']
  decision: AuditEntry['decision']
  rule: string | null
  limit_value: string | null
  actual_value: string | null
  message: string
  request: string
}

export function listAudit(
  db: Db,
  q: {
    accountId?: string | undefined
    decision?: string | undefined
    beforeId?: number | undefined
    limit: number
  },
): AuditEntry[] {
  const where: string[] = []
  const args: (string | number)[] = []
  if (q.accountId !== undefined) {
    where.push('account_id = ?')
    args.push(q.accountId)
  }
  if (q.decision !== undefined) {
    where.push('decision = ?')
    args.push(q.decision)
  }
  if (q.beforeId !== undefined) {
    where.push('id < ?')
    args.push(q.beforeId)
  }
  const sql = `SELECT * FROM risk_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`
  const rows = db.prepare(sql).all(...args, q.limit) as AuditRow[]
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    accountId: r.account_id,
    action: r.action,
    decision: r.decision,
    rule: r.rule,
    limit: r.limit_value,
    value: r.actual_value,
    message: r.message,
    request: r.request,
  }))
}
