import { create } from 'zustand'
import type { AppErrorShape } from '../../../../shared/contract'
import type { HealthSummary } from '../../../../shared/contract/health'

interface HealthState {
  /** The last summary the engine gave; kept while a refresh fails, so the figures stay readable. */
  summary: HealthSummary | null
  /** When that summary arrived (this machine's clock). */
  updatedAt: number | null
  /** Why the last refresh failed; null once one succeeds. */
  error: AppErrorShape | null
}

export const useHealthStore = create<HealthState>()(() => ({ summary: null, updatedAt: null, error: null }))
