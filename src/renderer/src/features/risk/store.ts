import { create } from 'zustand'
import type { AuditEntry, KillSwitchReport, RiskOverview } from '../../../../shared/contract/risk'

interface RiskState {
  /** The engine's risk overview as `risk.updates` last carried it (null before the first). */
  overview: RiskOverview | null
  /** The kill switch's last report (its cancels retried meanwhile). */
  kill: KillSwitchReport | null
  /** The kill switch's confirmation is open (header button or shortcut). */
  confirming: boolean
  pressing: boolean
  /** The Risk view's audit log page. */
  audit: AuditEntry[] | null
}

export const useRiskStore = create<RiskState>()(() => ({
  overview: null,
  kill: null,
  confirming: false,
  pressing: false,
  audit: null,
}))
