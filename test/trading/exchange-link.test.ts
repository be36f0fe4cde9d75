/**
 * Live accounts trade through the exchange hub's connection: its keys, its circuit breaker, its
 * health statistics and its clock-skew guard (real ccxt against the simulator on loopback).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/contract/errors'
import type { BreakerOptions } from '../../src/main/exchange/breaker'
import { addressOf, loadKeys } from '../../src/main/exchange/keys'
import { redact } from '../../src/main/log'
import { memorySecretStore } from '../../src/main/secrets/store'
import type { TradingService } from '../../src/main/trading/service'
import { startSimulator, type Simulator } from '../simulator/server'
import { useTempDirs } from '../support/temp-dir'
import { offsetClock } from '../exchange/support'
import { exchangeHub, openTradingDb, Prices, service } from './support'

const tempDir = useTempDirs()
const sims: Simulator[] = []
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()))
})

const L = 'sim'

async function setup(opts: { clockOffsetMs?: number; breaker?: BreakerOptions; keys?: boolean } = {}) {
  const s = await startSimulator({ seed: 4 })
  sims.push(s)
  s.market.setPrice('BTCUSDT', 60_000, { freeze: true })
  const db = openTradingDb(tempDir())
  const clock = offsetClock(opts.clockOffsetMs ?? 0)
  const secrets = memorySecretStore()
  const hub = exchangeHub(db, clock, {
    secrets,
    connectionOptions: { rateLimitMs: 1, ...(opts.breaker ? { breaker: opts.breaker } : {}) },
  })
  const svc = service(db, clock, new Prices(), { exchanges: hub })
  const account = await svc.saveAccount({
    id: L,
    name: 'Simulated Binance',
    mode: 'live',
    exchangeId: 'binance',
    apiUrl: s.url,
    liveEnabled: opts.keys !== false,
    ...(opts.keys === false ? {} : { apiKey: s.apiKey, secret: s.secret, checkKeys: true }),
  })
  return { s, hub, svc, secrets, account }
}

const order = (p: Record<string, unknown> = {}) =>
  ({
    accountId: L,
    symbol: 'BTC/USDT',
    side: 'buy',
    type: 'market',
    amount: '0.001',
    confirm: true,
    ...p,
  }) as Parameters<TradingService['placeOrder']>[0]

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`)
  return err
}

describe('live accounts on the exchange hub', () => {
  it('names the hub’s connection: its URL, and keys set with exchange.setKeys', async () => {
    const { s, hub, svc, account } = await setup({ keys: false })
    expect(account).toMatchObject({ apiUrl: s.url, hasKeys: false, keyHint: null })
    expect(hub.connectionConfig('binance').apiUrl).toBe(s.url)
    const { maskedKey } = await hub.setKeys('binance', { apiKey: s.apiKey, secret: s.secret }, true)
    expect(svc.accounts().find((a) => a.id === L)).toMatchObject({ hasKeys: true, keyHint: maskedKey })
    await svc.saveAccount({ id: L, name: 'Simulated Binance', mode: 'live', liveEnabled: true })
    expect((await svc.placeOrder(order())).status).toBe('filled')
    await hub.removeKeys('binance')
    expect(svc.accounts().find((a) => a.id === L)).toMatchObject({ hasKeys: false, keyHint: null })
  })

  it('keeps keys given with the account as the connection’s: one secret, registered for redaction', async () => {
    const { s, hub, secrets, account } = await setup()
    expect(await secrets.list()).toEqual(['exchange:binance'])
    expect(await loadKeys(secrets, 'binance', addressOf(hub.connectionConfig('binance')))).toEqual({
      apiKey: s.apiKey,
      secret: s.secret,
    })
    expect(account.keyHint).toBe(hub.connectionConfig('binance').maskedKey)
    expect(account.keyHint).not.toBeNull()
    expect(redact(`signed with ${s.secret} and ${s.apiKey}`)).toBe('signed with [redacted] and [redacted]')
  })

  it('refuses a second live account on the same connection, changing nothing', async () => {
    const { svc, secrets, hub } = await setup()
    const err = await refusal(
      svc.saveAccount({
        name: 'Other',
        mode: 'live',
        exchangeId: 'binance',
        apiKey: 'x'.repeat(64),
        secret: 'y',
      }),
    )
    expect(err).toMatchObject({ kind: 'conflict', path: 'params.exchangeId' })
    expect(svc.accounts().map((a) => a.id)).toEqual(['demo-paper', L])
    expect((await loadKeys(secrets, 'binance', addressOf(hub.connectionConfig('binance'))))?.apiKey).not.toBe(
      'x'.repeat(64),
    )
  })

  it('counts every request of an order in the connection’s health', async () => {
    const { s, hub, svc } = await setup()
    const before = s.state.requests().length
    const placed = await svc.placeOrder(order())
    expect(placed.status).toBe('filled')
    const sent = s.state.requests().slice(before)
    expect(sent.map((r) => r.kind)).toContain('createOrder')
    const [health] = hub.health('binance')
    expect(health?.samples).toBe(sent.length)
    expect(health?.successRate).toBe(1)
  })

  it('refuses an order while the circuit is open: not placed, and nothing reaches the exchange', async () => {
    const { s, hub, svc } = await setup({
      breaker: {
        failureThreshold: 1,
        baseOpenMs: 60_000,
        maxOpenMs: 60_000,
        stormCount: 3,
        stormWindowMs: 10_000,
      },
    })
    // Markets and balances first, so that the order itself is the only request left to make.
    await (await svc.venue(svc.account(L))).loadMarkets()
    await svc.balances(L)
    s.faults.next('ticker24hr', '503')
    await expect((await hub.connection('binance')).ticker('BTC/USDT')).rejects.toMatchObject({
      kind: 'unavailable',
    })
    expect(hub.health('binance')[0]?.state).toBe('open')

    const before = s.state.requests().length
    const err = await refusal(svc.placeOrder(order({ type: 'limit', price: '50000' })))
    expect(err).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/circuit open/) })
    expect(s.state.requests().slice(before)).toEqual([])
    const [o] = svc.orders(L, { limit: 10 })
    expect(o).toMatchObject({ status: 'not_placed', error: { kind: 'unavailable' } })
    expect(o!.error!.message).toMatch(/circuit open/)
  })

  it('refuses to sign an order when the clock is too far off, until the connection adjusts for it', async () => {
    // This computer's clock 30 s ahead of the exchange's, and the connection signing with ours.
    const { s, hub, svc } = await setup({ clockOffsetMs: 30_000 })
    await hub.configure('binance', { adjustForTimeDifference: false })
    const err = await refusal(svc.placeOrder(order()))
    expect(err.kind).toBe('unavailable')
    expect(err.message).toMatch(
      /Refusing to sign a request to binance: this computer's clock is 30\.\d s ahead/,
    )
    expect(s.state.requests({ kind: 'time' }).length).toBeGreaterThan(0) // it measured
    expect(s.state.requests({ kind: 'createOrder' })).toEqual([])
    expect(svc.orders(L, { limit: 10 })[0]).toMatchObject({ status: 'not_placed' })
    expect(hub.health('binance')[0]?.clockSkew).toMatchObject({ withinWindow: false, adjusted: false })

    // Signing with the exchange's clock instead: the account's venue follows the connection.
    await hub.configure('binance', { adjustForTimeDifference: true })
    const placed = await svc.placeOrder(order())
    expect(placed.status).toBe('filled')
    expect(s.state.requests({ kind: 'createOrder' })).toHaveLength(1)
  })
})
