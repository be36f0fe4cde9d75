import { describe, expect, it } from 'vitest'
import type { Fill, Order, Position } from '../../../../shared/domain/trading'
import { applyUpdate, listOf } from './blotter-updates'
import type { BlotterRows } from '../desk/store'

const order = (id: string, createdAt: number, status: Order['status'] = 'open'): Order =>
  ({
    accountId: 'a',
    clientOrderId: id,
    createdAt,
    updatedAt: createdAt,
    status,
    symbol: 'BTC/USDT',
  }) as Order
const fill = (tradeId: string, time: number): Fill =>
  ({ accountId: 'a', tradeId, symbol: 'BTC/USDT', time, amount: '1', price: '100' }) as Fill
const position = (symbol: string, amount: string): Position =>
  ({ accountId: 'a', symbol, amount }) as Position

const empty = (): BlotterRows => ({
  orders: [],
  fills: [],
  positions: [],
  balances: null,
  events: [],
  cancelling: [],
})
const apply = (rows: BlotterRows, ...us: Parameters<typeof applyUpdate>[1][]): BlotterRows =>
  us.reduce((r, u) => ({ ...r, ...applyUpdate(r, u) }), rows)

describe('applying trading.updates to the blotter', () => {
  it('puts a new order in its place, newest first, and replaces a changed one where it is', () => {
    let rows = apply(empty(), { type: 'order', accountId: 'a', order: order('b', 2) })
    rows = apply(rows, { type: 'order', accountId: 'a', order: order('a', 1) })
    rows = apply(rows, { type: 'order', accountId: 'a', order: order('c', 3) })
    expect(rows.orders.map((o) => o.clientOrderId)).toEqual(['c', 'b', 'a'])
    rows = { ...rows, cancelling: ['b'] }
    rows = apply(rows, { type: 'order', accountId: 'a', order: order('b', 2, 'canceled') })
    expect(rows.orders.map((o) => [o.clientOrderId, o.status])).toEqual([
      ['c', 'open'],
      ['b', 'canceled'],
      ['a', 'open'],
    ])
    // Canceled: no longer "cancelling".
    expect(rows.cancelling).toEqual([])
  })

  it('adds a new fill once, newest first, and keeps at most the loaded number', () => {
    const rows = apply(
      empty(),
      { type: 'fill', accountId: 'a', fill: fill('1', 10) },
      { type: 'fill', accountId: 'a', fill: fill('2', 20) },
      { type: 'fill', accountId: 'a', fill: fill('1', 10) },
    )
    expect(rows.fills.map((f) => f.tradeId)).toEqual(['2', '1'])
    const many = Array.from({ length: 250 }, (_, i) => ({
      type: 'fill' as const,
      accountId: 'a',
      fill: fill(`${i}`, i),
    }))
    expect(apply(empty(), ...many).fills).toHaveLength(200)
  })

  it('replaces the positions an event carries by symbol and takes the balances as they are', () => {
    let rows = { ...empty(), positions: [position('BTC/USDT', '1'), position('ETH/USDT', '2')] }
    rows = apply(rows, {
      type: 'positions',
      accountId: 'a',
      positions: [position('ETH/USDT', '0'), position('SOL/USDT', '5')],
    })
    expect(rows.positions.map((p) => [p.symbol, p.amount])).toEqual([
      ['BTC/USDT', '1'],
      ['ETH/USDT', '0'],
      ['SOL/USDT', '5'],
    ])
    const balances = [{ asset: 'USDT', free: '1', used: '0', total: '1', decimals: 2 }]
    rows = apply(rows, { type: 'balance', accountId: 'a', asOf: 5, stale: false, balances })
    expect(rows.balances).toEqual({ asOf: 5, stale: false, balances })
  })

  it('is the same applied twice (an event that came while its list loaded is applied again on the answer)', () => {
    const u = { type: 'order' as const, accountId: 'a', order: order('x', 1) }
    const once = apply(empty(), u)
    expect(apply(once, u)).toEqual(once)
    expect(listOf(u)).toBe('orders')
    expect(listOf({ type: 'accountRemoved', accountId: 'a' })).toBeNull()
  })
})
