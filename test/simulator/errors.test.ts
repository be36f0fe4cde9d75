import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { sign, signedPayload } from './auth'
import { binanceClientFor } from './ccxt-client'
import { failure, useSimulators } from './harness'
import { randomCredential } from './server'

describe('simulator security and errors, as ccxt sees them', () => {
  const open = useSimulators()

  it('signs like Binance: HMAC-SHA256 of query string + body (documented examples)', () => {
    // Binance spot API docs, "SIGNED endpoint examples for POST /api/v3/order" (examples 1 and 3).
    const secret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'
    const all =
      'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559'
    expect(sign(secret, signedPayload('', all))).toBe(
      'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71',
    )
    const query = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC'
    const body = 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559'
    expect(sign(secret, signedPayload(query, `${body}&signature=x`))).toBe(
      '0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77',
    )
  })

  it('accepts a request split between query string and body, signed over both', async () => {
    const { sim } = await open()
    const query = `symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC`
    const body = `quantity=0.001&price=10000&timestamp=${Date.now()}`
    const signature = sign(sim.secret, query + body)
    const res = await fetch(`${sim.url}/api/v3/order?${query}`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': sim.apiKey, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `${body}&signature=${signature}`,
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ symbol: 'BTCUSDT', status: 'NEW', price: '10000.00000000' })
    expect(Number(res.headers.get('x-sim-time-us'))).toBeGreaterThan(0)
  })

  it('a wrong secret is -1022, an AuthenticationError', async () => {
    const { sim } = await open()
    const ex = binanceClientFor({ url: sim.url, apiKey: sim.apiKey, secret: randomCredential() })
    await ex.loadMarkets()
    const e = await failure(ex.fetchBalance())
    expect(e).toBeInstanceOf(ccxt.AuthenticationError)
    expect(e.message).toContain('-1022')
    expect(sim.state.requests({ kind: 'account' })[0]?.code).toBe(-1022)
  })

  it('an unknown API key is -2015, a malformed one -2014: both AuthenticationError', async () => {
    const { sim } = await open()
    const unknown = binanceClientFor({ url: sim.url, apiKey: randomCredential(), secret: sim.secret })
    const e1 = await failure(unknown.fetchBalance())
    expect(e1).toBeInstanceOf(ccxt.AuthenticationError)
    expect(e1.message).toContain('-2015')
    const malformed = binanceClientFor({ url: sim.url, apiKey: 'not-a-key', secret: sim.secret })
    const e2 = await failure(malformed.fetchBalance())
    expect(e2).toBeInstanceOf(ccxt.AuthenticationError)
    expect(e2.message).toContain('-2014')
  })

  it('timestamps outside recvWindow or ahead of the server are -1021, an InvalidNonce', async () => {
    const { sim, ex } = await open()
    sim.clock.setSkew(20_000) // server ahead: the request looks 20 s old, recvWindow is 10 s
    const old = await failure(ex.fetchBalance())
    expect(old).toBeInstanceOf(ccxt.InvalidNonce)
    expect(old.message).toContain('outside of the recvWindow')
    sim.clock.setSkew(-5_000) // server behind: the request looks 5 s ahead
    const ahead = await failure(ex.fetchBalance())
    expect(ahead).toBeInstanceOf(ccxt.InvalidNonce)
    expect(ahead.message).toContain("ahead of the server's time")
    sim.clock.setSkew(0)
    expect((await ex.fetchBalance())['USDT']?.total).toBe(100_000)
  })

  it('recvWindow above 60000 is refused (-1131)', async () => {
    const { ex } = await open()
    const e = await failure(ex.fetchBalance({ recvWindow: 70_000 }))
    expect(e).toBeInstanceOf(ccxt.ExchangeError)
    expect(e.message).toContain('-1131')
  })

  it('insufficient balance is -2010 with the text ccxt maps to InsufficientFunds', async () => {
    const { ex } = await open()
    const e = await failure(ex.createOrder('BTC/USDT', 'market', 'buy', 5))
    expect(e).toBeInstanceOf(ccxt.InsufficientFunds)
    const e2 = await failure(ex.createOrder('ETH/USDT', 'limit', 'sell', 11, 10_000))
    expect(e2).toBeInstanceOf(ccxt.InsufficientFunds)
  })

  it('filter failures: LOT_SIZE and PRICE_FILTER are InvalidOrder, NOTIONAL is -1013', async () => {
    const { sim, ex } = await open()
    const lot = await failure(ex.createOrder('BTC/USDT', 'limit', 'buy', 9_001, 10))
    expect(lot).toBeInstanceOf(ccxt.InvalidOrder)
    expect(lot.message).toContain('Filter failure: LOT_SIZE')
    const off = await failure(
      ex.privatePostOrder({
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.000015',
        price: '50000',
      }),
    )
    expect(off).toBeInstanceOf(ccxt.InvalidOrder)
    const tick = await failure(
      ex.privatePostOrder({
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        timeInForce: 'GTC',
        quantity: '0.001',
        price: '50000.005',
      }),
    )
    expect(tick).toBeInstanceOf(ccxt.InvalidOrder)
    expect(tick.message).toContain('PRICE_FILTER')
    // ccxt maps -1013 by code to BadRequest; only LOT_SIZE and PRICE_FILTER get InvalidOrder by text.
    const notional = await failure(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.00005, 50_000))
    expect(notional).toBeInstanceOf(ccxt.BadRequest)
    expect(notional.message).toContain('Filter failure: NOTIONAL')
    expect(sim.state.orders()).toHaveLength(0)
  })

  it('unknown orders: fetch is -2013, cancel is -2011, both OrderNotFound', async () => {
    const { ex } = await open()
    const fetchErr = await failure(ex.fetchOrder('123', 'BTC/USDT'))
    expect(fetchErr).toBeInstanceOf(ccxt.OrderNotFound)
    expect(fetchErr.message).toContain('-2013')
    const cancelErr = await failure(ex.cancelOrder('123', 'BTC/USDT'))
    expect(cancelErr).toBeInstanceOf(ccxt.OrderNotFound)
    expect(cancelErr.message).toContain('-2011')
  })

  it('bad parameters: -1102 missing, -1100 malformed, -1121 unknown symbol', async () => {
    const { ex } = await open()
    const missing = await failure(ex.privateGetOrder({ symbol: 'BTCUSDT' }))
    expect(missing).toBeInstanceOf(ccxt.BadRequest)
    expect(missing.message).toContain("Param 'orderId' or 'origClientOrderId' must be sent")
    const malformed = await failure(ex.privateGetOrder({ symbol: 'BTCUSDT', orderId: 'abc' }))
    expect(malformed).toBeInstanceOf(ccxt.BadRequest)
    expect(malformed.message).toContain('-1100')
    const symbol = await failure(ex.publicGetDepth({ symbol: 'DOGEUSDT' }))
    expect(symbol).toBeInstanceOf(ccxt.BadSymbol)
    const interval = await failure(ex.publicGetKlines({ symbol: 'BTCUSDT', interval: '7m' }))
    expect(interval.message).toContain('-1120')
  })
})
