/** The runner's rows (migration 0022): runs and their order intents. */
import type { RunProtection, RunSchedule, RunStart } from '../../shared/contract/runner'
import type { Timeframe } from '../../shared/domain/timeframes'
import type { Db } from '../storage/database'

export type RunState = 'running' | 'paused' | 'stopped'

export interface RunRow {
  id: string
  strategyId: string
  params: Record<string, unknown>
  accountId: string
  source: string
  symbol: string
  timeframe: Timeframe
  allocation: string
  protections: RunProtection[]
  state: RunState
  reason: string | null
  lockedUntil: number | null
  firstLiveBar: number | null
  lastBarTime: number | null
  /** When the trader armed it to send live orders (migration 0023); null: not armed. */
  liveArmedAt: number | null
  /** What the scheduler's start and stop tasks do to it (migration 0023). */
  schedule: RunSchedule
  startedAt: number
  updatedAt: number
}

export type IntentStatus = 'pending' | 'sent' | 'rejected' | 'skipped'

export interface IntentRow {
  runId: string
  barTime: number
  seq: number
  clientOrderId: string
  kind: string
  reason: string | null
  /** The exact order request (JSON) resent after a restart; null when skipped. */
  request: string | null
  status: IntentStatus
  message: string | null
}

interface RawRun {
  id: string
  strategy_id: string
  params: string
  account_id: string
  source: string
  symbol: string
  timeframe: string
  allocation: string
  protections: string
  state: RunState
  reason: string | null
  locked_until: number | null
  first_live_bar: number | null
  last_bar_time: number | null
  live_armed_at: number | null
  schedule: string | null
  started_at: number
  updated_at: number
}

const toRun = (r: RawRun): RunRow => ({
  id: r.id,
  strategyId: r.strategy_id,
  params: JSON.parse(r.params) as Record<string, unknown>,
  accountId: r.account_id,
  source: r.source,
  symbol: r.symbol,
  timeframe: r.timeframe as Timeframe,
  allocation: r.allocation,
  protections: JSON.parse(r.protections) as RunProtection[],
  state: r.state,
  reason: r.reason,
  lockedUntil: r.locked_until,
  firstLiveBar: r.first_live_bar,
  lastBarTime: r.last_bar_time,
  liveArmedAt: r.live_armed_at,
  schedule: r.schedule === null ? NO_SCHEDULE : (JSON.parse(r.schedule) as RunSchedule),
  startedAt: r.started_at,
  updatedAt: r.updated_at,
})

export function insertRun(
  db: Db,
  id: string,
  p: RunStart & { params: Record<string, unknown> },
  now: number,
  liveArmedAt: number | null = null,
): void {
  db.prepare(
    `INSERT INTO strategy_runs (id, strategy_id, params, account_id, source, symbol, timeframe, allocation,
       protections, state, live_armed_at, started_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)`,
  ).run(
    id,
    p.strategyId,
    JSON.stringify(p.params),
    p.accountId,
    p.source,
    p.symbol,
    p.timeframe,
    p.allocation,
    JSON.stringify(p.protections),
    liveArmedAt,
    now,
    now,
  )
}

export const NO_SCHEDULE: RunSchedule = { start: false, stop: 'no' }

export function setSchedule(db: Db, id: string, schedule: RunSchedule, now: number): void {
  db.prepare('UPDATE strategy_runs SET schedule = ?, updated_at = ? WHERE id = ?').run(
    JSON.stringify(schedule),
    now,
    id,
  )
}

export function getRun(db: Db, id: string): RunRow | null {
  const r = db.prepare('SELECT * FROM strategy_runs WHERE id = ?').get(id) as RawRun | undefined
  return r ? toRun(r) : null
}

export function listRuns(db: Db): RunRow[] {
  return (db.prepare('SELECT * FROM strategy_runs ORDER BY started_at DESC, id DESC').all() as RawRun[]).map(
    toRun,
  )
}

export function setRunState(
  db: Db,
  id: string,
  state: RunState,
  reason: string | null,
  lockedUntil: number | null,
  now: number,
): void {
  db.prepare(
    'UPDATE strategy_runs SET state = ?, reason = ?, locked_until = ?, updated_at = ? WHERE id = ?',
  ).run(state, reason, lockedUntil, now, id)
}

/** A new run decides from the bar after its warm-up: that bar, and the warm-up's last as decided. */
export function setFirstLiveBar(
  db: Db,
  id: string,
  firstLiveBar: number,
  lastWarmup: number,
  now: number,
): void {
  db.prepare(
    'UPDATE strategy_runs SET first_live_bar = ?, last_bar_time = ?, updated_at = ? WHERE id = ?',
  ).run(firstLiveBar, lastWarmup, now, id)
}

export function setLastBar(db: Db, id: string, barTime: number, now: number): void {
  db.prepare('UPDATE strategy_runs SET last_bar_time = ?, updated_at = ? WHERE id = ?').run(barTime, now, id)
}

/**
 * Stores a bar's intents and moves the run past that bar in one transaction: after a crash
 * either both are stored (the intents are resent) or neither (the bar is decided again, once).
 * An intent already stored under its key is left as it is.
 */
export function recordDecision(
  db: Db,
  runId: string,
  barTime: number,
  intents: readonly IntentRow[],
  now: number,
): void {
  const put = db.prepare(
    `INSERT OR IGNORE INTO strategy_intents (run_id, bar_time, seq, client_order_id, kind, reason, request, status,
       message, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  db.transaction(() => {
    for (const i of intents)
      put.run(
        runId,
        barTime,
        i.seq,
        i.clientOrderId,
        i.kind,
        i.reason,
        i.request,
        i.status,
        i.message,
        now,
        now,
      )
    setLastBar(db, runId, barTime, now)
  })()
}

/**
 * Stores an intent that is not a bar's decision (the trader's stop-and-close) under its own
 * time, leaving the run's last bar as it is. A plain INSERT: a clash is an error, never a close
 * silently not recorded.
 */
export function recordOwnIntent(db: Db, intent: IntentRow, now: number): void {
  db.prepare(
    `INSERT INTO strategy_intents (run_id, bar_time, seq, client_order_id, kind, reason, request, status,
       message, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    intent.runId,
    intent.barTime,
    intent.seq,
    intent.clientOrderId,
    intent.kind,
    intent.reason,
    intent.request,
    intent.status,
    intent.message,
    now,
    now,
  )
}

export function settleIntent(
  db: Db,
  clientOrderId: string,
  status: IntentStatus,
  message: string | null,
  now: number,
): void {
  db.prepare(
    'UPDATE strategy_intents SET status = ?, message = ?, updated_at = ? WHERE client_order_id = ?',
  ).run(status, message, now, clientOrderId)
}

interface RawIntent {
  run_id: string
  bar_time: number
  seq: number
  client_order_id: string
  kind: string
  reason: string | null
  request: string | null
  status: IntentStatus
  message: string | null
}

const toIntent = (r: RawIntent): IntentRow => ({
  runId: r.run_id,
  barTime: r.bar_time,
  seq: r.seq,
  clientOrderId: r.client_order_id,
  kind: r.kind,
  reason: r.reason,
  request: r.request,
  status: r.status,
  message: r.message,
})

export function intentsOf(db: Db, runId: string): IntentRow[] {
  return (
    db
      .prepare('SELECT * FROM strategy_intents WHERE run_id = ? ORDER BY bar_time, seq')
      .all(runId) as RawIntent[]
  ).map(toIntent)
}

export function pendingIntents(db: Db, runId: string): IntentRow[] {
  return (
    db
      .prepare(
        "SELECT * FROM strategy_intents WHERE run_id = ? AND status = 'pending' ORDER BY bar_time, seq",
      )
      .all(runId) as RawIntent[]
  ).map(toIntent)
}
