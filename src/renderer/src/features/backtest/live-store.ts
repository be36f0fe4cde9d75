import { create } from 'zustand'
import type { DriftReport, StrategyRun } from '../../../../shared/contract/runner'

/** Strategies running on accounts (runner.list) and the "Run on paper" panel's state. */
interface LiveState {
  runs: StrategyRun[]
  /** The "Run on paper" panel is open. */
  starting: boolean
  allocation: string
  error: { field: string; message: string } | null
  /** The run whose Stop asks whether to close its position. */
  stopping: string | null
  /** The drift report shown under its run. */
  drift: DriftReport | null
}

export const useLiveStore = create<LiveState>()(() => ({
  runs: [],
  starting: false,
  allocation: '1000',
  error: null,
  stopping: null,
  drift: null,
}))
