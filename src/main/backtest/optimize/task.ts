import { defineTask, type TaskOutput } from '../../compute/task'
import type { SymbolSeries } from '../engine'
import { runSpec } from '../run'
import type { BacktestSettingsInput } from '../settings'

export interface OptimizeBatchInput {
  strategy: string
  /** Parameters every set shares (the form's values); each set overrides some of them. */
  base: Record<string, unknown>
  sets: Record<string, number>[]
  settings: BacktestSettingsInput
  data: SymbolSeries[]
}

/** A parameter set's figures: every numeric statistic (NaN where it has none). */
export interface OptimizeRow {
  params: Record<string, number>
  metrics: Record<string, number>
}

/** A batch of parameter sets over the same bars in one worker, progress in sets done. */
export const optimizeBatchTask = defineTask(
  'backtest.optimizeBatch',
  (input: OptimizeBatchInput, ctx): TaskOutput<OptimizeRow[]> => {
    const rows: OptimizeRow[] = []
    ctx.progress(0, input.sets.length)
    for (const params of input.sets) {
      const out = runSpec(
        { strategy: input.strategy, params: { ...input.base, ...params }, settings: input.settings },
        input.data,
      )
      const metrics: Record<string, number> = {}
      for (const [k, v] of Object.entries(out.metrics)) if (typeof v === 'number') metrics[k] = v
      rows.push({ params, metrics })
      ctx.progress(rows.length, input.sets.length)
    }
    return { value: rows, transfer: [] }
  },
)
