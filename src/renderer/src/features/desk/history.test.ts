import { describe, expect, it } from 'vitest'
import type { Order } from '../../../../shared/domain/trading'
import { selectHistory, useTradingStore, type TradingStateShape } from './store'

const order = (id: string, status: Order['status'], createdAt: number, updatedAt: number): Order => ({
  accountId: 'demo-paper',
  clientOrderId: id,
  exchangeOrderId: id,
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'limit',
  amount: '0.01',
  price: '50000',
  stopPrice: null,
  status,
  trailingPercent: null,
  trailingAmount: null,
  activationPrice: null,
  waterMark: null,
  postOnly: false,
  reduceOnly: false,
  emulated: false,
  ocoGroup: null,
  parentClientOrderId: null,
  filled: status === 'filled' ? '0.01' : '0',
  average: status === 'filled' ? '50000' : null,
  fees: [],
  origin: 'local',
  error: null,
  createdAt,
  sentAt: createdAt,
  updatedAt,
})

describe('the order history', () => {
  it('is in the order the orders finished, the time it shows, newest first', () => {
    // As `trading.orders` lists them: working orders first, then the rest newest placed first.
    const orders = [
      order('open', 'open', 9_000, 9_000),
      order('market-2', 'filled', 8_000, 8_000),
      order('cancelled', 'canceled', 7_000, 7_500),
      // A limit placed first that rested until it filled last.
      order('resting', 'filled', 1_000, 9_500),
      order('market-1', 'filled', 2_000, 2_000),
    ]
    const state = { ...useTradingStore.getState(), orders } as TradingStateShape
    const history = selectHistory(state)
    expect(history.map((o) => o.clientOrderId)).toEqual(['resting', 'market-2', 'cancelled', 'market-1'])
    const times = history.map((o) => o.updatedAt)
    expect(times).toEqual([...times].sort((a, b) => b - a))
  })
})
