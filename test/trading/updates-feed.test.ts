import { describe, expect, it, vi } from 'vitest'
import type { TradingUpdate } from '../../src/shared/domain/trading'
import { DEFAULT_ACCOUNT_ID } from '../../src/main/trading/service'
import { useTempDirs } from '../support/temp-dir'
import { ManualClock, openTradingDb, Prices, service } from './support'

const tempDir = useTempDirs()
const A = DEFAULT_ACCOUNT_ID

function setup() {
  const db = openTradingDb(tempDir())
  const prices = new Prices().set('BTC/USDT', { bid: 99, ask: 100, last: 99.5 })
  const svc = service(db, new ManualClock(), prices, {
    paperSettings: {
      takerFeeBps: 10,
      makerFeeBps: 5,
      slippageBps: 10,
      startingAmount: '10000',
      startingAsset: 'USDT',
    },
  })
  return { svc }
}

const settle = () => new Promise((r) => setTimeout(r, 150))

describe('trading.updates', () => {
  it('carries the changed rows, and computes positions and balances once per change for every subscriber', async () => {
    const { svc } = setup()
    const balances = vi.spyOn(svc, 'balances')
    const seen: TradingUpdate[][] = [[], [], []]
    const offs = seen.map((list) => svc.subscribe(A, (u) => list.push(u)))
    // A subscriber of every account gets the same rows too.
    const all: TradingUpdate[] = []
    offs.push(svc.subscribe(undefined, (u) => all.push(u)))
    const order = await svc.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '1',
    })
    await settle()
    for (const off of offs) off()

    for (const list of [...seen, all]) {
      expect(list.map((u) => u.type)).toEqual(['fill', 'order', 'positions', 'balance'])
    }
    const [first] = seen
    // The rows themselves: the order as trading.orders lists it, the new fill, the position, the balances.
    const orderEvent = first!.find((u) => u.type === 'order')
    expect(orderEvent?.type === 'order' && orderEvent.order).toEqual(svc.orders(A, { limit: 1 })[0])
    expect(orderEvent?.type === 'order' && orderEvent.order.clientOrderId).toBe(order.clientOrderId)
    const fillEvent = first!.find((u) => u.type === 'fill')
    expect(fillEvent?.type === 'fill' && fillEvent.fill).toEqual(svc.fills(A, { limit: 1 })[0])
    const positions = first!.find((u) => u.type === 'positions')
    expect(positions?.type === 'positions' && positions.positions.map((p) => [p.symbol, p.amount])).toEqual([
      ['BTC/USDT', '0.999'],
    ])
    const balance = first!.find((u) => u.type === 'balance')
    expect(balance?.type === 'balance' && { stale: balance.stale, balances: balance.balances }).toEqual({
      stale: false,
      balances: (await svc.balances(A)).balances,
    })

    // Computed once: every subscriber got the very same objects, and the balances were read once.
    for (const list of [...seen.slice(1), all]) {
      expect(list.find((u) => u.type === 'positions')).toBe(positions)
      expect(list.find((u) => u.type === 'balance')).toBe(balance)
    }
    expect(balances).toHaveBeenCalledTimes(2) // once by the feed, once by this test above
    svc.close()
  })

  it('stops listening to the order path when the last subscriber leaves', async () => {
    const { svc } = setup()
    const before = svc.bus.size
    const a = svc.subscribe(A, () => {})
    const b = svc.subscribe(A, () => {})
    expect(svc.bus.size).toBe(before + 1)
    a()
    expect(svc.bus.size).toBe(before + 1)
    b()
    expect(svc.bus.size).toBe(before)
    svc.close()
  })
})
