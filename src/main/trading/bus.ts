import type { Fill, Order, ReconciliationEvent } from '../../shared/domain/trading'

/** What the order path reports as it changes state; the service turns it into stream events. */
export type TradingChange =
  | { type: 'order'; order: Order }
  | { type: 'fill'; fill: Fill }
  | { type: 'reconciliation'; event: ReconciliationEvent }
  /** Balances may have changed (an order rested, filled or was canceled). */
  | { type: 'balance'; accountId: string }
  /** The account and its history were deleted. */
  | { type: 'accountRemoved'; accountId: string }

export type ChangeListener = (change: TradingChange) => void

/** A tiny synchronous fan-out. Listeners that throw are isolated from each other and from the sender. */
export class ChangeBus {
  private readonly listeners = new Set<ChangeListener>()

  get size(): number {
    return this.listeners.size
  }

  on(listener: ChangeListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(change: TradingChange): void {
    for (const l of this.listeners) {
      try {
        l(change)
      } catch {
        // A broken subscriber must not break the order path.
      }
    }
  }
}
