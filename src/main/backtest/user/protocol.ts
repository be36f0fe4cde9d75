/** What the strategy worker and its runner share: the mark, the watch slots, the replies. */
import type { StrategyInfo } from '../../../shared/contract/backtest'
import type { RunOutput } from '../run'

export const STRATEGY_WORKER_MARK = 'candlework-strategy-worker'

/** Slots of the Int32Array the worker writes before and after each decision. */
export const WATCH = {
  phase: 0,
  bar: 1,
  seq: 2,
  size: 3,
  // phase values
  loading: 0,
  between: 1,
  deciding: 2,
  finished: 3,
} as const

export interface DescribedStrategy {
  id: string
  title: string
  description: string
  defaults: Record<string, unknown>
  ranges: Record<string, { min: number; max: number; step: number }>
  /** The parameter form (the domain's strategies list). */
  info: StrategyInfo
}

export type StrategyWorkerReply =
  | { type: 'done'; out: RunOutput }
  | { type: 'described'; def: DescribedStrategy }
  | { type: 'failed'; message: string }
  | { type: 'progress'; done: number; total: number }
