import { describe, expect, it } from 'vitest'
import { useSimulators } from './harness'

const MIN = 60_000
const HOUR = 60 * MIN

describe('simulator market data through ccxt', () => {
  const open = useSimulators()

  it('loadMarkets: spot markets with Binance filters as precision, limits and fees', async () => {
    const { ex } = await open()
    expect(ex.symbols.sort()).toEqual(['BTC/USDT', 'ETH/USDT', 'LTC/USDT', 'SOL/USDT'])
    const btc = ex.market('BTC/USDT')
    expect(btc.id).toBe('BTCUSDT')
    expect(btc.spot && btc.active).toBe(true)
    expect(btc.precision).toEqual({ amount: 0.00001, price: 0.01, base: 1e-8, quote: 1e-8 })
    expect(btc.limits.amount).toEqual({ min: 0.00001, max: 9000 })
    expect(btc.limits.price).toEqual({ min: 0.01, max: 1_000_000 })
    expect(btc.limits.cost).toEqual({ min: 5, max: 9_000_000 })
    expect(btc.limits.market).toEqual({ min: 0, max: 120 })
    expect([btc.taker, btc.maker]).toEqual([0.001, 0.001])
    const sol = ex.market('SOL/USDT')
    expect(sol.precision.amount).toBe(0.001)
    // ccxt rounds with these filters exactly as against the real exchange.
    expect(ex.amountToPrecision('BTC/USDT', 0.0007856509959147719)).toBe('0.00078')
    expect(ex.priceToPrecision('LTC/USDT', 55.324242343)).toBe('55.32')
  })

  it('fetchTime returns the server clock, skew included', async () => {
    const { sim, ex } = await open({ clockSkewMs: 7_000 })
    const before = Date.now()
    const t = await ex.fetchTime()
    expect(t).toBeGreaterThanOrEqual(before + 7_000)
    expect(t).toBeLessThanOrEqual(Date.now() + 7_000)
    expect(sim.clock.skewMs).toBe(7_000)
  })

  it('fetchOrderBook: sorted levels, a one-tick spread around the price, honours limit', async () => {
    const { sim, ex } = await open()
    sim.market.setPrice('ETHUSDT', 3_000.004, { freeze: true })
    const book = await ex.fetchOrderBook('ETH/USDT', 20)
    expect(book.bids).toHaveLength(20)
    expect(book.asks).toHaveLength(20)
    expect(book.bids[0]?.[0]).toBe(3_000)
    expect(book.asks[0]?.[0]).toBe(3_000.01)
    for (let i = 1; i < 20; i++) {
      expect(book.bids[i]?.[0]).toBeLessThan(book.bids[i - 1]?.[0] ?? 0)
      expect(book.asks[i]?.[0]).toBeGreaterThan(book.asks[i - 1]?.[0] ?? 0)
    }
    for (const [, qty] of [...book.bids, ...book.asks]) expect(qty).toBeGreaterThanOrEqual(0.0001)
    expect(typeof book.nonce).toBe('number')
    // While frozen the book is static: the in-process view and a second fetch agree.
    expect(sim.market.book('ETHUSDT', 3).bids).toEqual(book.bids.slice(0, 3))
    expect((await ex.fetchOrderBook('ETH/USDT', 5)).asks).toEqual(book.asks.slice(0, 5))
  })

  it('fetchTicker agrees with the book and with the one-minute candles of the last 24 hours', async () => {
    const { sim, ex } = await open({ seed: 3 })
    sim.market.setPrice('BTCUSDT', 61_234.567, { freeze: true })
    // The ticker and the candles must be read within the same minute; retry across a boundary.
    for (let attempt = 0; ; attempt++) {
      const minute = Math.floor(Date.now() / MIN)
      const ticker = await ex.fetchTicker('BTC/USDT')
      const book = await ex.fetchOrderBook('BTC/USDT', 1)
      const start = Math.floor(((ticker.timestamp ?? 0) - 24 * HOUR) / MIN) * MIN
      const first = await ex.fetchOHLCV('BTC/USDT', '1m', start, 1000)
      const second = await ex.fetchOHLCV('BTC/USDT', '1m', start + 1000 * MIN, 1000)
      if (Math.floor(Date.now() / MIN) !== minute && attempt < 3) continue
      expect(ticker.bid).toBe(book.bids[0]?.[0])
      expect(ticker.ask).toBe(book.asks[0]?.[0])
      expect(ticker.bid).toBe(61_234.56)
      expect(ticker.last).toBe(61_234.57)
      const candles = [...first, ...second]
      const high = Math.max(...candles.map((c) => c[2] ?? 0))
      const low = Math.min(...candles.map((c) => c[3] ?? 0))
      const volume = candles.reduce((a, c) => a + (c[5] ?? 0), 0)
      expect(ticker.high).toBeCloseTo(high, 2)
      expect(ticker.low).toBeCloseTo(low, 2)
      expect(Math.abs((ticker.baseVolume ?? 0) - volume) / volume).toBeLessThan(0.01)
      expect(ticker.vwap).toBeGreaterThanOrEqual(low)
      expect(ticker.vwap).toBeLessThanOrEqual(high)
      break
    }
  })

  it('fetchOHLCV: candles open at or after since (Binance semantics) and page without gaps', async () => {
    const { ex } = await open()
    const since = Math.floor(Date.now() / HOUR) * HOUR - 5 * HOUR + 12_345
    const all: number[][] = []
    let cursor = since
    for (let page = 0; page < 10; page++) {
      const batch = await ex.fetchOHLCV('SOL/USDT', '1m', cursor, 120)
      if (batch.length === 0) break
      all.push(...(batch as number[][]))
      cursor = (batch[batch.length - 1]?.[0] ?? 0) + MIN
      if (batch.length < 120) break
    }
    expect(all[0]?.[0]).toBe(since - 12_345 + MIN)
    expect(all.length).toBeGreaterThanOrEqual(5 * 60 - 1)
    for (let i = 1; i < all.length; i++) {
      const prev = all[i - 1] as number[]
      const c = all[i] as number[]
      expect(c[0]).toBe((prev[0] ?? 0) + MIN)
      // The path is continuous: a candle opens where the previous one closed.
      expect(c[1]).toBe(prev[4])
      expect(c[2]).toBeGreaterThanOrEqual(Math.max(c[1] ?? 0, c[4] ?? 0))
      expect(c[3]).toBeLessThanOrEqual(Math.min(c[1] ?? 0, c[4] ?? 0))
      expect(c[5]).toBeGreaterThan(0)
    }
    // The last candle is the current, still open one (or the one before, across a minute boundary).
    expect(Math.floor(Date.now() / MIN) * MIN - (all[all.length - 1]?.[0] ?? 0)).toBeLessThanOrEqual(MIN)
  })

  it("fetchOHLCV with ccxt's own pagination (paginate: true, since .. until)", async () => {
    const { sim, ex } = await open()
    const until = Math.floor(Date.now() / MIN) * MIN - 10 * MIN
    const since = until - 2_500 * MIN
    const candles = await ex.fetchOHLCV('BTC/USDT', '1m', since, undefined, {
      paginate: true,
      until: until - 1,
    })
    const times = candles.map((c) => c[0])
    expect(new Set(times).size).toBe(times.length)
    expect(times[0]).toBe(since)
    expect(times[times.length - 1]).toBe(until - MIN)
    expect(times).toHaveLength(2_500)
    expect(sim.state.requestCounts()['klines']?.total).toBeGreaterThanOrEqual(3)
  })

  it('hourly and daily candles are exact aggregates of the minute candles', async () => {
    const { ex } = await open({ seed: 11 })
    const hourStart = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR
    const [hour] = await ex.fetchOHLCV('ETH/USDT', '1h', hourStart, 1)
    const minutes = await ex.fetchOHLCV('ETH/USDT', '1m', hourStart, 60)
    expect(hour?.[0]).toBe(hourStart)
    expect(hour?.[1]).toBe(minutes[0]?.[1])
    expect(hour?.[4]).toBe(minutes[59]?.[4])
    expect(hour?.[2]).toBe(Math.max(...minutes.map((c) => c[2] ?? 0)))
    expect(hour?.[3]).toBe(Math.min(...minutes.map((c) => c[3] ?? 0)))
    expect(hour?.[5]).toBeCloseTo(
      minutes.reduce((a, c) => a + (c[5] ?? 0), 0),
      6,
    )
  })

  it('calendar intervals: weeks open on Monday, months on the 1st (UTC)', async () => {
    const { ex } = await open()
    const weeks = await ex.fetchOHLCV('BTC/USDT', '1w', Date.UTC(2024, 0, 3), 3)
    expect(weeks.map((c) => new Date(c[0] ?? 0).toISOString())).toEqual([
      '2024-01-08T00:00:00.000Z',
      '2024-01-15T00:00:00.000Z',
      '2024-01-22T00:00:00.000Z',
    ])
    const months = await ex.fetchOHLCV('BTC/USDT', '1M', Date.UTC(2024, 0, 1), 3)
    expect(months.map((c) => new Date(c[0] ?? 0).toISOString().slice(0, 10))).toEqual([
      '2024-01-01',
      '2024-02-01',
      '2024-03-01',
    ])
  })

  it('history is a function of the seed', async () => {
    const since = Date.UTC(2024, 5, 1)
    const a = await open({ seed: 42 })
    const b = await open({ seed: 42 })
    const c = await open({ seed: 43 })
    const ca = await a.ex.fetchOHLCV('LTC/USDT', '15m', since, 50)
    const cb = await b.ex.fetchOHLCV('LTC/USDT', '15m', since, 50)
    const cc = await c.ex.fetchOHLCV('LTC/USDT', '15m', since, 50)
    expect(ca).toHaveLength(50)
    expect(cb).toEqual(ca)
    expect(cc.map((x) => x[4])).not.toEqual(ca.map((x) => x[4]))
  })

  it("raw kline rows have Binance's 12 fields: numbers for times and counts, strings for decimals", async () => {
    const { ex } = await open()
    const rows = (await ex.publicGetKlines({ symbol: 'BTCUSDT', interval: '5m', limit: 2 })) as unknown[][]
    expect(rows).toHaveLength(2)
    const row = rows[0] as unknown[]
    expect(row).toHaveLength(12)
    expect(typeof row[0]).toBe('number')
    expect(row[6]).toBe((row[0] as number) + 5 * MIN - 1)
    expect(typeof row[8]).toBe('number')
    for (const i of [1, 2, 3, 4, 5, 7, 9, 10]) expect(row[i]).toMatch(/^\d+\.\d{8}$/)
  })

  it('fetchTrades: the public tape, one trade per second, paged by since', async () => {
    const { ex } = await open()
    const since = Date.now() - 30 * MIN
    const trades = await ex.fetchTrades('BTC/USDT', since, 50)
    expect(trades).toHaveLength(50)
    expect(trades[0]?.timestamp).toBeGreaterThanOrEqual(since)
    for (let i = 1; i < trades.length; i++) {
      expect(Number(trades[i]?.id)).toBe(Number(trades[i - 1]?.id) + 1)
      expect(trades[i]?.timestamp).toBeGreaterThan(trades[i - 1]?.timestamp ?? 0)
    }
    expect(trades[0]?.cost).toBeCloseTo((trades[0]?.price ?? 0) * (trades[0]?.amount ?? 0), 6)
  })
})
