import { create } from 'zustand'
import type {
  BacktestProgress,
  BacktestRun,
  BacktestSummary,
  StrategyInfo,
} from '../../../../shared/contract/backtest'
import type { SymbolInfo } from '../../../../shared/contract/market'
import { emptyForm, type BacktestForm } from './form'

/** The run being watched: its progress and when it started (this machine's clock, for the ETA). */
export interface Running {
  id: string
  progress: BacktestProgress
  startedAt: number
  /** When the last progress event came (for the ETA). */
  updatedAt: number
}

interface BacktestState {
  strategies: StrategyInfo[]
  symbols: SymbolInfo[]
  runs: BacktestSummary[]
  form: BacktestForm
  /** Which field the last Run refused, and why. */
  formError: { field: string; message: string } | null
  running: Running | null
  /** The run shown in the results (the one just finished or one reopened from the list). */
  shown: BacktestRun | null
  /** The trade whose price chart is open (an index into shown.trades). */
  trade: number | null
  /** Two runs side by side, when the trader compares. */
  compare: [BacktestRun, BacktestRun] | null
  /** Run ids ticked in the list for comparing. */
  picked: string[]
}

export const useBacktestStore = create<BacktestState>()(() => ({
  strategies: [],
  symbols: [],
  runs: [],
  form: emptyForm(),
  formError: null,
  running: null,
  shown: null,
  trade: null,
  compare: null,
  picked: [],
}))
