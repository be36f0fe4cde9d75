import { afterEach, describe, expect, it } from 'vitest'
import { createDemoMarket } from '../../src/main/demo'
import { silentLogger } from '../../src/main/log'
import { ExchangeHistory } from '../../src/main/exchange/chart-history'
import { ExchangeCandleUpdates } from '../../src/main/exchange/followed-series'
import { createMarketDomain } from '../../src/main/market/handlers'
import { readFetchedRanges } from '../../src/main/exchange/schema'
import { memoryPair, registryWith } from '../support/memory-transport'
import { useTempDirs } from '../support/temp-dir'
import { closedPort } from '../e2e/fixtures'
import { expectOk, useRig, type Rig } from './support'

/**
 * `market.candles` of an exchange's symbol that was never backfilled (an account's own market is
 * charted from its exchange): real ccxt against the loopback simulator, into a real SQLite file.
 */

const newDir = useTempDirs()
const rig = useRig(newDir)
const SOURCE = 'binance:custom'
const MINUTE = 60_000

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c()
})

async function setup(r: Rig) {
  const live = new ExchangeCandleUpdates({ db: r.db, clock: r.clock, log: silentLogger, exchanges: r.hub })
  const history = new ExchangeHistory({
    db: r.db,
    clock: r.clock,
    log: silentLogger,
    exchanges: r.hub,
    followed: live,
  })
  const demo = createDemoMarket({ seed: 1 })
  const market = createMarketDomain({ db: r.db, demo, clock: r.clock, exchangeCandles: live, history })
  const { client, disconnect } = memoryPair(registryWith(market.handlers))
  cleanups.push(
    () => live.close(),
    () => market.close?.(),
    disconnect,
  )
  return client
}

const kline = (kind: string) => (r: { kind: string }) => r.kind === kind

describe('market.candles of an exchange symbol', () => {
  it('fetches the bars it shows from the exchange, once: a second look asks only for what closed since', async () => {
    const r = await rig()
    const client = await setup(r)
    const before = r.sim.state.requests().filter(kline('klines')).length
    const res = expectOk(
      await client.invoke('market.candles', {
        source: SOURCE,
        symbol: 'LTC/USDT',
        timeframe: '1m',
        limit: 300,
      }),
    )
    expect(res.candles.time.length).toBeGreaterThanOrEqual(299)
    expect(res.gaps).toEqual([])
    const times = [...res.candles.time]
    expect(new Set(times.slice(1).map((t, i) => t - times[i]!))).toEqual(new Set([MINUTE]))
    // The newest bar is the last closed one.
    expect(Date.now() - times.at(-1)!).toBeLessThan(2 * MINUTE + 5_000)
    const asked = r.sim.state.requests().filter(kline('klines')).length - before
    expect(asked).toBeGreaterThanOrEqual(1)
    expect(readFetchedRanges(r.db, { source: SOURCE, symbol: 'LTC/USDT', timeframe: '1m' }).length).toBe(1)

    // Again: at most the bars closed since the first answer are asked for.
    const again = expectOk(
      await client.invoke('market.candles', {
        source: SOURCE,
        symbol: 'LTC/USDT',
        timeframe: '1m',
        limit: 300,
      }),
    )
    expect(again.candles.time.at(-1)!).toBeGreaterThanOrEqual(times.at(-1)!)
    expect(r.sim.state.requests().filter(kline('klines')).length - before - asked).toBeLessThanOrEqual(1)
  })

  it('says why when the exchange cannot be reached and nothing is stored', async () => {
    const r = await rig()
    expectOk(
      await r.invoke('exchange.configure', {
        exchange: 'binance',
        apiUrl: `http://127.0.0.1:${await closedPort()}`,
      }),
    )
    const client = await setup(r)
    const res = await client.invoke('market.candles', {
      source: SOURCE,
      symbol: 'BTC/USDT',
      timeframe: '15m',
      limit: 100,
    })
    expect(res.ok).toBe(false)
    if (res.ok) return
    expect(res.error.kind).toBe('unavailable')
    expect(res.error.message).toMatch(/Binance is unreachable from this machine: the connection was refused/)
  })

  it('fetches whole calendar months and Monday weeks: a year of 1M bars is a year, not a month short', async () => {
    const r = await rig()
    const client = await setup(r)
    const now = Date.now()
    const month = new Date(now)
    for (const timeframe of ['1M', '1w'] as const) {
      const res = expectOk(
        await client.invoke('market.candles', { source: SOURCE, symbol: 'LTC/USDT', timeframe, limit: 12 }),
      )
      const times = [...res.candles.time]
      // The 11 closed bars before the forming one (the forming one is not stored).
      expect(times, timeframe).toHaveLength(11)
      if (timeframe === '1M') {
        const want = Array.from({ length: 11 }, (_, i) =>
          Date.UTC(month.getUTCFullYear(), month.getUTCMonth() - 11 + i, 1),
        )
        expect(times).toEqual(want)
      } else {
        for (const t of times) expect(new Date(t).toISOString()).toMatch(/T00:00:00\.000Z$/)
        expect(new Set(times.map((t) => new Date(t).getUTCDay()))).toEqual(new Set([1]))
      }
      expect(res.gaps).toEqual([])
    }
  })
})
