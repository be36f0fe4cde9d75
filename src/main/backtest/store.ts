/** Stored backtest runs (migration 0015-backtests): one row per run, results once done. */
import type { BacktestRun, BacktestSummary } from '../../shared/contract/backtest'
import type { Timeframe } from '../../shared/domain/timeframes'
import type { Db } from '../storage/db'
import type { BacktestTaskOutput } from './tasks'

interface Row {
  id: string
  name: string
  strategy: string
  params: string
  symbols: string
  timeframe: string
  settings: string
  strategy_hash: string
  data_fingerprint: string | null
  status: BacktestSummary['status']
  error: string | null
  created_at: number
  finished_at: number | null
  metrics: string | null
  trades: string | null
  equity_time: Buffer | null
  equity_value: Buffer | null
  counters: string | null
}

export interface NewRun {
  id: string
  name: string
  strategy: string
  params: Record<string, unknown>
  symbols: { source: string; symbol: string }[]
  timeframe: Timeframe
  settings: Record<string, unknown>
  strategyHash: string
  createdAt: number
}

const blob = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

function floats(b: Buffer | null): number[] {
  if (!b) return []
  const copy = new Float64Array(b.byteLength / 8)
  new Uint8Array(copy.buffer).set(b)
  return Array.from(copy)
}

/** NaN and infinities stored as null (JSON has no NaN). */
const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? null : x))

function summary(r: Row): BacktestSummary {
  const m = r.metrics ? (JSON.parse(r.metrics) as Record<string, number | null>) : null
  return {
    id: r.id,
    name: r.name,
    strategy: r.strategy,
    params: JSON.parse(r.params) as Record<string, unknown>,
    symbols: JSON.parse(r.symbols) as BacktestSummary['symbols'],
    timeframe: r.timeframe as Timeframe,
    status: r.status,
    error: r.error,
    createdAt: r.created_at,
    finishedAt: r.finished_at,
    totalReturn: m?.totalReturn ?? null,
    sharpe: m?.sharpe ?? null,
    maxDrawdown: m?.maxDrawdown ?? null,
    trades: m?.trades ?? null,
  }
}

export function insertRun(db: Db, run: NewRun): BacktestSummary {
  db.prepare(
    `INSERT INTO backtest_runs (id, name, strategy, params, symbols, timeframe, settings, strategy_hash, status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)`,
  ).run(
    run.id,
    run.name,
    run.strategy,
    json(run.params),
    json(run.symbols),
    run.timeframe,
    json(run.settings),
    run.strategyHash,
    run.createdAt,
  )
  return getSummary(db, run.id)!
}

export function finishRun(db: Db, id: string, out: BacktestTaskOutput, at: number): void {
  db.prepare(
    `UPDATE backtest_runs SET status = 'done', finished_at = ?, strategy_hash = ?, data_fingerprint = ?, params = ?, settings = ?,
       metrics = ?, trades = ?, equity_time = ?, equity_value = ?, counters = ? WHERE id = ?`,
  ).run(
    at,
    // The run's own hash: for a user file, of the text the worker actually loaded.
    out.strategyHash,
    out.dataFingerprint,
    json(out.params),
    json(out.settings),
    json(out.metrics),
    json(out.trades),
    blob(out.equityTime),
    blob(out.equityValue),
    json({
      ambiguousBars: out.ambiguousBars,
      intrabarBars: out.intrabarBars,
      rejectedOrders: out.rejectedOrders,
      workingAtEnd: out.workingAtEnd,
      feesPaid: out.feesPaid,
      flags: out.flags,
    }),
    id,
  )
}

export function endRun(
  db: Db,
  id: string,
  status: 'failed' | 'cancelled',
  error: string | null,
  at: number,
): void {
  db.prepare(`UPDATE backtest_runs SET status = ?, error = ?, finished_at = ? WHERE id = ?`).run(
    status,
    error,
    at,
    id,
  )
}

/** Runs left `running` by an app that stopped during them. */
export function failInterrupted(db: Db, at: number): number {
  return db
    .prepare(
      `UPDATE backtest_runs SET status = 'failed', error = 'interrupted: the app stopped during the run', finished_at = ?
       WHERE status = 'running'`,
    )
    .run(at).changes
}

export function listRuns(db: Db): BacktestSummary[] {
  const rows = db
    .prepare(
      `SELECT id, name, strategy, params, symbols, timeframe, settings, strategy_hash, data_fingerprint, status, error,
         created_at, finished_at, metrics, NULL AS trades, NULL AS equity_time, NULL AS equity_value, counters
       FROM backtest_runs ORDER BY created_at DESC, rowid DESC`,
    )
    .all() as Row[]
  return rows.map(summary)
}

export function getSummary(db: Db, id: string): BacktestSummary | undefined {
  const r = db.prepare(`SELECT * FROM backtest_runs WHERE id = ?`).get(id) as Row | undefined
  return r && summary(r)
}

export function getRun(db: Db, id: string): BacktestRun | undefined {
  const r = db.prepare(`SELECT * FROM backtest_runs WHERE id = ?`).get(id) as Row | undefined
  if (!r) return undefined
  const values = floats(r.equity_value)
  let peak = -Infinity
  const drawdown = values.map((v) => {
    peak = Math.max(peak, v)
    return peak > 0 ? v / peak - 1 : 0
  })
  const counters = r.counters
    ? (JSON.parse(r.counters) as {
        ambiguousBars: number
        intrabarBars?: number
        rejectedOrders: number
        flags: string[]
      })
    : null
  return {
    ...summary(r),
    settings: JSON.parse(r.settings) as Record<string, unknown>,
    strategyHash: r.strategy_hash,
    dataFingerprint: r.data_fingerprint ?? '',
    metrics: r.metrics ? (JSON.parse(r.metrics) as Record<string, unknown>) : null,
    trades: r.trades ? (JSON.parse(r.trades) as BacktestRun['trades']) : [],
    equity: { time: floats(r.equity_time), value: values },
    drawdown,
    ambiguousBars: counters?.ambiguousBars ?? null,
    intrabarBars: counters?.intrabarBars ?? null,
    rejectedOrders: counters?.rejectedOrders ?? null,
    flags: counters?.flags ?? [],
  }
}

export function renameRun(db: Db, id: string, name: string): boolean {
  return db.prepare(`UPDATE backtest_runs SET name = ? WHERE id = ?`).run(name, id).changes > 0
}

export function deleteRun(db: Db, id: string): boolean {
  return db.prepare(`DELETE FROM backtest_runs WHERE id = ?`).run(id).changes > 0
}
