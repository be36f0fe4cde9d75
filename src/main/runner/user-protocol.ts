/** What a run's user-strategy thread (user-worker.ts) and the runner (user-decider.ts) exchange. */
import type { OrderIntent } from '../backtest/strategy'
import type { CandleSeries } from '../indicators'
import type { RunAccount } from './decide'

export const USER_DECIDER_MARK = 'candlework-run-decider'

export type DeciderRequest =
  | { type: 'open'; file: string; params: Record<string, unknown> }
  | { type: 'decide'; symbol: string; series: CandleSeries; account: RunAccount }

export type DeciderReply =
  | { type: 'ready'; params: Record<string, unknown>; hasExits: boolean }
  | { type: 'decided'; orders: OrderIntent[] }
  /** The file's error with its file and line (a syntax error, a throw in loading or in decide). */
  | { type: 'failed'; message: string }
