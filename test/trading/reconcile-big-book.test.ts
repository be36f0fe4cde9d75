import { describe, expect, it } from 'vitest'
import type { OrderRequest } from '../../src/shared/domain/trading'
import { useTempDirs } from '../support/temp-dir'
import { ManualClock, openTradingDb, Prices, service, ZERO_FEES } from './support'

/*
 * Issue 12, finding 8: start-up reconciliation of a big paper book held the host's event loop
 * for its whole length (and the host answered nothing, /healthz included). It now works through
 * the book a page at a time with a turn of the event loop between two, and writes nothing for
 * an order that agrees.
 */

const tempDir = useTempDirs()
const P = 'demo-paper'

async function bigBook(open: number) {
  const clock = new ManualClock()
  const prices = new Prices()
    .set('BTC/USDT', { bid: 99, ask: 100, last: 99.5 })
    .set('ETH/USDT', { bid: 9, ask: 10, last: 9.5 })
  const db = openTradingDb(tempDir())
  const svc = service(db, clock, prices, { paperSettings: ZERO_FEES })
  svc.resetPaper(P, { startingBalance: '10000000', asset: 'USDT' })
  const reqs: Omit<OrderRequest, 'accountId'>[] = []
  for (let i = 0; i < open; i++) {
    const symbol = i % 2 === 0 ? 'BTC/USDT' : 'ETH/USDT'
    reqs.push({ symbol, side: 'buy', type: 'limit', amount: '1', price: symbol === 'BTC/USDT' ? '50' : '5' })
  }
  for (const r of svc.placeOrders(P, reqs)) if (r instanceof Error) throw r
  clock.advance(60_000)
  return { db, svc, clock }
}

describe('reconciling a big paper book', () => {
  it('lets the event loop run between pages, and finds nothing to change', async () => {
    const { svc } = await bigBook(2_400)
    // Counts turns of the event loop while reconciliation runs.
    let turns = 0
    let running = true
    const tick = (): void => {
      if (!running) return
      turns++
      setImmediate(tick)
    }
    setImmediate(tick)
    const summary = await svc.reconcile(P)
    running = false
    expect(summary.events).toEqual([])
    // 1,200 open orders per symbol in pages of 500: at least three pages each, a turn before every one.
    expect(turns).toBeGreaterThanOrEqual(6)
  })

  it('writes nothing for orders that agree with the book', async () => {
    const { svc } = await bigBook(600)
    const before = svc.orders(P, { limit: 1_000 }).map((o) => [o.clientOrderId, o.updatedAt])
    await svc.reconcile(P)
    const after = svc.orders(P, { limit: 1_000 }).map((o) => [o.clientOrderId, o.updatedAt])
    expect(after).toEqual(before)
  })
})
