import ccxt from 'ccxt'
import { describe, expect, it } from 'vitest'
import { AppError, ERROR_KINDS } from '../../src/shared/contract/errors'
import {
  classifyExchangeError,
  endsFeed,
  mapExchangeError,
  retryAfterSeconds,
  scrubMessage,
  wasNotSent,
} from '../../src/main/exchange/errors'
import { registerSecret } from '../../src/main/log'
import { useTempDirs } from '../support/temp-dir'
import { useRig } from './support'

const newDir = useTempDirs()
const rig = useRig(newDir)

describe('which errors end a live feed', () => {
  it('ends it for an unknown market, a wrong request, refused keys and the unforeseen; waits out the rest', () => {
    const fatal = ERROR_KINDS.filter((kind) => endsFeed({ kind }))
    expect(fatal).toEqual(['validation', 'not_found', 'auth_failed', 'internal'])
  })

  it('reads ccxt errors as classified: a bad symbol ends it, a network failure does not', () => {
    const bad = classifyExchangeError(new ccxt.BadSymbol('binance does not have market symbol X/Y'))
    expect(endsFeed(bad.error)).toBe(true)
    const down = classifyExchangeError(new ccxt.NetworkError('ECONNRESET'), { mutating: false })
    expect(endsFeed(down.error)).toBe(false)
  })
})

describe('mapping ccxt errors to contract kinds (real ccxt error classes)', () => {
  const cases: Array<[string, Error, string]> = [
    [
      'RateLimitExceeded',
      new ccxt.RateLimitExceeded('binance {"code":-1003,"msg":"Too much request weight used"}'),
      'rate_limited',
    ],
    ['DDoSProtection', new ccxt.DDoSProtection('binance 418 I\'m a teapot {"code":-1003}'), 'rate_limited'],
    [
      'ExchangeNotAvailable',
      new ccxt.ExchangeNotAvailable('binance GET https://x/api/v3/time 503 Service Unavailable'),
      'unavailable',
    ],
    ['OnMaintenance', new ccxt.OnMaintenance('kraken is on maintenance'), 'unavailable'],
    ['NetworkError', new ccxt.NetworkError('binance GET https://x/api ECONNRESET'), 'unavailable'],
    ['AuthenticationError', new ccxt.AuthenticationError('binance {"code":-2015}'), 'auth_failed'],
    ['PermissionDenied', new ccxt.PermissionDenied('binance no trading permission'), 'auth_failed'],
    ['AccountSuspended', new ccxt.AccountSuspended('okx account suspended'), 'auth_failed'],
    [
      'InsufficientFunds',
      new ccxt.InsufficientFunds('binance Account has insufficient balance'),
      'insufficient_funds',
    ],
    ['InvalidOrder', new ccxt.InvalidOrder('binance Filter failure: LOT_SIZE'), 'invalid_order'],
    [
      'OrderImmediatelyFillable',
      new ccxt.OrderImmediatelyFillable('binance Order would immediately match'),
      'invalid_order',
    ],
    ['OrderNotFound', new ccxt.OrderNotFound('binance Order does not exist.'), 'not_found'],
    ['BadSymbol', new ccxt.BadSymbol('binance does not have market symbol FOO/BAR'), 'not_found'],
    ['BadRequest', new ccxt.BadRequest('binance {"code":-1102}'), 'validation'],
    ['ExchangeError', new ccxt.ExchangeError('binance something odd'), 'unavailable'],
    ['InvalidNonce', new ccxt.InvalidNonce('binance {"code":-1021}'), 'unavailable'],
  ]
  for (const [name, err, kind] of cases) {
    it(`${name} -> ${kind}`, () => {
      expect(mapExchangeError(err, { exchange: 'binance', operation: 'x' }).kind).toBe(kind)
    })
  }

  it('a timeout is outcome_unknown for a call that may have changed something, unavailable for a read', () => {
    const timeout = new ccxt.RequestTimeout(
      'binance POST https://x/api/v3/order request timed out (10000 ms)',
    )
    const w = mapExchangeError(timeout, { exchange: 'binance', operation: 'createOrder', mutating: true })
    expect(w.kind).toBe('outcome_unknown')
    expect(w.message).toMatch(/whether it went through is unknown until it is looked up/)
    expect(mapExchangeError(timeout, { exchange: 'binance', operation: 'createOrder' }).kind).toBe(
      'outcome_unknown',
    )
    expect(
      mapExchangeError(timeout, { exchange: 'binance', operation: 'fetchTicker', mutating: false }).kind,
    ).toBe('unavailable')
  })

  it('tells outages (which count against health) from answers of a working exchange', () => {
    expect(classifyExchangeError(new ccxt.ExchangeNotAvailable('x 503')).outage).toBe(true)
    expect(classifyExchangeError(new ccxt.RequestTimeout('x')).outage).toBe(true)
    expect(classifyExchangeError(new ccxt.RateLimitExceeded('x')).outage).toBe(true)
    expect(classifyExchangeError(new ccxt.InvalidOrder('x')).outage).toBe(false)
    expect(classifyExchangeError(new ccxt.AuthenticationError('x')).outage).toBe(false)
    expect(classifyExchangeError(new ccxt.InvalidNonce('x')).outage).toBe(false)
  })

  it('reads Retry-After (seconds or a date) and Binance’s "banned until"', () => {
    const now = Date.UTC(2025, 0, 1)
    expect(retryAfterSeconds('', { 'Retry-After': '7' }, now)).toBe(7)
    expect(retryAfterSeconds('', { 'retry-after': new Date(now + 30_500).toUTCString() }, now)).toBe(30)
    expect(retryAfterSeconds(`IP banned until ${now + 120_000}.`, undefined, now)).toBe(120)
    expect(retryAfterSeconds('nothing', {}, now)).toBeUndefined()
    const e = mapExchangeError(new ccxt.RateLimitExceeded('binance 429'), {
      exchange: 'binance',
      headers: { 'Retry-After': '3' },
    })
    expect(e).toMatchObject({ kind: 'rate_limited', retryAfter: 3 })
    // Not told: a second for a 429, a minute for a ban, so that callers always have a wait.
    expect(
      mapExchangeError(new ccxt.RateLimitExceeded('binance 429'), { exchange: 'binance' }),
    ).toMatchObject({
      retryAfter: 1,
    })
    expect(
      mapExchangeError(new ccxt.DDoSProtection("binance 418 I'm a teapot"), { exchange: 'binance' }),
    ).toMatchObject({
      kind: 'rate_limited',
      retryAfter: 60,
    })
  })

  it('passes AppErrors through and makes anything else internal', () => {
    const mine = new AppError('conflict', 'x')
    expect(mapExchangeError(mine)).toBe(mine)
    expect(mapExchangeError(new TypeError('boom')).kind).toBe('internal')
    expect(mapExchangeError('a string').kind).toBe('internal')
  })

  it('scrubs registered secrets, query strings and key-looking pairs from messages', () => {
    const key = 'k3yK3yK3yK3yK3yK3yK3yK3y'
    registerSecret(key)
    const msg = scrubMessage(
      `binance GET https://api.x/api/v3/account?timestamp=1&signature=abc 401 apiKey=${key} secret: "s3cr3t"`,
    )
    expect(msg).not.toContain(key)
    expect(msg).not.toContain('signature=abc')
    expect(msg).not.toContain('s3cr3t')
    const mapped = mapExchangeError(new ccxt.AuthenticationError(`binance invalid key ${key}`), {
      exchange: 'binance',
    })
    expect(mapped.message).not.toContain(key)
    expect(mapped.message).toContain('[redacted]')
  })
})

describe('errors from the simulator through real ccxt', () => {
  it('a 429 is rate_limited with the Retry-After of the answer', async () => {
    const { invoke, sim } = await rig()
    sim.faults.next('ticker24hr', '429', 1, { retryAfterS: 9 })
    const r = await invoke('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' })
    expect(r).toMatchObject({ ok: false, error: { kind: 'rate_limited', retryAfter: 9 } })
  })

  it('a 418 ban is rate_limited with the ban’s length', async () => {
    const { invoke, sim } = await rig()
    sim.faults.next('depth', '418', 1, { retryAfterS: 120 })
    const r = await invoke('exchange.orderBook', { exchange: 'binance', symbol: 'BTC/USDT' })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.kind).toBe('rate_limited')
    expect(r.error.retryAfter).toBeGreaterThanOrEqual(119)
    expect(r.error.retryAfter).toBeLessThanOrEqual(120)
  })

  it('a 5xx is unavailable', async () => {
    const { invoke, sim } = await rig()
    sim.faults.next('ticker24hr', '502', 1)
    expect(await invoke('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' })).toMatchObject({
      ok: false,
      error: { kind: 'unavailable' },
    })
  })

  it('a request that times out is reported, and a timed-out order is outcome_unknown', async () => {
    const { hub, sim, invoke } = await rig({
      deps: { connectionOptions: { timeoutMs: 1_000, rateLimitMs: 1 } },
    })
    expect((await invoke('exchange.markets', { exchange: 'binance' })).ok).toBe(true)
    sim.faults.next('ticker24hr', 'timeout', 1, { holdMs: 2_500 })
    expect(await invoke('exchange.ticker', { exchange: 'binance', symbol: 'BTC/USDT' })).toMatchObject({
      ok: false,
      error: { kind: 'unavailable', message: expect.stringMatching(/did not answer in time/) },
    })
    await hub.setKeys('binance', { apiKey: sim.apiKey, secret: sim.secret }, false)
    const connection = await hub.connection('binance')
    sim.faults.next('createOrder', 'timeout-exec', 1, { holdMs: 2_500 })
    const err = await connection
      .call('createOrder', (ex) => ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 10_000), {
        mutating: true,
        signed: true,
      })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ kind: 'outcome_unknown' })
    await sim.settled()
    // It did happen: which is why the outcome is "unknown", not "failed".
    expect(sim.state.orders({ symbol: 'BTCUSDT' })).toHaveLength(1)
  })

  it('marks errors raised before any request left as not sent, and only those', async () => {
    const { hub, sim } = await rig({
      deps: {
        connectionOptions: {
          rateLimitMs: 1,
          breaker: {
            failureThreshold: 1,
            baseOpenMs: 60_000,
            maxOpenMs: 60_000,
            stormCount: 3,
            stormWindowMs: 1,
          },
        },
      },
    })
    const connection = await hub.connection('binance')
    sim.faults.next('ticker24hr', '503')
    const answered = await connection.ticker('BTC/USDT').catch((e: unknown) => e)
    expect(answered).toMatchObject({ kind: 'unavailable' })
    expect(wasNotSent(answered)).toBe(false) // it reached the exchange, which failed
    const refused = await connection.ticker('BTC/USDT').catch((e: unknown) => e)
    expect(refused).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/circuit open/) })
    expect(wasNotSent(refused)).toBe(true)
    // No keys: ccxt refuses to sign before sending anything.
    const unsigned = await connection
      .call('createOrder', (ex) => ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 10_000), {
        mutating: true,
      })
      .catch((e: unknown) => e)
    expect(unsigned).toMatchObject({ kind: 'auth_failed' })
    expect(wasNotSent(unsigned)).toBe(true)
  })

  it('business errors of signed calls keep their kinds', async () => {
    const { hub, sim } = await rig({ sim: { balances: { USDT: 100, BTC: 0 } } })
    await hub.setKeys('binance', { apiKey: sim.apiKey, secret: sim.secret }, false)
    const connection = await hub.connection('binance')
    const order = (amount: number, price: number) =>
      connection
        .call('createOrder', (ex) => ex.createOrder('BTC/USDT', 'limit', 'buy', amount, price), {
          mutating: true,
          signed: true,
        })
        .catch((e: unknown) => e)
    expect(await order(1, 10_000)).toMatchObject({ kind: 'insufficient_funds' })
    expect(await order(0.000001, 10_000)).toMatchObject({ kind: 'invalid_order' })
    const missing = await connection
      .call('fetchOrder', (ex) => ex.fetchOrder('987654321', 'BTC/USDT'), { signed: true })
      .catch((e: unknown) => e)
    expect(missing).toMatchObject({ kind: 'not_found' })
  })

  it('a key the exchange does not know is auth_failed', async () => {
    const { invoke } = await rig()
    const r = await invoke('exchange.setKeys', {
      exchange: 'binance',
      apiKey: 'A'.repeat(64),
      secret: 'B'.repeat(64),
      verify: true,
    })
    expect(r).toMatchObject({ ok: false, error: { kind: 'auth_failed' } })
  })
})
