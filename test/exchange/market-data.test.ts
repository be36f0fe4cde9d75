import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../support/temp-dir'
import { expectOk, useRig } from './support'

const newDir = useTempDirs()
const rig = useRig(newDir)

describe('public market data from the simulator through real ccxt', () => {
  it('loads markets with precision, limits and fees', async () => {
    const { invoke, sim } = await rig()
    const markets = expectOk(await invoke('exchange.markets', { exchange: 'binance' }))
    const btc = markets.find((m) => m.symbol === 'BTC/USDT')
    expect(btc).toMatchObject({
      id: 'BTCUSDT',
      base: 'BTC',
      quote: 'USDT',
      type: 'spot',
      precisionMode: 'tick',
      precision: { price: 0.01, amount: 0.00001 },
      limits: { amount: { min: 0.00001, max: 9000 }, cost: { min: 5 } },
    })
    expect(btc?.maker).toBeGreaterThan(0)
    // Only spot exchangeInfo was asked for (no fapi/dapi, no sapi).
    expect(sim.state.requests().map((r) => r.path)).toEqual(['/api/v3/exchangeInfo'])
    // Loaded once: a second call sends nothing.
    expectOk(await invoke('exchange.markets', { exchange: 'binance' }))
    expect(sim.state.requests()).toHaveLength(1)
  })

  it('fetches a ticker and an order book', async () => {
    const { invoke, sim } = await rig()
    const t = expectOk(await invoke('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' }))
    const price = sim.market.price('BTCUSDT')
    expect(t.last).not.toBeNull()
    expect(Math.abs(t.last! - price) / price).toBeLessThan(0.01)
    const ob = expectOk(
      await invoke('exchange.orderBook', { exchange: 'binance', symbol: 'BTC/USDT', depth: 5 }),
    )
    expect(ob.bids).toHaveLength(5)
    expect(ob.asks).toHaveLength(5)
    expect(ob.bids[0]![0]).toBeLessThan(ob.asks[0]![0])
    for (let i = 1; i < 5; i++) {
      expect(ob.bids[i]![0]).toBeLessThan(ob.bids[i - 1]![0])
      expect(ob.asks[i]![0]).toBeGreaterThan(ob.asks[i - 1]![0])
    }
  })

  it('answers not_found for an unknown exchange or symbol', async () => {
    const { invoke } = await rig()
    const ex = await invoke('exchange.ticker', { exchange: 'nosuchexchange', symbol: 'BTC/USDT' })
    expect(ex).toMatchObject({ ok: false, error: { kind: 'not_found' } })
    const sym = await invoke('exchange.ticker', { exchange: 'binance', symbol: 'NOPE/USDT' })
    expect(sym).toMatchObject({ ok: false, error: { kind: 'not_found', path: 'params.symbol' } })
  })
})
