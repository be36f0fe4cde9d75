import type { Fill, Order, TradingUpdate } from '../../../../shared/domain/trading'
import { isWorking, type BlotterRows, type ListName } from '../desk/store'

/** As many rows as the blotter loads of each list (`trading.orders`, `.fills`, `.reconciliationEvents`). */
export const ORDERS_LIMIT = 200
export const FILLS_LIMIT = 200
export const EVENTS_LIMIT = 100

/** The list an update changes, if any. */
export function listOf(u: TradingUpdate): ListName | null {
  switch (u.type) {
    case 'order':
      return 'orders'
    case 'fill':
      return 'fills'
    case 'positions':
      return 'positions'
    case 'balance':
      return 'balances'
    case 'reconciliation':
      return 'events'
    case 'accountRemoved':
      return null
  }
}

/** Newest first, as `trading.orders` lists them: by when they were placed, then by id. */
const orderBefore = (a: Order, b: Order): boolean =>
  a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.clientOrderId > b.clientOrderId)

/**
 * The blotter's rows with one `trading.updates` event applied: the event carries the changed
 * rows (an order, a fill, the positions it moved, the balances), so nothing is fetched again.
 * Applying an event twice changes nothing more than applying it once (the rows are replaced by
 * their ids), which is what lets an event that came while a list loaded be applied again on top
 * of the list's answer.
 */
export function applyUpdate(rows: BlotterRows, u: TradingUpdate): Partial<BlotterRows> {
  switch (u.type) {
    case 'order': {
      const o = u.order
      const at = rows.orders.findIndex((x) => x.clientOrderId === o.clientOrderId)
      let orders: Order[]
      if (at >= 0) orders = rows.orders.map((x, i) => (i === at ? o : x))
      else {
        const i = rows.orders.findIndex((x) => orderBefore(o, x))
        orders = i < 0 ? [...rows.orders, o] : [...rows.orders.slice(0, i), o, ...rows.orders.slice(i)]
        orders = orders.slice(0, ORDERS_LIMIT)
      }
      // An order that no longer works cannot still be cancelling.
      const cancelling = isWorking(o)
        ? rows.cancelling
        : rows.cancelling.filter((id) => id !== o.clientOrderId)
      return cancelling === rows.cancelling ? { orders } : { orders, cancelling }
    }
    case 'fill': {
      const f = u.fill
      const same = (x: Fill): boolean => x.symbol === f.symbol && x.tradeId === f.tradeId
      if (rows.fills.some(same)) return { fills: rows.fills.map((x) => (same(x) ? f : x)) }
      const i = rows.fills.findIndex((x) => f.time > x.time)
      const fills = i < 0 ? [...rows.fills, f] : [...rows.fills.slice(0, i), f, ...rows.fills.slice(i)]
      return { fills: fills.slice(0, FILLS_LIMIT) }
    }
    case 'positions': {
      const positions = [...rows.positions]
      for (const p of u.positions) {
        const at = positions.findIndex((x) => x.symbol === p.symbol)
        if (at >= 0) positions[at] = p
        else positions.push(p)
      }
      return { positions }
    }
    case 'balance':
      return { balances: { asOf: u.asOf, stale: u.stale, balances: u.balances } }
    case 'reconciliation': {
      if (rows.events.some((e) => e.id === u.event.id)) return {}
      return { events: [u.event, ...rows.events].slice(0, EVENTS_LIMIT) }
    }
    case 'accountRemoved':
      return {}
  }
}
