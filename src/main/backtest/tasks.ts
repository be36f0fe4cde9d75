import { defineTask, type TaskOutput } from '../compute/task'
import { optimizeBatchTask } from './optimize/task'
import type { SymbolSeries } from './engine'
import type { TradeRecord } from './result'
import { runSpec, type RunOutput, type RunSpec } from './run'

export interface BacktestTaskInput {
  spec: RunSpec
  data: SymbolSeries[]
}

/** A finished run, as it crosses back from the worker (buffers transferred, not copied). */
export interface BacktestTaskOutput {
  params: Record<string, unknown>
  settings: Record<string, unknown>
  strategyHash: string
  dataFingerprint: string
  trades: TradeRecord[]
  equityTime: Float64Array
  equityValue: Float64Array
  drawdown: Float64Array
  metrics: Record<string, unknown>
  ambiguousBars: number
  intrabarBars: number
  rejectedOrders: number
  workingAtEnd: number
  feesPaid: number
  flags: string[]
}

/** One backtest in a worker thread, reporting bars done as progress. */
export const backtestTask = defineTask(
  'backtest.run',
  (input: BacktestTaskInput, ctx): TaskOutput<BacktestTaskOutput> => {
    const out = runSpec(input.spec, input.data, { onProgress: (done, total) => ctx.progress(done, total) })
    return taskOutputOf(out)
  },
)

/** A run's output as the domain stores it, with the buffers it may transfer. */
export function taskOutputOf(out: RunOutput): TaskOutput<BacktestTaskOutput> {
  const r = out.result
  // The engine copies the timeline, so these buffers are the result's own to transfer.
  const equityTime = r.equity.time
  const value: BacktestTaskOutput = {
    params: out.params,
    settings: out.settings as unknown as Record<string, unknown>,
    strategyHash: out.strategyHash,
    dataFingerprint: out.dataFingerprint,
    trades: r.trades,
    equityTime,
    equityValue: r.equity.value,
    drawdown: r.drawdown,
    metrics: out.metrics as unknown as Record<string, unknown>,
    ambiguousBars: r.ambiguousBars,
    intrabarBars: r.intrabarBars,
    rejectedOrders: r.rejectedOrders,
    workingAtEnd: r.workingAtEnd,
    feesPaid: r.feesPaid,
    flags: r.flags,
  }
  return { value, transfer: [equityTime.buffer, r.equity.value.buffer, r.drawdown.buffer] as ArrayBuffer[] }
}

/** Backtest's compute task kinds (listed in src/main/tasks.ts). */
export const BACKTEST_TASKS = [backtestTask, optimizeBatchTask]
