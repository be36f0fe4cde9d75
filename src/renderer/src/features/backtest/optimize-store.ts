import { create } from 'zustand'
import type { OptimizeProgress } from '../../../../shared/contract/backtest'

/** A parameter's search range as typed, and whether it is searched. */
export interface RangeField {
  on: boolean
  from: string
  to: string
  step: string
}

export type OptimizeMethod = 'grid' | 'random' | 'tpe'

interface OptimizeState {
  ranges: Record<string, RangeField>
  /** Every grid point, random points of it, or model-based (TPE) proposals. */
  method: OptimizeMethod
  /** Sets tried by random and TPE, as typed. */
  trials: string
  objective: string
  /** Walk-forward folds as typed ('0' optimises once over the whole range). */
  folds: string
  minTrades: string
  error: string | null
  /** The search being followed or last finished. */
  search: { id: string; progress: OptimizeProgress; startedAt: number; updatedAt: number } | null
  /** The results table's sort: a parameter or statistic, best first or not. */
  sort: { key: string; desc: boolean } | null
  /** Whether the main area shows the optimisation (else the run). */
  showing: boolean
}

export const useOptimizeStore = create<OptimizeState>()(() => ({
  ranges: {},
  method: 'grid',
  trials: '100',
  objective: 'sharpe',
  folds: '4',
  minTrades: '1',
  error: null,
  search: null,
  sort: null,
  showing: false,
}))

export const OBJECTIVES = [
  'sharpe',
  'sortino',
  'totalReturn',
  'cagr',
  'calmar',
  'profitFactor',
  'sqn',
] as const
