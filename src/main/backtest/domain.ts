/**
 * The backtest domain: starts runs on the compute pool (one worker each, progress and cancel),
 * stores them with their settings, strategy source hash and data fingerprint, and serves the
 * runs list. Bars come through a port (the demo market and stored histories, as the chart and
 * the signals read them).
 */
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { AppError } from '../../shared/contract/errors'
import type { BacktestProgress, StrategyInfo, backtestContract } from '../../shared/contract/backtest'
import type { Candle } from '../../shared/domain/candles'
import type { Timeframe } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import type { Compute } from '../compute'
import type { Domain } from '../domain'
import type { Logger } from '../log'
import type { StreamSink } from '../rpc/handlers'
import type { Db } from '../storage/db'
import { candleSeries } from '../indicators'
import { strategySourceHash } from './fingerprint'
import { parseParams } from './run'
import { parseSettings } from './settings'
import { STRATEGIES, getStrategy } from './strategies'
import {
  endRun,
  failInterrupted,
  finishRun,
  getRun,
  getSummary,
  insertRun,
  listRuns,
  renameRun,
  deleteRun,
} from './store'
import { backtestTask } from './tasks'

/** Closed bars of a series, oldest first (the signals' BarSource satisfies it). */
export interface BacktestBars {
  closedBars(source: string, symbol: string, tf: Timeframe, limit: number, now: number): Candle[]
}

export interface BacktestDeps {
  db: Db
  clock: Clock
  log: Logger
  compute: Compute
  bars: BacktestBars
  newId?: () => string
}

interface Live {
  progress: BacktestProgress
  sinks: Set<StreamSink<BacktestProgress>>
  abort: AbortController
}

/** A strategy's parameters for a form, from its zod schema (JSON Schema) and its ranges. */
export function strategyInfo(id: string): StrategyInfo {
  const def = getStrategy(id)
  const schema = z.toJSONSchema(def.params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<
      string,
      {
        type?: string
        default?: unknown
        minimum?: number
        maximum?: number
        enum?: string[]
        description?: string
      }
    >
  }
  const params = Object.entries(schema.properties ?? {}).map(([name, p]) => ({
    name,
    kind: p.enum
      ? ('choice' as const)
      : p.type === 'integer'
        ? ('integer' as const)
        : p.type === 'boolean'
          ? ('boolean' as const)
          : ('number' as const),
    default: p.default as number | string | boolean,
    min: p.minimum ?? null,
    max: p.maximum ?? null,
    range: def.ranges[name] ?? null,
    choices: p.enum ?? null,
    description: p.description ?? '',
  }))
  return { id: def.id, title: def.title, description: def.description, params }
}

export function createBacktestDomain(deps: BacktestDeps): Domain<typeof backtestContract> {
  const { db, clock, log } = deps
  const newId = deps.newId ?? randomUUID
  const live = new Map<string, Live>()

  const publish = (l: Live): void => {
    for (const s of l.sinks) s.emit(l.progress)
  }
  const finish = (id: string, l: Live): void => {
    publish(l)
    for (const s of l.sinks) s.end()
    live.delete(id)
  }

  async function execute(
    id: string,
    l: Live,
    input: Parameters<typeof backtestTask.run>[0] | (() => Parameters<typeof backtestTask.run>[0]),
  ): Promise<void> {
    try {
      const resolved = typeof input === 'function' ? input() : input
      const out = await deps.compute.run(backtestTask, resolved, {
        signal: l.abort.signal,
        onProgress: (p) => {
          l.progress = { ...l.progress, done: p.done, total: p.total }
          publish(l)
        },
      })
      finishRun(db, id, out, clock.now())
      l.progress = { ...l.progress, status: 'done', done: l.progress.total || l.progress.done }
    } catch (err) {
      const cancelled = l.abort.signal.aborted
      const message = cancelled ? null : err instanceof Error ? err.message : String(err)
      if (!cancelled) log.warn(`backtest ${id} failed: ${message}`)
      endRun(db, id, cancelled ? 'cancelled' : 'failed', message, clock.now())
      l.progress = { ...l.progress, status: cancelled ? 'cancelled' : 'failed', error: message }
    }
    finish(id, l)
  }

  return {
    name: 'backtest',
    start() {
      const n = failInterrupted(db, clock.now())
      if (n > 0) log.info(`${n} backtest run(s) interrupted by the last stop marked failed`)
    },
    close() {
      for (const l of live.values()) l.abort.abort()
    },
    handlers: {
      'backtest.strategies': () => STRATEGIES.map((s) => strategyInfo(s.id)),

      'backtest.run': (p) => {
        const def = getStrategy(p.strategy)
        // Checked before anything is stored: the error names the parameter or setting.
        const params = parseParams(p.strategy, p.params)
        const settings = parseSettings(p.settings)
        const id = newId()
        const summary = insertRun(db, {
          id,
          name: p.name ?? `${def.id} ${p.symbols.map((s) => s.symbol).join(', ')} ${p.timeframe}`,
          strategy: def.id,
          params,
          symbols: p.symbols,
          timeframe: p.timeframe,
          settings: settings as unknown as Record<string, unknown>,
          strategyHash: strategySourceHash(def),
          createdAt: clock.now(),
        })
        const l: Live = {
          progress: { id, status: 'running', done: 0, total: 0, error: null },
          sinks: new Set(),
          abort: new AbortController(),
        }
        live.set(id, l)
        const now = clock.now()
        void execute(id, l, () => ({
          spec: { strategy: def.id, params, settings: p.settings },
          data: p.symbols.map((s) => ({
            symbol: s.symbol,
            series: candleSeries(deps.bars.closedBars(s.source, s.symbol, p.timeframe, p.maxBars, now)),
          })),
        }))
        return summary
      },

      'backtest.cancel': ({ id }) => {
        const l = live.get(id)
        if (!l) return { cancelled: false }
        l.abort.abort()
        return { cancelled: true }
      },

      'backtest.progress': ({ id }, sink) => {
        const l = live.get(id)
        if (l) {
          l.sinks.add(sink)
          sink.emit(l.progress)
          return () => void l.sinks.delete(sink)
        }
        const s = getSummary(db, id)
        if (!s) {
          sink.end({ kind: 'not_found', message: `No backtest run ${id}`, path: 'params.id' })
          return () => {}
        }
        sink.emit({ id, status: s.status, done: 0, total: 0, error: s.error })
        sink.end()
        return () => {}
      },

      'backtest.list': () => listRuns(db),

      'backtest.get': ({ id }) => {
        const r = getRun(db, id)
        if (!r) throw new AppError('not_found', `No backtest run ${id}`, 'params.id')
        return r
      },

      'backtest.rename': ({ id, name }) => {
        if (!renameRun(db, id, name)) throw new AppError('not_found', `No backtest run ${id}`, 'params.id')
        return getSummary(db, id)!
      },

      'backtest.delete': ({ id }) => {
        live.get(id)?.abort.abort()
        return { deleted: deleteRun(db, id) }
      },
    },
  }
}
