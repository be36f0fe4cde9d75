import type { Position } from '../../../../shared/domain/trading'
import { client } from '../../connection'
import { notify } from '../notices/store'
import { formatQty } from '../desk/format'
import { useTradingStore, type CloseDialog } from '../desk/store'

/**
 * The Close… dialog's actions: ask the engine for the plan (a dry run of trading.closePosition),
 * then close on one confirm, canceling the resting orders that hold the position in the same
 * action. The position, its orders and balances refresh from `trading.updates`.
 */

const get = useTradingStore.getState
const set = useTradingStore.setState

function update(patch: Partial<CloseDialog>): void {
  set((s) => (s.closing ? { closing: { ...s.closing, ...patch } } : {}))
}

/** Opens the dialog for a position and asks the engine what closing it takes. */
export async function openClose(p: Pick<Position, 'accountId' | 'symbol'>): Promise<void> {
  const accountId = p.accountId
  set({
    closing: { accountId, symbol: p.symbol, state: 'checking', plan: null, cancelResting: true, error: null },
  })
  const res = await client().invoke('trading.closePosition', {
    accountId,
    symbol: p.symbol,
    cancelResting: true,
    dryRun: true,
  })
  const now = get().closing
  if (now?.accountId !== accountId || now.symbol !== p.symbol || now.state !== 'checking') return
  if (!res.ok) return update({ state: 'failed', error: res.error.message })
  // Orders that would trade against a position that is gone are canceled unless the trader says not to.
  update({ state: 'ready', plan: res.value, cancelResting: res.value.resting.length > 0 })
}

/** Whether to cancel the resting orders too (fixed on when the close needs them canceled). */
export function setCloseCancel(on: boolean): void {
  const c = get().closing
  if (!c?.plan || c.plan.needsCancel) return
  update({ cancelResting: on })
}

export function cancelClose(): void {
  if (get().closing?.state === 'closing') return
  set({ closing: null })
}

/** Closes the position (the dialog was the confirmation, for a live account too). */
export async function confirmClose(): Promise<void> {
  const c = get().closing
  if (c?.state !== 'ready' || !c.plan || c.plan.problem !== null) return
  const live = get().accounts.find((a) => a.id === c.accountId)?.mode === 'live'
  update({ state: 'closing', error: null })
  const res = await client().invoke('trading.closePosition', {
    accountId: c.accountId,
    symbol: c.symbol,
    cancelResting: c.cancelResting,
    dryRun: false,
    ...(live ? { confirm: true } : {}),
  })
  if (!res.ok) {
    // Kept open with the engine's reason (which order could not be canceled, what was left as it was).
    update({ state: 'failed', error: res.error.message })
    return
  }
  set({ closing: null })
  const { order, canceled, side, symbol } = res.value
  const base = symbol.split('/')[0] ?? symbol
  const sold = `${side === 'sell' ? 'Sold' : 'Bought'} ${formatQty(order?.filled ?? res.value.amount)} ${base}`
  notify(
    'info',
    `${symbol} position closed`,
    canceled.length === 0
      ? `${sold} at market.`
      : `${sold} at market, after canceling ${canceled.length === 1 ? 'the resting order' : `${canceled.length} resting orders`} that held it.`,
  )
}
