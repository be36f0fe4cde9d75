/**
 * One backtest from a plain description (strategy id, parameters, settings) over loaded data:
 * validates everything first (errors name the field), runs the engine, computes the statistics
 * and records what makes the run reproducible. The CLI, the domain's worker task and tests all
 * come through here.
 */
import { AppError } from '../../shared/contract/errors'
import { runBacktest, type RunHooks, type SymbolSeries } from './engine'
import { dataFingerprint, strategySourceHash } from './fingerprint'
import { backtestMetrics } from './metrics'
import type { BacktestResult } from './result'
import { parseSettings, type BacktestSettings, type BacktestSettingsInput } from './settings'
import type { Metrics } from './stats'
import { getStrategy } from './strategies'
import type { StrategyDefinition } from './strategy'

export interface RunSpec {
  strategy: string
  params?: Record<string, unknown>
  settings?: BacktestSettingsInput
}

export interface RunOutput {
  strategy: string
  params: Record<string, unknown>
  settings: BacktestSettings
  result: BacktestResult
  metrics: Metrics
  strategyHash: string
  dataFingerprint: string
}

/** The strategy's parameters with defaults applied; a bad one throws naming `params.<name>`. */
export function parseParams(strategy: string, params: Record<string, unknown> = {}): Record<string, unknown> {
  return parseParamsOf(getStrategy(strategy), params)
}

export function parseParamsOf(
  def: StrategyDefinition,
  params: Record<string, unknown> = {},
): Record<string, unknown> {
  const r = def.params.safeParse(params)
  if (!r.success) {
    const issue = r.error.issues[0]!
    const path = ['params', ...issue.path].join('.')
    throw new AppError('validation', `${path}: ${issue.message}`, path)
  }
  return r.data as Record<string, unknown>
}

export function runSpec(spec: RunSpec, data: readonly SymbolSeries[], hooks?: RunHooks): RunOutput {
  return runDefinition(getStrategy(spec.strategy), spec, data, hooks)
}

/**
 * A run of a given definition (a built-in, or one loaded from a user's file, whose `source` is
 * the file's text: the hash then covers the whole file, not only the factory).
 */
export function runDefinition(
  def: StrategyDefinition,
  spec: RunSpec,
  data: readonly SymbolSeries[],
  hooks?: RunHooks,
  source?: string,
): RunOutput {
  const params = parseParamsOf(def, spec.params)
  const settings = parseSettings(spec.settings)
  if (settings.sizing.mode === 'risk' && !def.create(params).exits.stopLoss)
    throw new AppError(
      'validation',
      'settings.sizing: risk sizing needs the strategy’s stopLoss',
      'settings.sizing',
    )
  const instance = def.create(params)
  const result = runBacktest(instance, data, settings, hooks)
  const first = data[0]!
  const warmup = result.ranges[first.symbol]!.warmup
  const metrics = backtestMetrics(result, { settings, benchmark: first.series, warmup })
  return {
    strategy: def.id,
    params,
    settings,
    result,
    metrics,
    strategyHash: strategySourceHash(def, source),
    dataFingerprint: dataFingerprint(data),
  }
}
