import { join } from 'node:path'
import { createChartingDomain } from '../../src/main/charting/handlers'
import { createComputePool } from '../../src/main/compute-pool'
import { createDemoMarket, type DemoMarket } from '../../src/main/demo'
import { silentLogger, type Logger } from '../../src/main/log'
import { createMarketDomain } from '../../src/main/market/handlers'
import { HandlerRegistry } from '../../src/main/rpc/registry'
import { closeDatabase, openDatabase, type Db } from '../../src/main/storage/database'
import type { Clock } from '../../src/main/clock'
import { getIndicator, type CandleSeries } from '../../src/main/indicators'
import type { CandleColumns } from '../../src/shared/domain/candles'
import type { CommandName, ParamsIn, ResultOf } from '../../src/shared/contract'

/** A fixed "now" so every run sees the same demo history: 2025-06-01 00:00:30 UTC. */
export const NOW = Date.UTC(2025, 5, 1, 0, 0, 30)

export interface ManualClock extends Clock {
  set(t: number): void
}

export function manualClock(t = NOW): ManualClock {
  let now = t
  return { now: () => now, set: (x) => (now = x) }
}

/** A logger that keeps its lines, for asserting warnings. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug: (m) => lines.push(`DEBUG ${m}`),
    info: (m) => lines.push(`INFO ${m}`),
    warn: (m) => lines.push(`WARN ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  }
}

export interface Rig {
  db: Db
  demo: DemoMarket
  clock: ManualClock
  log: Logger & { lines: string[] }
  registry: HandlerRegistry
  invoke<N extends CommandName>(name: N, params: ParamsIn<N>): Promise<ResultOf<N>>
  /** Closes the domains (the charting worker included) and the database. */
  close(): Promise<void>
}

/**
 * The market and charting domains on a real database in `dir`, the demo market and a manual
 * clock; indicators computed inline, or with `inlineLimit` in the engine's compute pool (one
 * worker, closed by `close`).
 */
export function rig(dir: string, opts: { inlineLimit?: number; file?: string } = {}): Rig {
  const db = openDatabase(join(dir, opts.file ?? 'candlework.db'))
  const demo = createDemoMarket()
  const clock = manualClock()
  const log = recordingLogger()
  const market = createMarketDomain({ db, demo, clock })
  const pool = opts.inlineLimit === undefined ? undefined : createComputePool({ log, size: 1 })
  const charting = createChartingDomain({ db, demo, clock, log, inlineLimit: opts.inlineLimit, pool })
  const registry = new HandlerRegistry(silentLogger).add(market.handlers).add(charting.handlers)
  return {
    db,
    demo,
    clock,
    log,
    registry,
    async invoke(name, params) {
      const res = await registry.invoke(name, params, { transport: 'memory', peer: 'test' })
      if (!res.ok) throw new Error(`${name}: ${res.error.kind}: ${res.error.message} (${res.error.path})`)
      return res.value as never
    },
    async close() {
      await charting.close?.()
      await pool?.close()
      market.close?.()
      closeDatabase(db)
    },
  }
}

export function toSeries(c: CandleColumns): CandleSeries {
  return {
    time: Float64Array.from(c.time),
    open: Float64Array.from(c.open),
    high: Float64Array.from(c.high),
    low: Float64Array.from(c.low),
    close: Float64Array.from(c.close),
    volume: Float64Array.from(c.volume),
  }
}

export function sliceSeries(s: CandleSeries, from: number, to = s.time.length): CandleSeries {
  return {
    time: s.time.slice(from, to),
    open: s.open.slice(from, to),
    high: s.high.slice(from, to),
    low: s.low.slice(from, to),
    close: s.close.slice(from, to),
    volume: s.volume.slice(from, to),
  }
}

/** Every demo bar of a symbol and timeframe from the start of its history up to `to`. */
export function fullHistory(
  demo: DemoMarket,
  symbol: string,
  tf: Parameters<DemoMarket['candles']>[1],
  to: number,
) {
  return toSeries(demo.candles(symbol, tf, to, 10_000_000, NOW))
}

/** The library's batch output, NaN as null. */
export function batch(
  id: string,
  params: Record<string, number | string>,
  s: CandleSeries,
): (number | null)[][] {
  return getIndicator(id)
    .compute(s, params)
    .map((c) => Array.from(c, (v) => (Number.isFinite(v) ? v : null)))
}

/** Relative closeness for values computed from different starts (decay and rounding). */
export function close(a: number | null, b: number | null, rel = 1e-9): boolean {
  if (a === null || b === null) return a === b
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b))
}

export { closeDatabase }
