/**
 * The backtest domain: starts runs on the compute pool (one worker each, progress and cancel),
 * stores them with their settings, strategy source hash and data fingerprint, and serves the
 * runs list. Bars come through a port (the demo market and stored histories, as the chart and
 * the signals read them).
 */
import { createHash, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { basename, extname } from 'node:path'
import { AppError } from '../../shared/contract/errors'
import type {
  BacktestProgress,
  OptimizeProgress,
  OptimizeResultInfo,
  StrategyInfo,
  backtestContract,
} from '../../shared/contract/backtest'
import type { Candle } from '../../shared/domain/candles'
import { TIMEFRAMES, timeframeMs, type Timeframe } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import type { Compute } from '../compute'
import type { Domain } from '../domain'
import type { Logger } from '../log'
import type { StreamSink } from '../rpc/handlers'
import type { Db } from '../storage/db'
import { candleSeries } from '../indicators'
import type { SymbolSeries } from './engine'
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
import { optimize, type OptimizeResult } from './optimize/optimize'
import { gridSets, parseConstraint, randomSets } from './optimize/space'
import { Tpe } from './optimize/tpe'
import { backtestTask, taskOutputOf } from './tasks'
import { describeStrategyFile, runStrategyFile, strategyFiles } from './user/run'
import { strategyInfoOf } from './info'
import type { HandlersOf } from '../rpc/handlers'

/** A user strategy's id in the list and in runs: its file's name without the extension. */
const userId = (file: string): string => basename(file, extname(file))

/** Closed bars of a series, oldest first (the signals' BarSource satisfies it). */
export interface BacktestBars {
  closedBars(source: string, symbol: string, tf: Timeframe, limit: number, now: number): Candle[]
  /** Timeframes with bars for the symbol: where `intrabar` looks for finer bars. */
  timeframes?(source: string, symbol: string): readonly Timeframe[]
}

/** Finer bars read for `intrabar` at most, per symbol (the newest; older bars follow the path). */
const MAX_FINE_BARS = 500_000

export interface BacktestDeps {
  db: Db
  clock: Clock
  log: Logger
  compute: Compute
  bars: BacktestBars
  newId?: () => string
  /** The data folder's `strategies/`: user strategy files, each run in its own worker. */
  strategiesDir?: string
}

/** Strategies whose fast period must stay below the slow one when both are searched. */
const FAST_SLOW = new Set(['sma-cross', 'ema-cross', 'macd-cross'])

const finite = (x: number | null | undefined): number | null =>
  x === null || x === undefined || !Number.isFinite(x) ? null : x

/** An optimisation's result as the contract carries it: NaN and infinities as null. */
function resultInfo(r: OptimizeResult): OptimizeResultInfo {
  const row = (x: OptimizeResult['rows'][number]) => ({
    params: x.params,
    metrics: Object.fromEntries(Object.entries(x.metrics).map(([k, v]) => [k, finite(v)])),
  })
  const wf = r.walkForward
  return {
    objective: r.objective,
    rows: r.rows.map(row),
    best: r.best ? row(r.best) : null,
    walkForward: wf && {
      folds: wf.folds.map((f) => ({
        best: f.best,
        inSample: finite(f.inSample),
        outOfSample: finite(f.outOfSample),
      })),
      inSample: finite(wf.inSample),
      outOfSample: finite(wf.outOfSample),
      ratio: finite(wf.ratio),
      equity: wf.equity,
      warning: wf.warning,
    },
  }
}

interface LiveOptimize {
  progress: OptimizeProgress
  sinks: Set<StreamSink<OptimizeProgress>>
  abort: AbortController
}

interface Live {
  progress: BacktestProgress
  sinks: Set<StreamSink<BacktestProgress>>
  abort: AbortController
}

/** A built-in strategy's parameters for a form. */
export function strategyInfo(id: string): StrategyInfo {
  return strategyInfoOf(getStrategy(id))
}

export function createBacktestDomain(deps: BacktestDeps): Domain<typeof backtestContract> {
  const { db, clock, log } = deps

  /**
   * Each symbol's newest `maxBars` closed bars of `timeframe`; with `intrabar` also the bars of
   * its finest shorter timeframe over the same span (none: the run notes it).
   */
  function symbolData(
    symbols: readonly { source: string; symbol: string }[],
    timeframe: Timeframe,
    maxBars: number,
    now: number,
    intrabar: boolean,
  ): SymbolSeries[] {
    return symbols.map((s) => {
      const series = candleSeries(deps.bars.closedBars(s.source, s.symbol, timeframe, maxBars, now))
      if (!intrabar || series.time.length === 0) return { symbol: s.symbol, series }
      const rank = TIMEFRAMES.indexOf(timeframe)
      const finer = (deps.bars.timeframes?.(s.source, s.symbol) ?? [])
        .filter((tf) => TIMEFRAMES.indexOf(tf) < rank)
        .sort((a, b) => TIMEFRAMES.indexOf(a) - TIMEFRAMES.indexOf(b))[0]
      if (!finer) return { symbol: s.symbol, series }
      const span = now - series.time[0]!
      const limit = Math.min(MAX_FINE_BARS, Math.ceil(span / timeframeMs(finer)) + 1)
      const fine = candleSeries(deps.bars.closedBars(s.source, s.symbol, finer, limit, now))
      return { symbol: s.symbol, series, fine }
    })
  }
  const newId = deps.newId ?? randomUUID
  const live = new Map<string, Live>()
  const searches = new Map<string, LiveOptimize>()
  const publishSearch = (l: LiveOptimize): void => {
    for (const s of l.sinks) s.emit(l.progress)
  }

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
    userFile?: string,
  ): Promise<void> {
    try {
      const resolved = typeof input === 'function' ? input() : input
      const onProgress = (done: number, total: number): void => {
        l.progress = { ...l.progress, done, total }
        publish(l)
      }
      const out = userFile
        ? taskOutputOf(
            await runStrategyFile(userFile, resolved.spec, resolved.data, {
              signal: l.abort.signal,
              onProgress,
            }),
          ).value
        : await deps.compute.run(backtestTask, resolved, {
            signal: l.abort.signal,
            onProgress: (p) => onProgress(p.done, p.total),
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

  /** User strategy files, without those whose name a built-in already has (built-ins win). */
  const userFiles = (): string[] =>
    deps.strategiesDir
      ? strategyFiles(deps.strategiesDir).filter((f) => !STRATEGIES.some((s) => s.id === userId(f)))
      : []

  /**
   * A run of a user file: its parameters are checked in its worker (the schema is the file's
   * code), so a bad one fails the run with the message rather than the call.
   */
  function startUserRun(p: Parameters<HandlersOf<typeof backtestContract>['backtest.run']>[0], file: string) {
    const settings = parseSettings(p.settings)
    const id = newId()
    const source = readFileSync(file, 'utf8')
    const summary = insertRun(db, {
      id,
      name: p.name ?? `${userId(file)} ${p.symbols.map((s) => s.symbol).join(', ')} ${p.timeframe}`,
      strategy: userId(file),
      params: p.params ?? {},
      symbols: p.symbols,
      timeframe: p.timeframe,
      settings: settings as unknown as Record<string, unknown>,
      strategyHash: createHash('sha256').update(source).digest('hex'),
      createdAt: clock.now(),
    })
    const l: Live = {
      progress: { id, status: 'running', done: 0, total: 0, error: null },
      sinks: new Set(),
      abort: new AbortController(),
    }
    live.set(id, l)
    const now = clock.now()
    void execute(
      id,
      l,
      () => ({
        spec: { strategy: userId(file), params: p.params ?? {}, settings: p.settings },
        data: symbolData(p.symbols, p.timeframe, p.maxBars, now, p.settings.intrabar === true),
      }),
      file,
    )
    return summary
  }

  return {
    name: 'backtest',
    start() {
      const n = failInterrupted(db, clock.now())
      if (n > 0) log.info(`${n} backtest run(s) interrupted by the last stop marked failed`)
    },
    close() {
      for (const l of live.values()) l.abort.abort()
      for (const l of searches.values()) l.abort.abort()
    },
    handlers: {
      'backtest.strategies': async () => {
        const builtIn = STRATEGIES.map((s) => strategyInfo(s.id))
        const user: StrategyInfo[] = []
        for (const file of userFiles()) {
          const id = userId(file)
          try {
            const d = await describeStrategyFile(file)
            user.push({ ...d.info, id, description: `${d.info.description} (file ${file})` })
          } catch (err) {
            // Listed all the same, so the trader sees why; running it fails with this message.
            const message = err instanceof Error ? err.message : String(err)
            user.push({ id, title: id, description: `cannot be loaded: ${message}`, params: [] })
          }
        }
        return [...builtIn, ...user]
      },

      'backtest.run': (p) => {
        const userFile = STRATEGIES.some((s) => s.id === p.strategy)
          ? undefined
          : userFiles().find((f) => userId(f) === p.strategy)
        if (userFile) return startUserRun(p, userFile)
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
          data: symbolData(p.symbols, p.timeframe, p.maxBars, now, p.settings.intrabar === true),
        }))
        return summary
      },

      'backtest.optimize': (p) => {
        getStrategy(p.strategy)
        const base = parseParams(p.strategy, p.params)
        parseSettings(p.settings)
        const constraints = []
        const names = new Set(p.ranges.map((r) => r.name))
        for (const r of p.ranges)
          if (!(r.name in base))
            throw new AppError('validation', `ranges: ${p.strategy} has no parameter ${r.name}`, 'ranges')
        if (FAST_SLOW.has(p.strategy) && names.has('fast') && names.has('slow'))
          constraints.push(parseConstraint('fast < slow'))
        const tpe =
          p.method === 'tpe' ? { ranges: p.ranges, constraints, trials: p.trials, seed: p.seed } : undefined
        const sets =
          p.method === 'grid'
            ? gridSets(p.ranges, constraints)
            : p.method === 'random'
              ? randomSets(p.ranges, p.trials, constraints, p.seed)
              : []
        const count = tpe ? new Tpe(p.ranges, constraints, tpe).total : sets.length
        if (count === 0)
          throw new AppError(
            'validation',
            'ranges: no parameter set meets the ranges and constraints',
            'ranges',
          )
        if (sets.length > 20_000)
          throw new AppError(
            'validation',
            `ranges: ${sets.length} sets, at most 20,000 (use random)`,
            'ranges',
          )
        const id = newId()
        const l: LiveOptimize = {
          progress: { id, status: 'running', done: 0, total: 0, error: null, result: null },
          sinks: new Set(),
          abort: new AbortController(),
        }
        searches.set(id, l)
        const now = clock.now()
        void (async () => {
          try {
            const data = symbolData(p.symbols, p.timeframe, p.maxBars, now, p.settings.intrabar === true)
            const res = await optimize(
              deps.compute,
              {
                strategy: p.strategy,
                base,
                sets,
                ...(tpe ? { tpe } : {}),
                settings: p.settings,
                data,
                objective: p.objective,
                minTrades: p.minTrades,
                walkForward: p.walkForward,
              },
              {
                signal: l.abort.signal,
                onProgress: (q) => {
                  l.progress = { ...l.progress, done: q.done, total: q.total }
                  publishSearch(l)
                },
              },
            )
            l.progress = { ...l.progress, status: 'done', result: resultInfo(res) }
          } catch (err) {
            const cancelled = l.abort.signal.aborted
            const message = cancelled ? null : err instanceof Error ? err.message : String(err)
            if (!cancelled) log.warn(`optimisation ${id} failed: ${message}`)
            l.progress = { ...l.progress, status: cancelled ? 'cancelled' : 'failed', error: message }
          }
          publishSearch(l)
          for (const s of l.sinks) s.end()
          searches.delete(id)
        })()
        return { id, total: count }
      },

      'backtest.optimizeProgress': ({ id }, sink) => {
        const l = searches.get(id)
        if (!l) {
          sink.end({ kind: 'not_found', message: `No optimisation ${id} is running`, path: 'params.id' })
          return () => {}
        }
        l.sinks.add(sink)
        sink.emit(l.progress)
        return () => void l.sinks.delete(sink)
      },

      'backtest.cancel': ({ id }) => {
        const search = searches.get(id)
        if (search) {
          search.abort.abort()
          return { cancelled: true }
        }
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
