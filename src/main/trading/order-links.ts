import type { Statement } from 'better-sqlite3'
import type { DecimalString } from './decimal'
import type { Db } from '../storage/database'
import { perConnection } from '../storage/statements'
import type { OrderRow } from './store'

/**
 * SQL for orders linked to others (bracket legs, OCO legs) and for the orders the engine holds
 * (emulated). Each lookup has its own partial index (migration 9), holding only such rows.
 */

class LinkStatements {
  readonly waiting: Statement<[string], OrderRow>
  readonly legsOf: Statement<[string, string], OrderRow>
  readonly group: Statement<[string, string], OrderRow>
  readonly held: Statement<[string], OrderRow>
  readonly heldAccounts: Statement<[], { account_id: string }>
  readonly waitingAccounts: Statement<[], { account_id: string }>
  readonly claim: Statement<[string, number, string, string, string]>
  readonly setAmount: Statement<[DecimalString, number, string, string]>

  constructor(db: Db) {
    this.waiting = db.prepare(
      `SELECT * FROM trading_orders INDEXED BY trading_orders_waiting
       WHERE account_id = ? AND status = 'waiting' ORDER BY parent_client_order_id, client_order_id`,
    )
    this.legsOf = db.prepare(
      `SELECT * FROM trading_orders INDEXED BY trading_orders_waiting
       WHERE account_id = ? AND status = 'waiting' AND parent_client_order_id = ? ORDER BY client_order_id`,
    )
    this.group = db.prepare(
      `SELECT * FROM trading_orders WHERE account_id = ? AND oco_group = ? ORDER BY client_order_id`,
    )
    this.held = db.prepare(
      `SELECT * FROM trading_orders INDEXED BY trading_orders_held
       WHERE account_id = ? AND emulated = 1 AND exchange_order_id IS NULL AND status = 'open'
       ORDER BY symbol, created_at, client_order_id`,
    )
    this.heldAccounts = db.prepare(
      `SELECT DISTINCT account_id FROM trading_orders
       WHERE emulated = 1 AND exchange_order_id IS NULL AND status = 'open'`,
    )
    this.waitingAccounts = db.prepare(
      `SELECT DISTINCT account_id FROM trading_orders INDEXED BY trading_orders_waiting WHERE status = 'waiting'`,
    )
    // Moves an order from one state to another only if it is still in the first: the claim that
    // keeps two callers from placing or firing the same order twice.
    this.claim = db.prepare(
      `UPDATE trading_orders SET status = ?, updated_at = ? WHERE account_id = ? AND client_order_id = ? AND status = ?`,
    )
    this.setAmount = db.prepare(
      `UPDATE trading_orders SET amount = ?, updated_at = ? WHERE account_id = ? AND client_order_id = ?`,
    )
  }
}

const st = perConnection((db) => new LinkStatements(db))

/** Every bracket leg of an account waiting for its entry. */
export function waitingLegs(db: Db, accountId: string): OrderRow[] {
  return st(db).waiting.all(accountId)
}

/** The waiting legs of one entry. */
export function waitingLegsOf(db: Db, accountId: string, parent: string): OrderRow[] {
  return st(db).legsOf.all(accountId, parent)
}

/** Every leg of one OCO, whatever its state. */
export function ocoLegs(db: Db, accountId: string, group: string): OrderRow[] {
  return st(db).group.all(accountId, group)
}

/** The orders of an account the engine holds (emulated, not yet fired). */
export function heldOrders(db: Db, accountId: string): OrderRow[] {
  return st(db).held.all(accountId)
}

/** Accounts with orders the engine holds. */
export function accountsHolding(db: Db): string[] {
  return st(db)
    .heldAccounts.all()
    .map((r) => r.account_id)
}

/** Accounts with bracket legs waiting for their entry. */
export function accountsWaiting(db: Db): string[] {
  return st(db)
    .waitingAccounts.all()
    .map((r) => r.account_id)
}

/** Moves an order from `from` to `to` if it is still `from`; true when this call moved it. */
export function claimOrder(
  db: Db,
  accountId: string,
  clientOrderId: string,
  from: OrderRow['status'],
  to: OrderRow['status'],
  now: number,
): boolean {
  return st(db).claim.run(to, now, accountId, clientOrderId, from).changes === 1
}

/** A waiting leg's amount, following its entry's fills. */
export function setLegAmount(
  db: Db,
  accountId: string,
  clientOrderId: string,
  amount: DecimalString,
  now: number,
): void {
  st(db).setAmount.run(amount, now, accountId, clientOrderId)
}

/** Whether an order is held by the engine (emulated and not yet fired). */
export function isHeld(r: Pick<OrderRow, 'emulated' | 'exchange_order_id' | 'status'>): boolean {
  return r.emulated === 1 && r.exchange_order_id === null && r.status === 'open'
}
