import type { AuditEntry, RiskLimits, TradingState } from '../../../../shared/contract/risk'
import { client } from '../../connection'
import { notify, reportError } from '../notices/store'
import { useRiskStore } from './store'
import { saveBlob } from '../../lib/save-file'

const set = useRiskStore.setState

export function askKillSwitch(): void {
  set({ confirming: true })
}

export function cancelKillSwitch(): void {
  set({ confirming: false })
}

/** Presses the kill switch (the trader confirmed once); its report comes back and on `risk.updates`. */
export async function pressKillSwitch(closePositions: boolean): Promise<void> {
  set({ pressing: true })
  const res = await client().invoke('risk.killSwitch', { confirm: true, closePositions })
  set({ pressing: false, confirming: false })
  if (!res.ok) {
    reportError('Kill switch failed', res.error)
    return
  }
  set({ kill: res.value })
  notify(
    res.value.outstanding.length > 0 ? 'warning' : 'info',
    'Kill switch pressed',
    res.value.summary,
    undefined,
    { key: 'kill-switch' },
  )
}

export async function setTradingState(scope: string, state: TradingState, reason?: string): Promise<void> {
  const res = await client().invoke('risk.setState', { scope, state, ...(reason ? { reason } : {}) })
  if (res.ok) set({ overview: res.value })
  else reportError('Could not set the trading state', res.error)
}

/** Saves limits; answers the engine's error (with the field in `path`) or null. */
export async function saveLimits(scope: string, limits: RiskLimits): Promise<string | null> {
  const res = await client().invoke('risk.setLimits', { scope, limits })
  if (res.ok) {
    set({ overview: res.value })
    return null
  }
  return res.error.message
}

export async function loadAudit(): Promise<void> {
  const res = await client().invoke('risk.audit', { limit: 500 })
  if (res.ok) set({ audit: res.value })
  else reportError('Could not load the risk audit log', res.error)
}

/** The audit rows shown, as a CSV file the browser saves (cells guarded as the engine's exports are). */
export function downloadAudit(rows: readonly AuditEntry[]): void {
  const cell = (s: string | null) => {
    let t = s ?? ''
    if (/^[=+\-@\t\r]/.test(t)) t = `'${t}`
    return /[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t
  }
  const head = 'id,time,account,action,decision,rule,limit,value,message,request'
  const lines = rows.map((e) =>
    [
      String(e.id),
      new Date(e.at).toISOString(),
      cell(e.accountId),
      e.action,
      e.decision,
      cell(e.rule),
      cell(e.limit),
      cell(e.value),
      cell(e.message),
      cell(e.request),
    ].join(','),
  )
  const blob = new Blob([[head, ...lines].join('\r\n') + '\r\n'], { type: 'text/csv' })
  saveBlob(blob, `candlework-risk-audit-${new Date().toISOString().slice(0, 10)}.csv`)
}
