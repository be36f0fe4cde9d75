import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import type { Order } from '../../src/shared/domain/trading'
import { Decimal } from '../../src/main/trading/decimal'
import { ledgerBalances } from '../../src/main/trading/positions'
import type { TradingService } from '../../src/main/trading/service'
import { getOrderRow } from '../../src/main/trading/store'
import { useTempDirs } from '../support/temp-dir'
import {
  closeDatabase,
  fakeExchange,
  FaultyVenue,
  ManualClock,
  openTradingDb,
  positionFills,
  Prices,
  service,
  type Fault,
} from './support'

const tempDir = useTempDirs()
const L = 'live'
const RECV = 5_000
const MARGIN = 1_000 // service() in support.ts sets outcomeMarginMs

interface World {
  dir: string
  clock: ManualClock
  prices: Prices
  exchange: ReturnType<typeof fakeExchange>
  faulty: FaultyVenue
  svc: TradingService
  db: ReturnType<typeof openTradingDb>
}

async function world(
  opts: {
    dir?: string
    exchange?: World['exchange']
    faulty?: FaultyVenue
    clock?: ManualClock
    afterIntent?: (o: Order) => void | Promise<void>
  } = {},
): Promise<World> {
  const dir = opts.dir ?? tempDir()
  const clock = opts.clock ?? new ManualClock()
  const prices = new Prices().set('BTC/USDT', { bid: 99, ask: 100, last: 99.5 })
  const exchange = opts.exchange ?? fakeExchange(join(dir, 'exchange'), clock, prices)
  const faulty = opts.faulty ?? new FaultyVenue(exchange.venue, RECV)
  const db = openTradingDb(join(dir, 'app'))
  const svc = service(db, clock, prices, { liveVenue: () => faulty, afterIntent: opts.afterIntent })
  if (!opts.dir) {
    await svc.saveAccount({
      id: L,
      name: 'Binance',
      mode: 'live',
      exchangeId: 'binance',
      liveEnabled: true,
      apiKey: 'k'.repeat(64),
      secret: 's'.repeat(64),
      checkKeys: true,
    })
  }
  return { dir, clock, prices, exchange, faulty, svc, db }
}

const buy = (amount = '0.1') => ({
  accountId: L,
  symbol: 'BTC/USDT',
  side: 'buy' as const,
  type: 'market' as const,
  amount,
  confirm: true,
})

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected a rejection')
}

describe('live guard', () => {
  it('refuses live orders unless the account switch is on and the order is confirmed, writing nothing', async () => {
    const w = await world()
    await w.svc.saveAccount({ id: L, name: 'Binance', mode: 'live', liveEnabled: false })
    const off = await rejection(w.svc.placeOrder(buy()))
    expect(off).toMatchObject({ kind: 'invalid_order', path: 'params.accountId' })
    expect(off.message).toMatch(/Live trading is switched off for "Binance"/)
    await w.svc.saveAccount({ id: L, name: 'Binance', mode: 'live', liveEnabled: true })
    const unconfirmed = await rejection(w.svc.placeOrder({ ...buy(), confirm: undefined }))
    expect(unconfirmed).toMatchObject({ kind: 'invalid_order', path: 'params.confirm' })
    expect(w.svc.orders(L, { limit: 10 })).toEqual([])
    expect(w.faulty.sent.size).toBe(0)
    expect((await w.svc.placeOrder(buy())).status).toBe('filled')
  })

  it('keeps the secret out of the account and shows a masked key', async () => {
    const w = await world()
    const [, live] = w.svc.accounts()
    expect(live).toMatchObject({ id: L, hasKeys: true, keyHint: 'kkkk…kkkk' })
    expect(JSON.stringify(w.svc.accounts())).not.toContain('ssssss')
  })
})

describe('intent before send', () => {
  it('writes the order as pending with its client order id before the exchange sees anything', async () => {
    let seen: { status: string | undefined; sentSoFar: number } | undefined
    const w: World = await world({
      afterIntent: (o) => {
        seen = { status: getOrderRow(w.db, L, o.clientOrderId)?.status, sentSoFar: w.faulty.sent.size }
      },
    })
    const order = await w.svc.placeOrder(buy())
    expect(seen).toEqual({ status: 'pending', sentSoFar: 0 })
    expect(order.status).toBe('filled')
    expect(w.faulty.sent.get(order.clientOrderId)).toBe(1)
  })

  it('after a crash between intent and send, restart and reconciliation settle the order as not placed, never sending it', async () => {
    const first = await world({
      afterIntent: () => {
        throw new Error('simulated crash')
      },
    })
    await expect(first.svc.placeOrder(buy())).rejects.toThrow('simulated crash')
    const [pending] = first.svc.orders(L, { limit: 10 })
    expect(pending!.status).toBe('pending')
    first.svc.close()
    closeDatabase(first.db)

    const second = await world({
      dir: first.dir,
      exchange: first.exchange,
      faulty: first.faulty,
      clock: first.clock,
    })
    const summary = await second.svc.reconcile(L)
    expect(summary.stillUnknown).toBe(1) // not found, but a request signed before the restart could still arrive
    expect(second.svc.orders(L, { limit: 10 })[0]!.status).toBe('unknown')
    second.clock.advance(RECV + MARGIN)
    await second.svc.checkUnknown()
    const [settled] = second.svc.orders(L, { limit: 10 })
    expect(settled!.status).toBe('not_placed')
    expect(second.svc.events(L, { limit: 10 }).map((e) => e.kind)).toEqual(['intent_not_placed'])
    expect(second.faulty.sent.size).toBe(0)
    expect(await second.exchange.venue.fetchOpenOrders()).toEqual([])
  })

  it('after a crash while waiting for the answer, restart and reconciliation adopt the order and its fills', async () => {
    const first = await world()
    first.faulty.createFaults = ['hang']
    void first.svc.placeOrder(buy('0.2')) // never settles: the process "dies" here
    await new Promise((r) => setTimeout(r, 20))
    expect(first.svc.orders(L, { limit: 10 })[0]!.status).toBe('sent')
    closeDatabase(first.db)

    const second = await world({
      dir: first.dir,
      exchange: first.exchange,
      faulty: first.faulty,
      clock: first.clock,
    })
    const summary = await second.svc.reconcile(L)
    expect(summary.resolved).toBe(1)
    const [order] = second.svc.orders(L, { limit: 10 })
    expect(order).toMatchObject({ status: 'filled', filled: '0.2', average: '100' })
    expect(second.svc.fills(L, { limit: 10 })).toHaveLength(1)
    expect(summary.events.map((e) => e.kind)).toEqual(['intent_resolved'])
    expect([...second.faulty.sent.values()]).toEqual([1])
  })
})

describe('unknown outcomes', () => {
  it('adopts an order whose answer was lost (timeout after the exchange accepted it)', async () => {
    const w = await world()
    w.faulty.createFaults = ['answer-lost']
    const order = await w.svc.placeOrder(buy())
    expect(order).toMatchObject({ status: 'filled', filled: '0.1', error: null })
    expect(order.exchangeOrderId).not.toBeNull()
    expect(w.faulty.sent.get(order.clientOrderId)).toBe(1)
    expect(w.svc.fills(L, { limit: 10 })).toHaveLength(1)
    expect(w.svc.events(L, { limit: 10 }).map((e) => e.kind)).toEqual(['intent_resolved'])
  })

  it('treats a 5xx after sending as unknown and finds the order', async () => {
    const w = await world()
    w.faulty.createFaults = ['accepted-5xx']
    expect((await w.svc.placeOrder(buy())).status).toBe('filled')
  })

  it('treats "Duplicate order sent." as evidence the order exists, not as a rejection', async () => {
    const w = await world()
    w.faulty.createFaults = ['duplicate']
    const order = await w.svc.placeOrder(buy())
    expect(order.status).toBe('filled')
    expect(await w.exchange.venue.fetchMyTrades('BTC/USDT')).toHaveLength(1)
  })

  it('keeps an order that never arrived unknown until its receive window has passed, then marks it not placed', async () => {
    const w = await world()
    w.faulty.createFaults = ['lost']
    const order = await w.svc.placeOrder(buy())
    expect(order.status).toBe('unknown')
    expect(order.error?.kind).toBe('outcome_unknown')
    w.clock.advance(RECV) // still inside recvWindow + margin
    await w.svc.checkUnknown()
    expect(w.svc.orders(L, { limit: 1 })[0]!.status).toBe('unknown')
    w.clock.advance(MARGIN)
    await w.svc.checkUnknown()
    const [settled] = w.svc.orders(L, { limit: 1 })
    expect(settled!.status).toBe('not_placed')
    expect(settled!.error?.message).toMatch(/past its 5 s receive window: it was never placed/)
    expect(w.faulty.sent.get(order.clientOrderId)).toBe(1)
    expect(w.faulty.calls.filter((c) => c === 'createOrder')).toHaveLength(1)
  })

  it('backs off when the lookups themselves fail, then resolves', async () => {
    const w = await world()
    w.faulty.createFaults = ['answer-lost']
    w.faulty.lookupFaults = ['unavailable', 'unavailable', 'rate-limited']
    const order = await w.svc.placeOrder(buy())
    const t0 = w.clock.now()
    const row = () => getOrderRow(w.db, L, order.clientOrderId)!
    expect(row()).toMatchObject({ status: 'unknown', check_attempts: 1, next_check_at: t0 + 500 })
    w.clock.advance(499)
    expect(await w.svc.checkUnknown()).toBe(0) // not due yet
    w.clock.advance(1)
    await w.svc.checkUnknown()
    expect(row()).toMatchObject({ status: 'unknown', check_attempts: 2, next_check_at: t0 + 500 + 1000 })
    w.clock.advance(1000)
    await w.svc.checkUnknown()
    // 429 with Retry-After 2 s beats the 2 s backoff only when longer; here both are 2 s
    expect(row()).toMatchObject({ status: 'unknown', check_attempts: 3, next_check_at: t0 + 1500 + 2000 })
    w.clock.advance(2000)
    await w.svc.checkUnknown()
    expect(row()).toMatchObject({ status: 'filled', next_check_at: null, error_kind: null })
    expect(w.faulty.sent.get(order.clientOrderId)).toBe(1)
  })

  it('records a definite rejection (429 on create) as not placed and never resends', async () => {
    const w = await world()
    w.faulty.createFaults = ['rate-limited']
    const e = await rejection(w.svc.placeOrder(buy()))
    expect(e).toMatchObject({ kind: 'rate_limited', retryAfter: 2 })
    const [o] = w.svc.orders(L, { limit: 1 })
    expect(o).toMatchObject({ status: 'not_placed', error: { kind: 'rate_limited' } })
    await w.svc.reconcile(L)
    expect(w.faulty.sent.get(o!.clientOrderId)).toBe(1)
  })

  it('places no order twice under a storm of faults, and ends with our book equal to the exchange’s', async () => {
    const w = await world()
    await w.svc.saveAccount({ id: L, name: 'Binance', mode: 'live', liveEnabled: true })
    const kinds: Array<Fault | undefined> = [
      undefined,
      undefined,
      'lost',
      'answer-lost',
      'accepted-5xx',
      'rate-limited',
      'unavailable',
      'duplicate',
    ]
    let seed = 7
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const start = new Map((await w.exchange.venue.fetchBalance()).entries())
    for (let i = 0; i < 300; i++) {
      w.faulty.createFaults = [kinds[Math.floor(rand() * kinds.length)]].filter(
        (k): k is Fault => k !== undefined,
      )
      w.faulty.lookupFaults = rand() < 0.3 ? ['unavailable'] : []
      const side = rand() < 0.6 ? 'buy' : 'sell'
      const type = rand() < 0.7 ? 'market' : 'limit'
      const price = side === 'buy' ? 98 + Math.floor(rand() * 4) : 99 + Math.floor(rand() * 4)
      await w.svc
        .placeOrder({
          accountId: L,
          symbol: 'BTC/USDT',
          side,
          type,
          amount: Decimal.fromUnits(BigInt(5 + Math.floor(rand() * 10)), 2).toString(),
          ...(type === 'limit' ? { price: String(price) } : {}),
          confirm: true,
        })
        .catch((err: unknown) => {
          if (!(err instanceof AppError)) throw err
        })
      w.clock.advance(100)
      if (i % 25 === 0) w.exchange.venue.tickSync(w.clock.now())
    }
    // let every unknown settle
    for (let i = 0; i < 20; i++) {
      w.faulty.lookupFaults = []
      w.clock.advance(10_000)
      await w.svc.checkUnknown()
    }
    await w.svc.reconcile(L)
    const local = w.svc.orders(L, { limit: 5000 })
    const tally: Record<string, number> = {}
    for (const o of local) tally[o.status] = (tally[o.status] ?? 0) + 1
    // the storm reached every outcome: filled, resting, and provably never placed
    expect(tally['filled']).toBeGreaterThan(50)
    expect(tally['open']).toBeGreaterThan(5)
    expect(tally['not_placed']).toBeGreaterThan(30)
    // every intent was sent, exactly once
    expect(w.faulty.sent.size).toBe(local.length)
    expect(
      local.filter((o) => o.status === 'unknown' || o.status === 'pending' || o.status === 'sent'),
    ).toEqual([])
    // every client order id was sent exactly once
    expect([...w.faulty.sent.values()].every((n) => n === 1)).toBe(true)
    // every order on the exchange is ours, with the same state and fill
    const exchangeOrders = w.exchange.db
      .prepare<[], { id: number; client_order_id: string; status: string; filled: string }>(
        'SELECT id, client_order_id, status, filled FROM paper_orders',
      )
      .all()
    const byClientId = new Map(local.map((o) => [o.clientOrderId, o]))
    expect(new Set(exchangeOrders.map((o) => o.client_order_id)).size).toBe(exchangeOrders.length)
    for (const x of exchangeOrders) {
      const mine = byClientId.get(x.client_order_id)
      expect(mine, x.client_order_id).toBeDefined()
      expect(mine!.exchangeOrderId).toBe(String(x.id))
      expect(mine!.filled).toBe(x.filled)
      expect(
        {
          closed: 'filled',
          open: mine!.filled !== '0' ? 'partially_filled' : 'open',
          canceled: 'canceled',
          expired: 'canceled',
        }[x.status],
      ).toBe(mine!.status)
    }
    // orders we say are live or done are on the exchange; the rest are provably not
    const placed = local.filter((o) => o.status !== 'not_placed' && o.status !== 'rejected')
    expect(placed.length).toBe(exchangeOrders.length)
    expect(placed.length).toBeGreaterThan(100)
    // fills: same trade ids, and balances implied by our fills equal the exchange's
    const trades = await w.exchange.venue.fetchMyTrades('BTC/USDT', 0, 100_000)
    const fills = w.svc.fills(L, { limit: 10_000 })
    expect(fills.map((f) => f.tradeId).sort()).toEqual(trades.map((t) => t.id).sort())
    const startTotals = new Map([...start].map(([k, v]) => [k, v.total]))
    const ledger = ledgerBalances(startTotals, positionFills([...fills].reverse()))
    const actual = await w.exchange.venue.fetchBalance()
    // Exactly: every fill moved the balances by its own amounts, to the last unit.
    for (const [asset, b] of actual)
      expect(ledger.get(asset)?.toString() ?? '0', asset).toBe(b.total.toString())
  })
})
