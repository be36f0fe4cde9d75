/**
 * The market each account trades on (`trading.market`, `trading.quote`): the demo market for
 * paper accounts on it, otherwise the account's exchange, through real ccxt and the hub's
 * connection, against a closed loopback port (unreachable) and the loopback simulator.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AccountMarket, AccountQuote } from '../../src/shared/domain/account-market'
import type { AppError } from '../../src/shared/contract/errors'
import { createDemoMarket } from '../../src/main/demo'
import { demoPaperMarkets, demoPriceSource } from '../../src/main/trading/demo-prices'
import { ExchangePrices } from '../../src/main/trading/exchange-prices'
import { insertFill } from '../../src/main/trading/store'
import { DEFAULT_MARKETS } from '../simulator/markets'
import { startSimulator } from '../simulator/server'
import { closedPort } from '../e2e/fixtures'
import { useTempDirs } from '../support/temp-dir'
import { closeDatabase, exchangeHub, openTradingDb, service } from './support'

const tempDir = useTempDirs()
const cleanup: Array<() => unknown> = []
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close()
})

const BTC = 'BTC/USDT'

async function setup(apiUrl: string) {
  const db = openTradingDb(tempDir())
  cleanup.push(() => closeDatabase(db))
  const clock = { now: () => Date.now() }
  const hub = exchangeHub(db, clock, { connectionOptions: { rateLimitMs: 1, timeoutMs: 2_000 } })
  cleanup.push(() => hub.close())
  const demo = createDemoMarket({ seed: 5 })
  const demoPrices = demoPriceSource(demo, clock)
  const svc = service(db, clock, demoPrices, {
    exchanges: hub,
    paperMarkets: () => demoPaperMarkets(demo, clock),
    exchangePaper: (exchangeId) =>
      new ExchangePrices({
        exchanges: hub,
        exchangeId,
        clock,
        maxAgeMs: 60_000,
        feed: { pollIntervalMs: 20, backoffBaseMs: 20, backoffMaxMs: 100 },
        marketRetry: { baseMs: 100, maxMs: 400 },
      }),
  })
  cleanup.push(() => svc.close())
  // A live account with its switch on but no keys, and a paper account on the same exchange's prices.
  await svc.saveAccount({
    id: 'my-binance',
    name: 'My Binance',
    mode: 'live',
    exchangeId: 'binance',
    apiUrl,
  })
  await svc.saveAccount({ id: 'binance-paper', name: 'Binance paper', mode: 'paper', exchangeId: 'binance' })
  return { db, clock, svc, demo, demoPrices }
}

/** Follows a stream of the service, keeping what it sent and how it ended. */
function follow<E>(watch: (sink: { emit(e: E): void; end(err: AppError): void }) => () => void) {
  const events: E[] = []
  let ended: AppError | null = null
  const stop = watch({ emit: (e) => events.push(e), end: (err) => (ended = err) })
  cleanup.push(stop)
  return {
    events,
    ended: () => ended,
    async until(check: (e: E) => boolean, what: string, timeoutMs = 15_000): Promise<E> {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        const hit = events.find(check)
        if (hit) return hit
        await new Promise((r) => setTimeout(r, 10))
      }
      throw new Error(
        `never saw ${what}; got ${JSON.stringify(events.map((e) => ({ ...e, markets: undefined })))}`,
      )
    },
  }
}

describe('the market an account trades on', () => {
  it('is the demo market for Demo paper: ready at once, with its symbols and prices', async () => {
    const { svc, demo } = await setup(`http://127.0.0.1:${await closedPort()}`)
    const market = follow<AccountMarket>((s) => svc.watchMarket('demo-paper', s))
    const first = market.events[0]!
    expect(first).toMatchObject({
      accountId: 'demo-paper',
      exchangeId: 'paper',
      label: 'Demo (simulated)',
      source: 'demo',
      simulated: true,
      state: 'ready',
      reason: null,
      retryAt: null,
    })
    expect(first.markets.find((m) => m.symbol === BTC)).toMatchObject({
      priceTick: '0.01',
      pricePrecision: 2,
      minNotional: '5',
    })
    const quote = follow<AccountQuote>((s) => svc.watchQuote('demo-paper', BTC, s))
    const q = quote.events[0]!
    expect(q.reason).toBeNull()
    // The demo market's price when it was sent (a pure function of time; a tick may fall between).
    expect(Math.abs(Number(q.last!) / demo.quote(BTC, q.at).last - 1)).toBeLessThan(1e-3)
  })

  it('of an account on an exchange that cannot be reached: no market, no price, the reason and the next try', async () => {
    const { db, svc, demoPrices } = await setup(`http://127.0.0.1:${await closedPort()}`)
    for (const id of ['my-binance', 'binance-paper']) {
      const market = follow<AccountMarket>((s) => svc.watchMarket(id, s))
      const down = await market.until((e) => e.state === 'unavailable', `${id} unavailable`)
      expect(down).toMatchObject({
        accountId: id,
        exchangeId: 'binance',
        label: 'Binance',
        source: 'binance:custom',
        simulated: false,
        reason: 'Binance markets not loaded: exchange unreachable',
        markets: [],
      })
      expect(down.detail).toMatch(/^Binance is unreachable from this machine/)
      // It tries again by itself while followed: a later event names a later next try.
      const first = market.events.find((e) => e.retryAt !== null)!
      expect(first.retryAt!).toBeGreaterThanOrEqual(first.now)
      await market.until(
        (e) => e.state === 'unavailable' && e.retryAt !== null && e.retryAt > first.retryAt!,
        `${id} retrying`,
      )
      expect(market.events.every((e) => e.state !== 'ready' && e.markets.length === 0)).toBe(true)

      // No price: neither the exchange's (none) nor the demo market's for the same symbol.
      const quote = follow<AccountQuote>((s) => svc.watchQuote(id, BTC, s))
      const q = quote.events[0]!
      expect(q).toMatchObject({ accountId: id, symbol: BTC, bid: null, ask: null, last: null })
      expect(q.reason).toMatch(/^Binance markets not loaded/)
      expect(demoPrices.quote(BTC)).toBeDefined()
    }

    // A live position is not marked at the demo market's price while its exchange is down.
    insertFill(
      db,
      {
        accountId: 'my-binance',
        symbol: BTC,
        tradeId: 't1',
        exchangeOrderId: 'o1',
        clientOrderId: null,
        side: 'buy',
        amount: '0.01',
        price: '60000',
        cost: '600',
        fee: null,
        takerOrMaker: 'taker',
        time: Date.now() - 60_000,
      },
      Date.now(),
    )
    const [position] = await svc.positions('my-binance')
    expect(position).toMatchObject({ symbol: BTC, side: 'long', mark: null, unrealizedPnl: null })
  })

  it('comes back by itself when the exchange does, with the exchange’s symbols, steps, minimums and prices', async () => {
    const port = await closedPort()
    const { svc } = await setup(`http://127.0.0.1:${port}`)
    const market = follow<AccountMarket>((s) => svc.watchMarket('my-binance', s))
    await market.until((e) => e.state === 'unavailable', 'unavailable before the exchange starts')

    // The exchange starts on that port, with filters the demo market does not have.
    const markets = DEFAULT_MARKETS.map((m) =>
      m.symbol === 'BTCUSDT'
        ? { ...m, tickSize: '0.50', stepSize: '0.001', minQty: '0.001', minNotional: '100' }
        : m,
    )
    const sim = await startSimulator({ port, seed: 3, markets })
    cleanup.unshift(() => sim.close())
    sim.market.setPrice('BTCUSDT', 50_000, { freeze: true })

    const ready = await market.until((e) => e.state === 'ready', 'ready once the exchange answers')
    expect(ready).toMatchObject({ source: 'binance:custom', label: 'Binance', reason: null, retryAt: null })
    expect(ready.markets.map((m) => m.symbol)).toEqual(['BTC/USDT', 'ETH/USDT', 'LTC/USDT', 'SOL/USDT'])
    expect(ready.markets.find((m) => m.symbol === BTC)).toEqual({
      symbol: BTC,
      base: 'BTC',
      quote: 'USDT',
      priceTick: '0.5',
      pricePrecision: 1,
      amountStep: '0.001',
      minAmount: '0.001',
      maxAmount: '9000',
      minNotional: '100',
      maxNotional: '9000000',
      active: true,
    })
    // Binance serves every timeframe itself, 3m to 1M included.
    expect(ready.timeframes).toEqual([
      '1m',
      '3m',
      '5m',
      '15m',
      '30m',
      '1h',
      '2h',
      '4h',
      '6h',
      '12h',
      '1d',
      '1w',
      '1M',
    ])

    for (const id of ['my-binance', 'binance-paper']) {
      const quote = follow<AccountQuote>((s) => svc.watchQuote(id, BTC, s))
      const q = await quote.until((e) => e.last !== null, `${id}: the exchange's price`)
      expect(q.last).toBe('50000')
      expect(q.reason).toBeNull()
    }
  })

  it('ends when the account is deleted, and refuses an unknown one', async () => {
    const { svc } = await setup(`http://127.0.0.1:${await closedPort()}`)
    expect(() => svc.watchMarket('nobody', { emit: () => {}, end: () => {} })).toThrow(/No trading account/)
    const market = follow<AccountMarket>((s) => svc.watchMarket('binance-paper', s))
    svc.deleteAccount('binance-paper', { confirm: true, dryRun: false })
    // Noticed at its next look (every second).
    for (let i = 0; i < 500 && market.ended() === null; i++) await new Promise((r) => setTimeout(r, 10))
    expect(market.ended()?.kind).toBe('not_found')
  })
})
