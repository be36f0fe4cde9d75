import { create } from 'zustand'
import type { DriftReport, StrategyRun } from '../../../../shared/contract/runner'
import type { Account } from '../../../../shared/domain/trading'

/** Strategies running on accounts (runner.list) and the "Run on an account" panel's state. */
interface LiveState {
  runs: StrategyRun[]
  /** The "Run on an account" panel is open. */
  starting: boolean
  allocation: string
  /** The accounts a run can start on (read when the panel opens), and the one chosen. */
  accounts: Account[]
  accountId: string
  /** A live account's name as the trader typed it: what arms the run (runner.start liveConfirm). */
  liveConfirm: string
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
  accounts: [],
  accountId: 'demo-paper',
  liveConfirm: '',
  error: null,
  stopping: null,
  drift: null,
}))
