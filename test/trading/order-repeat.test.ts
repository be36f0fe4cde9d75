import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppError, validationError } from '../../src/shared/contract/errors'
import { tradingContract } from '../../src/shared/contract/trading'
import type { Order, OrderRequest } from '../../src/shared/domain/trading'
import { useTempDirs } from '../support/temp-dir'
import { fakeExchange, FaultyVenue, ManualClock, openTradingDb, Prices, service, ZERO_FEES } from './support'

/*
 * Finding 5 (issue 12): a caller that names its order (`clientOrderId`) can send it again
 * after losing the answer, and never gets a second order.
 */

const tempDir = useTempDirs()
const P = 'demo-paper'

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a rejection')
}

function paperWorld() {
  const clock = new ManualClock()
  const prices = new Prices().set('BTC/USDT', { bid: 99, ask: 100, last: 99.5 })
  const db = openTradingDb(tempDir())
  const svc = service(db, clock, prices, { paperSettings: ZERO_FEES })
  return { clock, prices, db, svc }
}

const buy = (extra: Partial<OrderRequest> = {}): OrderRequest => ({
  accountId: P,
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'market',
  amount: '0.5',
  clientOrderId: 'ui-01J9ZQ3Y7C8D0000000000000A',
  ...extra,
})

describe('orders named by the caller (clientOrderId)', () => {
  it('places the order under the given id; the same request again answers that order and trades nothing more', async () => {
    const { svc } = paperWorld()
    const first = await svc.placeOrder(buy())
    expect(first).toMatchObject({
      clientOrderId: 'ui-01J9ZQ3Y7C8D0000000000000A',
      status: 'filled',
      filled: '0.5',
    })
    const usdt = (await svc.balances(P)).balances.find((b) => b.asset === 'USDT')!.total

    const again = await svc.placeOrder(buy())
    expect(again).toEqual(first)
    // A batch repeating it is answered the same way.
    const [inBatch] = svc.placeOrders(P, [buy()])
    expect((inBatch as Order).clientOrderId).toBe(first.clientOrderId)

    expect(svc.orders(P, { limit: 50 })).toHaveLength(1)
    expect(svc.fills(P, { limit: 50 })).toHaveLength(1)
    expect((await svc.balances(P)).balances.find((b) => b.asset === 'USDT')!.total).toBe(usdt)
    // The lookup the app uses when an answer was lost.
    expect(svc.orders(P, { clientOrderId: first.clientOrderId, limit: 1 })).toEqual([first])
    expect(svc.orders(P, { clientOrderId: 'ui-never-sent', limit: 1 })).toEqual([])
  })

  it('refuses the same id with different terms, naming the field, and places nothing', async () => {
    const { svc } = paperWorld()
    await svc.placeOrder(buy())
    const amount = await rejection(svc.placeOrder(buy({ amount: '0.6' })))
    expect(amount).toMatchObject({ kind: 'conflict', path: 'params.amount' })
    expect(amount.message).toMatch(/its amount was 0\.5, this one has 0\.6/)
    const side = await rejection(svc.placeOrder(buy({ side: 'sell' })))
    expect(side).toMatchObject({ kind: 'conflict', path: 'params.side' })
    const type = await rejection(svc.placeOrder(buy({ type: 'limit', price: '90' })))
    expect(type).toMatchObject({ kind: 'conflict', path: 'params.type' })
    expect(svc.orders(P, { limit: 50 })).toHaveLength(1)
  })

  it("refuses an id that is already another order's (the engine's own), before anything is sent", async () => {
    const { svc } = paperWorld()
    const engineMade = await svc.placeOrder(buy({ clientOrderId: undefined }))
    const err = await rejection(svc.placeOrder(buy({ clientOrderId: engineMade.clientOrderId })))
    expect(err).toMatchObject({ kind: 'conflict', path: 'params.clientOrderId' })
    expect(svc.orders(P, { limit: 50 })).toHaveLength(1)
  })

  it('a request refused by its checks leaves the id free: the corrected request can use it', async () => {
    const { svc } = paperWorld()
    const tooBig = await rejection(svc.placeOrder(buy({ amount: '5000' })))
    expect(tooBig.kind).toBe('insufficient_funds')
    const placed = await svc.placeOrder(buy({ amount: '0.5' }))
    expect(placed.status).toBe('filled')
  })

  it('resetting a paper account forgets the ids it used', async () => {
    const { svc } = paperWorld()
    await svc.placeOrder(buy())
    svc.resetPaper(P, {})
    const fresh = await svc.placeOrder(buy({ amount: '0.25' }))
    expect(fresh).toMatchObject({ status: 'filled', amount: '0.25' })
  })

  it('the contract refuses an id an exchange would not take, naming the field', () => {
    const params = tradingContract['trading.placeOrder'].params
    const bad = params.safeParse(buy({ clientOrderId: 'has spaces and is far too long for any exchange' }))
    expect(bad.success).toBe(false)
    const error = validationError(bad.error!, 'params')
    expect(error).toMatchObject({ kind: 'validation', path: 'params.clientOrderId' })
    expect(error.message).toMatch(/letters, digits and \. : \/ _ -/)
  })

  it('live: an answer lost on the way back, then the same request sent again: one order on the exchange, the same one answered', async () => {
    const dir = tempDir()
    const clock = new ManualClock()
    const prices = new Prices().set('BTC/USDT', { bid: 99, ask: 100, last: 99.5 })
    const exchange = fakeExchange(join(dir, 'exchange'), clock, prices)
    const faulty = new FaultyVenue(exchange.venue, 5_000)
    const svc = service(openTradingDb(join(dir, 'app')), clock, prices, { liveVenue: () => faulty })
    await svc.saveAccount({
      id: 'live',
      name: 'Binance',
      mode: 'live',
      exchangeId: 'binance',
      liveEnabled: true,
      apiKey: 'k'.repeat(64),
      secret: 's'.repeat(64),
      checkKeys: true,
    })
    const req = buy({ accountId: 'live', confirm: true, clientOrderId: 'ui-live-1' })
    faulty.createFaults.push('answer-lost', 'answer-lost')
    const first = await svc.placeOrder(req)
    // The engine looked it up by its id at once and found it.
    expect(first).toMatchObject({ clientOrderId: 'ui-live-1', status: 'filled' })
    const again = await svc.placeOrder(req)
    expect(again).toMatchObject({
      clientOrderId: 'ui-live-1',
      status: 'filled',
      exchangeOrderId: first.exchangeOrderId,
    })
    expect(faulty.sent.get('ui-live-1')).toBe(1)
    expect(await exchange.venue.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: 'ui-live-1' })).toMatchObject(
      {
        status: 'closed',
      },
    )
    expect(svc.orders('live', { limit: 50 })).toHaveLength(1)
  })

  it('live: the same request twice at once (the retry overtakes the first answer) sends one order; both callers get it', async () => {
    const dir = tempDir()
    const clock = new ManualClock()
    const prices = new Prices().set('BTC/USDT', { bid: 99, ask: 100, last: 99.5 })
    const exchange = fakeExchange(join(dir, 'exchange'), clock, prices)
    const faulty = new FaultyVenue(exchange.venue, 5_000)
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    const svc = service(openTradingDb(join(dir, 'app')), clock, prices, {
      liveVenue: () => faulty,
      // The first call waits here, between its intent and sending it.
      afterIntent: () => held,
    })
    await svc.saveAccount({
      id: 'live',
      name: 'Binance',
      mode: 'live',
      exchangeId: 'binance',
      liveEnabled: true,
      apiKey: 'k'.repeat(64),
      secret: 's'.repeat(64),
      checkKeys: true,
    })
    const req = buy({ accountId: 'live', confirm: true, clientOrderId: 'ui-live-2' })
    const first = svc.placeOrder(req)
    const second = svc.placeOrder(req)
    await new Promise((r) => setTimeout(r, 10))
    expect(faulty.sent.get('ui-live-2')).toBeUndefined()
    release()
    const [a, b] = await Promise.all([first, second])
    expect(a).toMatchObject({ clientOrderId: 'ui-live-2', status: 'filled' })
    expect(b).toEqual(a)
    expect(faulty.sent.get('ui-live-2')).toBe(1)
    expect(svc.orders('live', { limit: 50 })).toHaveLength(1)
  })
})
