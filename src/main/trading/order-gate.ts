import type { Decimal } from './decimal'

/** An order as the risk engine sees it: checked and rounded, before anything is written or sent. */
export interface GatedOrder {
  accountId: string
  symbol: string
  side: 'buy' | 'sell'
  type: string
  amount: Decimal
  /** Amount x the price it is expected at (validation.ts `notional`), in the market's quote. */
  notional: Decimal
  referencePrice: Decimal
  reduceOnly: boolean
}

/**
 * The risk engine in front of the order path (src/main/risk satisfies it; the engine wires it
 * with `TradingService.setOrderGate`). Both calls are synchronous and read only state the gate
 * keeps in memory, so they add microseconds; they throw `AppError('risk_rejected')` to refuse.
 * Cancels never pass through it: a cancel is always allowed.
 */
export interface OrderGate {
  /** A new order (ticket, API, batch, OCO, close, strategy) after validation. */
  checkOrder(order: GatedOrder): void
  /** What `checkOrder` would answer now, with nothing counted or recorded (the ticket's check). */
  previewOrder(order: GatedOrder): void
  /** A change to a resting order (its price, stop or amount). */
  checkModify(accountId: string, clientOrderId: string): void
}

type Checked = Omit<GatedOrder, 'accountId'>

/** Asks the gate, if one is set, what it would answer, counting nothing. */
export function previewGate(gate: OrderGate | null, accountId: string, n: Checked): void {
  gate?.previewOrder(gated(accountId, n))
}

function gated(accountId: string, n: Checked): GatedOrder {
  return {
    accountId,
    symbol: n.symbol,
    side: n.side,
    type: n.type,
    amount: n.amount,
    notional: n.notional,
    referencePrice: n.referencePrice,
    reduceOnly: n.reduceOnly,
  }
}

/** Hands a checked order to the gate, if one is set. */
export function passGate(gate: OrderGate | null, accountId: string, n: Checked): void {
  gate?.checkOrder(gated(accountId, n))
}
