import { afterEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import type { CallContext } from '../../src/main/rpc/handlers'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const engines: Engine[] = []
afterEach(async () => {
  for (const e of engines.splice(0)) await e.close()
})

const ctx: CallContext = { transport: 'memory', peer: 'test' }

/** The real engine on a fresh data folder; calls go through its registry as a transport's do. */
function engine() {
  const e = createEngine({ dataDir: tempDir(), host: 'headless', log: silentLogger })
  engines.push(e)
  // Params arrive as JSON does: `1e400` and 400 digits parse to Infinity.
  return (name: string, json: string) => e.registry.invoke(name, JSON.parse(json), ctx)
}

const order = (fields: string) => `{"accountId":"demo-paper","symbol":"BTC/USDT","side":"buy",${fields}}`

describe('amounts and prices are decimal text, refused at the boundary when they are not', () => {
  it.each([
    ['an amount of 1e400 (Infinity in JSON)', order('"type":"market","amount":1e400'), 'params.amount'],
    ['an amount of 400 digits', order(`"type":"market","amount":${'9'.repeat(400)}`), 'params.amount'],
    ['an amount as a JSON number', order('"type":"market","amount":0.1'), 'params.amount'],
    ['a price of 1e999', order('"type":"limit","amount":"1","price":1e999'), 'params.price'],
    ['an amount with an exponent', order('"type":"market","amount":"1e308"'), 'params.amount'],
    ['an amount of 41 characters', order(`"type":"market","amount":"${'9'.repeat(41)}"`), 'params.amount'],
    ['a negative stop price', order('"type":"stop","amount":"1","stopPrice":"-5"'), 'params.stopPrice'],
    ['a zero notional', order('"type":"market","notional":"0.000"'), 'params.notional'],
  ])('%s is refused when the request is parsed', async (_, json, path) => {
    const call = engine()
    for (const name of ['trading.placeOrder', 'trading.validateOrder']) {
      const r = await call(name, json)
      expect(r).toMatchObject({ ok: false, error: { kind: 'validation', path } })
    }
    // Nothing was stored: the order never became an intent.
    const orders = await call('trading.orders', '{"accountId":"demo-paper"}')
    expect(orders).toEqual({ ok: true, value: [] })
  })

  it('says what it wants: decimal text, not a number', async () => {
    const r = await engine()('trading.placeOrder', order('"type":"market","amount":0.1'))
    expect(r).toEqual({
      ok: false,
      error: {
        kind: 'validation',
        path: 'params.amount',
        message: 'params.amount: a decimal number as text, such as "0.1" (a JSON string, not a number)',
      },
    })
  })

  it('calls a huge order what it is, exactly: short of funds by the exact amount, nothing stored', async () => {
    const call = engine()
    // 39 digits: a double could not hold it (it was "short by Infinity" once); decimal text can.
    const amount = `1${'0'.repeat(38)}`
    const r = await call('trading.placeOrder', order(`"type":"limit","amount":"${amount}","price":"2.5"`))
    expect(r).toMatchObject({ ok: false, error: { kind: 'insufficient_funds', path: 'params.amount' } })
    if (!r.ok) {
      expect(r.error.message).toBe(
        `buying ${amount}.00000 BTC needs 250000000000000000000000000000000000000.00 USDT, 10000.00 USDT is free: short by 249999999999999999999999999999999990000.00`,
      )
    }
    const orders = await call('trading.orders', '{"accountId":"demo-paper"}')
    expect(orders).toEqual({ ok: true, value: [] })
  })
})

describe('large answers are bounded by the contract', () => {
  it('market.candles: at most 100000 bars per request', async () => {
    const call = engine()
    const r = await call(
      'market.candles',
      '{"source":"demo","symbol":"BTC/USDT","timeframe":"1m","limit":100001}',
    )
    expect(r).toEqual({
      ok: false,
      error: {
        kind: 'validation',
        path: 'params.limit',
        message: 'params.limit: at most 100000 bars per request',
      },
    })
    const ok = await call(
      'market.candles',
      '{"source":"demo","symbol":"BTC/USDT","timeframe":"1m","limit":100000}',
    )
    expect(ok.ok).toBe(true)
  })

  it('charting.series: at most 100000 bars, and bars × instances at most 1000000', async () => {
    const call = engine()
    const series = (limit: number, n: number) =>
      call(
        'charting.series',
        JSON.stringify({
          source: 'demo',
          symbol: 'BTC/USDT',
          timeframe: '1m',
          limit,
          instances: Array.from({ length: n }, () => ({ id: 'sma' })),
        }),
      )
    expect(await series(100_001, 1)).toMatchObject({
      ok: false,
      error: {
        kind: 'validation',
        path: 'params.limit',
        message: 'params.limit: at most 100000 bars per request',
      },
    })
    const tooMany = await series(62_501, 16)
    expect(tooMany).toMatchObject({ ok: false, error: { kind: 'validation', path: 'params.limit' } })
    if (!tooMany.ok) expect(tooMany.error.message).toMatch(/at most 1000000 bars × instances per request/)
    const fits = await series(62_500, 16)
    expect(fits.ok).toBe(true)
  }, 30_000)
})
