import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { failure, useSimulators } from './harness'

describe('simulator fault injection, observed from ccxt', () => {
  const open = useSimulators()

  it('latency: the request takes at least the added delay, and the simulator reports its own time', async () => {
    const { sim, ex } = await open()
    // Node timers may fire up to a millisecond early against the high-resolution clock.
    sim.faults.delayNext('time', 150)
    const t0 = performance.now()
    await ex.fetchTime()
    expect(performance.now() - t0).toBeGreaterThanOrEqual(148)
    const headers = ex.last_response_headers as Record<string, string>
    expect(Number(headers['X-Sim-Time-Us'])).toBeGreaterThanOrEqual(148_000)
    expect(Number(headers['X-Sim-Work-Us'])).toBeLessThan(50_000)
    const rec = sim.state.requests({ kind: 'time' })[0]
    expect(rec?.simTimeUs).toBeGreaterThanOrEqual(148_000)
    expect(rec?.outcome).toBe('ok')
    // Without a fault the same call is fast and still timed.
    await ex.fetchTime()
    expect(Number((ex.last_response_headers as Record<string, string>)['X-Sim-Time-Us'])).toBeLessThan(
      100_000,
    )
    expect(sim.stats('time').sim.count).toBe(2)
  })

  it('timeout: held past the client timeout and never processed', async () => {
    const { sim, ex } = await open()
    sim.faults.next('createOrder', 'timeout', 1, { holdMs: 300 })
    // Short client timeout for the faulted call only, so a loaded machine cannot fail the others.
    ex.timeout = 150
    const e = await failure(
      ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 10_000, { clientOrderId: 'lost-1' }),
    )
    ex.timeout = 10_000
    expect(e).toBeInstanceOf(ccxt.RequestTimeout)
    await sim.settled()
    expect(sim.state.orders({ clientOrderId: 'lost-1' })).toHaveLength(0)
    const rec = sim.state.requests({ kind: 'createOrder' })[0]
    expect([rec?.fault, rec?.runs.length, rec?.outcome]).toEqual(['timeout', 0, 'faulted'])
    expect(rec?.simTimeUs).toBeGreaterThanOrEqual(298_000)
    await expect(ex.fetchOrder('', 'BTC/USDT', { origClientOrderId: 'lost-1' })).rejects.toBeInstanceOf(
      ccxt.OrderNotFound,
    )
  })

  it('timeout-exec: held past the client timeout, then processed: the order exists', async () => {
    // recvWindow shorter than the hold: timestamps are checked on arrival, not after the hold.
    const { sim, ex } = await open({ faults: 'hold=300' }, { options: { recvWindow: 100 } })
    sim.faults.next('createOrder', 'timeout-exec')
    ex.timeout = 150
    const e = await failure(
      ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 10_000, { clientOrderId: 'late-1' }),
    )
    ex.timeout = 10_000
    expect(e).toBeInstanceOf(ccxt.RequestTimeout)
    await sim.settled()
    expect(sim.state.orders({ clientOrderId: 'late-1' })).toHaveLength(1)
    const found = await ex.fetchOrder('', 'BTC/USDT', { origClientOrderId: 'late-1' })
    expect([found.status, found.price]).toEqual(['open', 10_000])
    expect(sim.state.requests({ kind: 'createOrder' })[0]?.runs).toEqual([{ status: 200 }])
  })

  it('429 and 418: DDoSProtection with Retry-After, nothing processed', async () => {
    const { sim, ex } = await open()
    sim.faults.next('account', '429', 1, { retryAfterS: 3 })
    const e429 = await failure(ex.fetchBalance())
    expect(e429).toBeInstanceOf(ccxt.DDoSProtection)
    expect(e429.message).toContain('-1003')
    expect((ex.last_response_headers as Record<string, string>)['Retry-After']).toBe('3')
    sim.faults.next('private', '418')
    const e418 = await failure(ex.fetchOpenOrders('BTC/USDT'))
    expect(e418).toBeInstanceOf(ccxt.DDoSProtection)
    expect(e418.message).toContain('IP banned until')
    expect(sim.state.requestCounts()['account']).toEqual({ total: 1, ok: 0, error: 0, faulted: 1 })
    expect((await ex.fetchBalance())['USDT']?.free).toBe(100_000)
  })

  it('500, 502, 503: gateway errors ccxt reports as ExchangeNotAvailable', async () => {
    const { sim, ex } = await open()
    for (const status of ['500', '502', '503'] as const) {
      sim.faults.next('depth', status)
      const e = await failure(ex.fetchOrderBook('BTC/USDT'))
      expect(e).toBeInstanceOf(ccxt.ExchangeNotAvailable)
      expect(String(ex.last_http_response)).toContain(`<h1>${status}`)
    }
    expect(sim.state.requests({ kind: 'depth' }).map((r) => r.status)).toEqual([500, 502, 503])
  })

  it('drop-after-accept: the connection dies after the order is created; it can be found by client id', async () => {
    const { sim, ex } = await open()
    sim.market.setPrice('ETHUSDT', 3_000, { freeze: true })
    sim.faults.next('createOrder', 'drop-after-accept')
    const e = await failure(
      ex.createOrder('ETH/USDT', 'market', 'buy', 0.1, undefined, { clientOrderId: 'dropped-1' }),
    )
    expect(e).toBeInstanceOf(ccxt.NetworkError)
    expect(e).not.toBeInstanceOf(ccxt.RequestTimeout)
    const found = await ex.fetchOrder('', 'ETH/USDT', { origClientOrderId: 'dropped-1' })
    expect([found.status, found.filled]).toEqual(['closed', 0.1])
    const rec = sim.state.requests({ kind: 'createOrder' })[0]
    expect(rec?.status).toBeUndefined()
    expect(rec?.runs).toEqual([{ status: 200 }])
  })

  it('reset: the connection dies before processing; nothing happened', async () => {
    const { sim, ex } = await open()
    sim.faults.next('createOrder', 'reset')
    const e = await failure(
      ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 10_000, { clientOrderId: 'reset-1' }),
    )
    expect(e).toBeInstanceOf(ccxt.NetworkError)
    expect(sim.state.orders()).toHaveLength(0)
  })

  it('duplicate delivery: processed twice, the copy is refused, one order exists', async () => {
    const { sim, ex } = await open()
    sim.market.setPrice('BTCUSDT', 60_000, { freeze: true })
    sim.faults.next('createOrder', 'duplicate', 2)
    const limit = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50_000, {
      clientOrderId: 'twice-1',
    })
    expect(limit.status).toBe('open')
    // A market order is FILLED at once; the default policy still refuses the repeated id.
    const market = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, {
      clientOrderId: 'twice-2',
    })
    expect(market.status).toBe('closed')
    expect(sim.state.orders()).toHaveLength(2)
    for (const rec of sim.state.requests({ kind: 'createOrder' })) {
      expect(rec.runs).toEqual([{ status: 200 }, { status: 400, code: -2010 }])
    }
    expect(sim.state.balances()['BTC']?.total).toBeCloseTo(1 + 0.001 - 0.000001, 8)
  })

  it("duplicate delivery under Binance's documented id rule re-executes a filled market order", async () => {
    const { sim, ex } = await open({ clientOrderIdReuse: 'filled' })
    sim.faults.next('createOrder', 'duplicate')
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'twice-3' })
    expect(sim.state.orders({ clientOrderId: 'twice-3' })).toHaveLength(2)
  })

  it('partial: only part of the marketable quantity fills; a market order ends EXPIRED, a limit rests', async () => {
    const { sim, ex } = await open()
    sim.market.setPrice('LTCUSDT', 80, { freeze: true })
    sim.faults.next('createOrder', 'partial', 2, { fraction: 0.4 })
    const market = await ex.createOrder('LTC/USDT', 'market', 'buy', 1)
    expect([market.status, market.filled, market.info['status']]).toEqual(['expired', 0.4, 'EXPIRED'])
    const limit = await ex.createOrder('LTC/USDT', 'limit', 'buy', 1, 81)
    expect([limit.status, limit.filled, limit.remaining]).toEqual(['open', 0.4, 0.6])
    expect(sim.state.balances()['USDT']?.locked).toBeCloseTo(0.6 * 81, 8)
  })

  it('probabilistic rules are seeded: the same seed and requests see the same faults', async () => {
    const pattern = async (seed: number) => {
      const { sim, ex } = await open({ seed, faults: 'time:429=0.3,ping:latency=1' })
      const out: string[] = []
      for (let i = 0; i < 40; i++) {
        out.push(
          await ex.fetchTime().then(
            () => '.',
            () => 'x',
          ),
        )
      }
      expect(sim.state.requestCounts()['time']?.faulted).toBe(out.filter((c) => c === 'x').length)
      return out.join('')
    }
    const a = await pattern(5)
    expect(await pattern(5)).toBe(a)
    const hits = a.split('').filter((c) => c === 'x').length
    expect(hits).toBeGreaterThan(3)
    expect(hits).toBeLessThan(25)
    expect(await pattern(6)).not.toBe(a)
  })

  it('scopes: "order:5xx=1" fails every order request and nothing else', async () => {
    const { sim, ex } = await open({ faults: 'order:5xx=1' })
    expect((await ex.fetchBalance())['USDT']?.total).toBe(100_000)
    await expect(ex.createOrder('BTC/USDT', 'market', 'buy', 0.001)).rejects.toBeInstanceOf(
      ccxt.ExchangeNotAvailable,
    )
    await expect(ex.fetchOrder('1', 'BTC/USDT')).rejects.toBeInstanceOf(ccxt.ExchangeNotAvailable)
    sim.faults.clear()
    expect((await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001)).status).toBe('closed')
  })

  it('a real REQUEST_WEIGHT limit answers 429 with the seconds left in the minute', async () => {
    const { sim, ex } = await open({ weightLimitPerMinute: 30 })
    let limited: Error | undefined
    for (let i = 0; i < 61 && !limited; i++) {
      limited = await ex.publicGetTime().then(
        () => undefined,
        (e: Error) => e,
      )
    }
    expect(limited).toBeInstanceOf(ccxt.DDoSProtection)
    const retryAfter = Number((ex.last_response_headers as Record<string, string>)['Retry-After'])
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(sim.state.requests({ kind: 'time' }).some((r) => r.status === 429 && r.code === -1003)).toBe(true)
  })
})
