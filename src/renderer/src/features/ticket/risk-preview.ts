import { create } from 'zustand'
import type { OrderRiskPreview } from '../../../../shared/contract/risk-preview'
import type { OrderRequest } from '../../../../shared/domain/trading'
import type { Scope } from '../../sync/scope'

/**
 * The ticket's risk preview (risk.previewOrder): asked beside the engine's check of the order,
 * in the same debounced turn (actions.ts), so typing never waits for it and a late answer for an
 * order since changed is dropped with its scope. `sig` is the request it answers.
 */
interface RiskPreviewState {
  sig: string
  result: OrderRiskPreview | null
}

export const useRiskPreview = create<RiskPreviewState>()(() => ({ sig: '', result: null }))

export async function previewRisk(scope: Scope, req: OrderRequest, sig: string): Promise<void> {
  const res = await scope.invoke('risk.previewOrder', req)
  if (!res) return
  // An order the market or the balance refuses has no risk to preview: the ticket says why.
  useRiskPreview.setState({ sig, result: res.ok ? res.value : null })
}

export function clearRiskPreview(): void {
  if (useRiskPreview.getState().result !== null) useRiskPreview.setState({ sig: '', result: null })
}
