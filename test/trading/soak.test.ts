/**
 * Fault-injection soak: 520 orders through the real order path, real ccxt and the simulator,
 * with a fifth or more of all requests faulted (latency, timeouts, timeouts that execute late,
 * 429, 418, 5xx, connection resets, connection dropped after the order was accepted, duplicate
 * delivery, partial fills), 8 orders in flight at a time. Among them are brackets (a market
 * entry whose take-profit and stop-loss then go as an OCO order list, under the same faults)
 * and trailing stops. It must end with no order placed twice, no order or fill lost, and our
 * fills, positions and balances equal to the exchange's.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import { systemClock } from '../../src/main/clock'
import { Decimal } from '../../src/main/trading/decimal'
import { ledgerBalances, positionsFromFills } from '../../src/main/trading/positions'
import type { TradingService } from '../../src/main/trading/service'
import { startSimulator, type Simulator } from '../simulator/server'
import { useTempDirs } from '../support/temp-dir'
import { d, exchangeHub, openTradingDb, positionFills, Prices, service } from './support'

/** A simulator number (its exact 8-place units, as a double) as decimal text. */
const text = (x: number) => Decimal.fromNumber(x).toString()

const tempDir = useTempDirs()
let sim: Simulator | undefined
let svc: TradingService | undefined
afterEach(async () => {
  svc?.close()
  await sim?.close()
})

const L = 'soak'
const ORDERS = 520
const WORKERS = 8
const TIMEOUT = 300
const RECV = 1_000
const START = { USDT: 100_000, BTC: 1, ETH: 10 }
const FAULTS = [
  'order:latency=0-3',
  'createOrder:timeout=0.03',
  'createOrder:timeout-exec=0.04',
  'createOrder:drop-after-accept=0.05',
  'createOrder:duplicate=0.05',
  'createOrder:partial=0.06',
  'createOrderList:timeout=0.04',
  'createOrderList:timeout-exec=0.04',
  'createOrderList:drop-after-accept=0.05',
  'createOrderList:duplicate=0.05',
  '429=0.08',
  '418=0.01',
  '5xx=0.09',
  'reset=0.05',
  `hold=${TIMEOUT + 100}`,
  'retry-after=0',
].join(',')

function lcg(seed: number): () => number {
  let s = seed
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
}

describe('fault-injection soak', () => {
  it(
    `places ${ORDERS} orders under heavy faults with no duplicate, no loss, and books equal to the exchange`,
    { timeout: 90_000 },
    async () => {
      sim = await startSimulator({ seed: 5, balances: START, faults: FAULTS })
      const s = sim
      const db = openTradingDb(tempDir())
      // Orders go through the hub's connection, so its circuit breaker sees the faults too; its
      // pauses are kept short (and the simulator's Retry-After is 0) to fit the soak's time.
      const hub = exchangeHub(db, systemClock, {
        connectionOptions: {
          timeoutMs: TIMEOUT,
          rateLimitMs: 1,
          breaker: {
            failureThreshold: 5,
            baseOpenMs: 20,
            maxOpenMs: 200,
            stormCount: 3,
            stormWindowMs: 1_000,
          },
        },
      })
      svc = service(db, systemClock, new Prices(), {
        exchanges: hub,
        outcomeMarginMs: 300,
        backoffBaseMs: 50,
        backoffMaxMs: 500,
      })
      const app = svc
      await hub.configure('binance', { recvWindowMs: RECV })
      // The account is set up (its keys checked) before the faults start.
      s.faults.clear()
      await app.saveAccount({
        id: L,
        name: 'Soak',
        mode: 'live',
        exchangeId: 'binance',
        apiUrl: s.url,
        liveEnabled: true,
        apiKey: s.apiKey,
        secret: s.secret,
        checkKeys: true,
      })
      s.faults.set(FAULTS)

      const refusedBeforeIntent: string[] = []
      const brackets = { entries: 0, trailing: 0 }
      let next = 0
      const worker = async (w: number) => {
        const rand = lcg(1000 + w)
        while (next < ORDERS) {
          const i = next++
          const symbol = rand() < 0.6 ? 'BTC/USDT' : 'ETH/USDT'
          // 0.001-0.003 BTC or 0.01-0.03 ETH, as decimal text
          const amount = Decimal.fromUnits(
            BigInt(1 + Math.floor(rand() * 3)),
            symbol === 'BTC/USDT' ? 3 : 2,
          ).toString()
          const side = rand() < 0.5 ? 'buy' : 'sell'
          const kind = rand()
          const limit = kind < 0.3
          const px = s.market.price(symbol.replace('/', ''))
          const price = (side === 'buy' ? px * (1 - rand() * 0.0005) : px * (1 + rand() * 0.0005)).toFixed(2)
          // Close enough to the price for some legs and trailing stops to fire during the soak.
          const away = (f: number) => (px * f).toFixed(2)
          const up = side === 'buy'
          const order =
            kind >= 0.3 && kind < 0.45
              ? {
                  type: 'market' as const,
                  takeProfit: { price: away(up ? 1.0003 : 0.9997) },
                  stopLoss: { stopPrice: away(up ? 0.9997 : 1.0003) },
                }
              : kind >= 0.45 && kind < 0.55
                ? { type: 'trailing_stop' as const, trailingPercent: '0.1' }
                : { type: limit ? ('limit' as const) : ('market' as const), ...(limit ? { price } : {}) }
          if (order.type === 'trailing_stop') brackets.trailing++
          if ('takeProfit' in order) brackets.entries++
          try {
            await app.placeOrder({ accountId: L, symbol, side, amount, confirm: true, ...order })
          } catch (err) {
            if (!(err instanceof AppError)) throw err
            refusedBeforeIntent.push(err.kind)
          }
          if (i % 10 === w) {
            await app.syncLive(L).catch(() => undefined)
            await app.checkUnknown().catch(() => undefined)
          }
        }
      }
      await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)))

      // The price swings up and then down, faults still on: take-profits fill, stop-losses and
      // trailing stops fire, and the engine follows them through the same faults.
      for (const f of [1.003, 0.994]) {
        for (const m of ['BTCUSDT', 'ETHUSDT']) s.market.setPrice(m, s.market.price(m) * f)
        s.market.tick()
        for (let i = 0; i < 3; i++) {
          await app.syncLive(L).catch(() => undefined)
          await app.checkUnknown().catch(() => undefined)
          await app.settleOrders().catch(() => undefined)
        }
      }

      // Faults off; let every unknown outcome settle and every resting order be seen, then cancel the rest.
      await s.settled()
      s.faults.clear()
      // The last faults may have left the circuit open, or half-open and letting one request by:
      // a successful probe closes it, so that what follows is not refused.
      const connection = await hub.connection('binance')
      for (let i = 0; i < 100 && hub.health('binance')[0]?.state !== 'closed'; i++) {
        await connection.call('fetchTime', (ex) => ex.fetchTime()).catch(() => undefined)
        await new Promise((r) => setTimeout(r, 50))
      }
      expect(hub.health('binance')[0]?.state).toBe('closed')
      for (let i = 0; i < 100; i++) {
        await app.checkUnknown()
        await app.syncLive(L).catch(() => undefined)
        // Bracket entries settled by now get their legs (or have them canceled).
        await app.settleOrders()
        const unresolved = app
          .orders(L, { limit: 5000 })
          .filter((o) => ['pending', 'sent', 'unknown', 'waiting'].includes(o.status))
        if (unresolved.length === 0) break
        await new Promise((r) => setTimeout(r, 100))
      }
      await app.syncLive(L)
      for (const o of app.orders(L, { limit: 5000 })) {
        if (o.status === 'open' || o.status === 'partially_filled')
          await app.cancelOrder(L, o.clientOrderId).catch(() => undefined)
      }
      await s.settled()
      const summary = await app.reconcile(L)
      expect(summary.stillUnknown).toBe(0)

      const local = app.orders(L, { limit: 5000 })
      const theirs = s.state.orders()
      const mine = new Map(local.map((o) => [o.clientOrderId, o]))
      const requests = s.state.requests()

      // the faults were heavy and of every kind
      const faulted = requests.filter((r) => r.fault !== undefined)
      expect(faulted.length / requests.length).toBeGreaterThanOrEqual(0.2)
      const kinds = new Set(faulted.map((r) => (['500', '502', '503'].includes(r.fault!) ? '5xx' : r.fault)))
      for (const k of [
        'timeout',
        'timeout-exec',
        '429',
        '418',
        '5xx',
        'reset',
        'drop-after-accept',
        'duplicate',
        'partial',
      ]) {
        expect(kinds, k).toContain(k)
      }
      const listFaults = new Set(faulted.filter((r) => r.kind === 'createOrderList').map((r) => r.fault))
      expect(listFaults.size, [...listFaults].join()).toBeGreaterThanOrEqual(2)

      // every intent was sent at most once, and nothing was sent without an intent (OCO legs
      // travel in their list's request)
      const sent = requests.flatMap((r) =>
        r.kind === 'createOrder'
          ? [String(r.params['newClientOrderId'])]
          : r.kind === 'createOrderList'
            ? [String(r.params['aboveClientOrderId']), String(r.params['belowClientOrderId'])]
            : [],
      )
      expect(new Set(sent).size).toBe(sent.length)
      const localIds = new Set(local.map((o) => o.clientOrderId))
      expect(sent.filter((id) => !localIds.has(id))).toEqual([])
      // an intent never sent is one the open circuit breaker refused: not placed, saying why; or a
      // bracket leg whose entry ended unfilled (canceled with it, saying why)
      const sentIds = new Set(sent)
      const unsent = local.filter((o) => !sentIds.has(o.clientOrderId))
      expect(unsent.length).toBeGreaterThan(0)
      for (const o of unsent) {
        if (o.parentClientOrderId !== null && o.status === 'canceled') {
          expect(o.error?.message, o.clientOrderId).toMatch(/without filling|below what/)
          continue
        }
        expect(o.status, o.clientOrderId).toBe('not_placed')
        expect(o.error?.message, o.clientOrderId).toMatch(/circuit (open|half-open)/)
      }
      // what was refused before an intent: market orders whose price or balance check met a fault
      const entries = local.filter((o) => o.parentClientOrderId === null)
      expect(entries.length).toBeGreaterThanOrEqual(ORDERS * 0.8)
      expect(entries.length).toBeLessThanOrEqual(ORDERS)
      expect(refusedBeforeIntent.length).toBeGreaterThanOrEqual(ORDERS - entries.length)
      expect(
        local.filter((o) =>
          ['waiting', 'pending', 'sent', 'unknown', 'open', 'partially_filled'].includes(o.status),
        ),
      ).toEqual([])
      // brackets and trailing stops were there, on the exchange, and some of them traded
      expect(brackets.entries).toBeGreaterThan(40)
      expect(brackets.trailing).toBeGreaterThan(30)
      const lists = theirs.filter((o) => o.orderListId !== -1)
      // (How many reach the exchange depends on how often the breaker opened: the bars are low.)
      expect(lists.length).toBeGreaterThan(10)
      expect(lists.filter((o) => o.status === 'FILLED').length).toBeGreaterThan(0)
      const trailing = theirs.filter((o) => o.trailingDelta !== undefined)
      expect(trailing.length).toBeGreaterThan(3)
      expect(trailing.filter((o) => o.status === 'FILLED').length).toBeGreaterThan(0)
      // every placed leg belongs to an entry that filled, for what it filled net of its fee
      for (const leg of local.filter((o) => o.parentClientOrderId !== null && o.exchangeOrderId !== null)) {
        const entry = mine.get(leg.parentClientOrderId!)
        expect(Number(entry?.filled), leg.clientOrderId).toBeGreaterThan(0)
      }

      // no duplicates: at most one exchange order per client order id
      expect(new Set(theirs.map((o) => o.clientOrderId)).size).toBe(theirs.length)

      // nothing lost: every exchange order is ours with the same id, state and fill; everything else provably never placed
      const statusOf: Record<string, string> = {
        FILLED: 'filled',
        CANCELED: 'canceled',
        EXPIRED: 'canceled',
        REJECTED: 'rejected',
      }
      for (const x of theirs) {
        const o = mine.get(x.clientOrderId)
        expect(o, x.clientOrderId).toBeDefined()
        expect(o!.origin).toBe('local')
        expect(o!.exchangeOrderId).toBe(String(x.orderId))
        expect(o!.status, x.clientOrderId).toBe(statusOf[x.status])
        expect(o!.filled).toBe(text(x.executedQty))
      }
      const onExchange = new Set(theirs.map((o) => o.clientOrderId))
      for (const o of local) {
        if (onExchange.has(o.clientOrderId)) continue
        // A bracket leg never sent was canceled with its entry (or as too small), saying why.
        if (o.parentClientOrderId !== null && !sentIds.has(o.clientOrderId) && o.status === 'canceled') {
          expect(o.error?.kind, o.clientOrderId).toBe('conflict')
          continue
        }
        expect(['not_placed', 'rejected'], o.clientOrderId).toContain(o.status)
      }
      expect(local.filter((o) => o.status === 'not_placed').length).toBeGreaterThan(10)
      // The soak did real work: how many fill depends on how often the breaker opened, which
      // depends on the machine's load (199 of 520 were seen on a busy 2-core box), so the bar is low.
      expect(theirs.filter((o) => o.status === 'FILLED').length).toBeGreaterThan(100)

      // fills: the same trades, once each, with the same amounts, prices and fees
      const fills = app.fills(L, { limit: 10_000 })
      const trades = s.state.trades()
      expect(fills.length).toBe(trades.length)
      const tradeById = new Map(trades.map((t) => [`${t.symbol}:${t.id}`, t]))
      for (const f of fills) {
        const t = tradeById.get(`${f.symbol.replace('/', '')}:${f.tradeId}`)
        expect(t, f.tradeId).toBeDefined()
        expect([f.amount, f.price, f.fee?.cost, f.fee?.currency]).toEqual([
          text(t!.qty),
          text(t!.price),
          text(t!.commission),
          t!.commissionAsset,
        ])
      }

      // balances: what our fills imply from the starting balances is what the exchange holds
      // (exactly: every fill moved them by its own amounts, to the last unit)
      const oldestFirst = positionFills([...fills].reverse())
      const start = new Map(Object.entries(START).map(([k, v]) => [k, d(v)]))
      const implied = ledgerBalances(start, oldestFirst)
      const held = s.state.balances()
      for (const [asset, b] of Object.entries(held))
        expect(implied.get(asset)?.toString() ?? '0', asset).toBe(text(b.total))
      const reported = await app.balances(L)
      for (const b of reported.balances) expect(b.total, b.asset).toBe(text(held[b.asset]!.total))

      // positions from our fills equal positions from the exchange's trades
      const ref = positionsFromFills(
        L,
        [...trades]
          .sort((a, b) => a.time - b.time || a.id - b.id)
          .map((t) => ({
            symbol: t.symbol === 'BTCUSDT' ? 'BTC/USDT' : 'ETH/USDT',
            side: t.isBuyer ? ('buy' as const) : ('sell' as const),
            amount: d(t.qty),
            price: d(t.price),
            fee: { cost: d(t.commission), currency: t.commissionAsset },
            time: t.time,
          })),
      )
      const positions = await app.positions(L, true)
      for (const p of ref) {
        const q = positions.find((x) => x.symbol === p.symbol)
        expect(q, p.symbol).toBeDefined()
        expect(q!.amount).toBe(p.amount)
        expect(q!.realizedPnl).toBe(p.realizedPnl)
      }
    },
  )
})
