import { AppError } from '../../shared/contract/errors'
import type { Order, ReconciliationEvent, ReconciliationKind } from '../../shared/domain/trading'
import type { Clock } from '../clock'
import type { Db } from '../storage/database'
import type { ChangeBus, TradingChange } from './bus'
import type { OrderGate } from './order-gate'
import { getOrderRow, insertEvent, orderFromRow, type OrderRow } from './store'

/**
 * The order path's transactional core: reads orders back from the database and reports
 * changes. Changes made inside `tx` are held back until it commits, so no listener ever sees
 * a state that was rolled back. Every step of the order path (placing, resolving, adopting,
 * canceling) writes through one ledger, which is why they share one transaction depth.
 */
export class OrderLedger {
  readonly db: Db
  readonly clock: Clock
  protected readonly bus: ChangeBus
  /** The risk engine every new order passes after validation (order-gate.ts); none until wired. */
  orderGate: OrderGate | null = null
  private txDepth = 0
  private buffered: TradingChange[] = []

  constructor(db: Db, clock: Clock, bus: ChangeBus) {
    this.db = db
    this.clock = clock
    this.bus = bus
  }

  onChange(listener: (change: TradingChange) => void): () => void {
    return this.bus.on(listener)
  }

  /** Whether anyone listens: building an order only to report it is skipped when nobody does. */
  get hasListeners(): boolean {
    return this.bus.size > 0
  }

  /** Runs `fn` in a transaction; changes it reports reach listeners only after it commits. */
  tx<T>(fn: () => T): T {
    if (this.txDepth > 0) return fn()
    this.txDepth++
    let result: T
    try {
      result = this.db.transaction(fn)()
    } catch (err) {
      this.buffered = []
      throw err
    } finally {
      this.txDepth--
    }
    const changes = this.buffered
    this.buffered = []
    for (const c of changes) this.bus.emit(c)
    return result
  }

  emit(change: TradingChange): void {
    if (this.bus.size === 0) return
    if (this.txDepth > 0) this.buffered.push(change)
    else this.bus.emit(change)
  }

  /** Records a reconciliation event and reports it. */
  event(
    accountId: string,
    kind: ReconciliationKind,
    e: {
      symbol: string | null
      clientOrderId: string | null
      exchangeOrderId: string | null
      detail: string
    },
  ): ReconciliationEvent {
    const event = insertEvent(this.db, { accountId, time: this.clock.now(), kind, ...e })
    this.emit({ type: 'reconciliation', event })
    return event
  }

  row(accountId: string, clientOrderId: string): OrderRow {
    const r = getOrderRow(this.db, accountId, clientOrderId)
    if (!r)
      throw new AppError(
        'not_found',
        `No order ${clientOrderId} in account ${accountId}`,
        'params.clientOrderId',
      )
    return r
  }

  order(accountId: string, clientOrderId: string): Order {
    return orderFromRow(this.db, this.row(accountId, clientOrderId))
  }

  /** Reads an order back after a change to it and reports it. */
  emitOrderRow(accountId: string, clientOrderId: string): Order {
    const order = this.order(accountId, clientOrderId)
    this.emit({ type: 'order', order })
    return order
  }
}
