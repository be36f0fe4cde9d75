import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { AppError } from '../../src/shared/contract/errors'
import { tradingContract } from '../../src/shared/contract/trading'
import type { TradingUpdate } from '../../src/shared/domain/trading'
import { createDemoMarket } from '../../src/main/demo'
import { addressOf, loadKeys } from '../../src/main/exchange/keys'
import { memorySecretStore } from '../../src/main/secrets/store'
import { demoPaperMarkets, demoPriceSource } from '../../src/main/trading/demo-prices'
import { createTradingDomain } from '../../src/main/trading/handlers'
import { insertEvent, saveBalanceSnapshot } from '../../src/main/trading/store'
import { useTempDirs } from '../support/temp-dir'
import { exchangeHub, fakeExchange, FaultyVenue, ManualClock, openTradingDb, Prices } from './support'

const tempDir = useTempDirs()
type Cmd = Exclude<keyof typeof tradingContract, 'trading.updates' | 'trading.market' | 'trading.quote'>
type Out<N extends Cmd> = z.output<(typeof tradingContract)[N]['result']>
const ctx = { transport: 'memory' as const, peer: 'test' }

/** Every table with rows per account, and the column that names the account. */
const TABLES = [
  ['trading_accounts', 'id'],
  ['trading_orders', 'account_id'],
  ['trading_fills', 'account_id'],
  ['reconciliation_events', 'account_id'],
  ['trading_balance_snapshots', 'account_id'],
  ['paper_settings', 'account_id'],
  ['paper_balances', 'account_id'],
  ['paper_orders', 'account_id'],
] as const

function setup() {
  const dir = tempDir()
  const db = openTradingDb(join(dir, 'app'))
  const clock = new ManualClock(Date.UTC(2025, 5, 2, 10))
  const demo = createDemoMarket({ seed: 3 })
  const prices = demoPriceSource(demo, clock)
  const secrets = memorySecretStore()
  const hub = exchangeHub(db, clock, { secrets })
  // A live account's exchange: a paper book in its own database, behind a venue that can lose answers.
  const exchangePrices = new Prices().set('BTC/USDT', { bid: 99, ask: 100, last: 99.5 })
  const exchange = fakeExchange(join(dir, 'exchange'), clock, exchangePrices)
  const faulty = new FaultyVenue(exchange.venue, 5_000)
  const { service, handlers } = createTradingDomain({
    db,
    clock,
    prices,
    paperMarkets: () => demoPaperMarkets(demo, clock),
    exchanges: hub,
    liveVenue: () => faulty,
    timers: false,
    outcomeMarginMs: 1_000,
    coalesceMs: 1,
  })
  /** Parses params like the registry does, runs the handler, and checks the result against the contract. */
  async function call<N extends Cmd>(name: N, raw: unknown): Promise<Out<N>> {
    const def = tradingContract[name] as unknown as { params: z.ZodType; result: z.ZodType }
    const params = def.params.parse(raw)
    const handler = handlers[name] as unknown as (p: unknown, c: typeof ctx) => unknown
    return def.result.parse(await handler(params, ctx)) as Out<N>
  }
  /** Rows per table for one account. */
  const rows = (accountId: string): Record<string, number> =>
    Object.fromEntries(
      TABLES.map(([table, column]) => [
        table,
        (
          db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`).get(accountId) as {
            n: number
          }
        ).n,
      ]),
    )
  return { db, clock, prices, hub, secrets, faulty, service, call, rows }
}

type World = ReturnType<typeof setup>

/** A paper account with a filled market order, a resting limit order (canceled), an event and a snapshot. */
async function paperWithHistory(w: World, name: string): Promise<string> {
  const account = await w.call('trading.saveAccount', { name, mode: 'paper' })
  const id = account.id
  const base = { accountId: id, symbol: 'BTC/USDT' }
  const filled = await w.call('trading.placeOrder', {
    ...base,
    side: 'buy',
    type: 'market',
    notional: '1000',
  })
  expect(filled.status).toBe('filled')
  const price = Math.round(Number(filled.average!) * 0.5)
  const resting = await w.call('trading.placeOrder', {
    ...base,
    side: 'buy',
    type: 'limit',
    amount: (100 / price).toFixed(4),
    price: String(price),
  })
  expect(resting.status).toBe('open')
  await w.call('trading.cancelOrder', { accountId: id, clientOrderId: resting.clientOrderId })
  insertEvent(w.db, {
    accountId: id,
    time: w.clock.now(),
    kind: 'state_mismatch',
    symbol: 'BTC/USDT',
    clientOrderId: null,
    exchangeOrderId: null,
    detail: 'test event',
  })
  saveBalanceSnapshot(
    w.db,
    id,
    [{ asset: 'USDT', free: '1', used: '0', total: '1', decimals: null }],
    w.clock.now(),
  )
  return id
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

describe('trading.deleteAccount', () => {
  it('deletes every row of the account in one go, and nothing of another account', async () => {
    const w = setup()
    const gone = await paperWithHistory(w, 'Scalp paper')
    const kept = await paperWithHistory(w, 'Swing paper')
    const before = w.rows(gone)
    for (const [table] of TABLES) {
      expect(before[table], table).toBeGreaterThan(0)
    }
    const keptBefore = w.rows(kept)
    const demoBefore = w.rows('demo-paper')

    const preview = await w.call('trading.deleteAccount', { accountId: gone, dryRun: true })
    expect(preview).toEqual({
      accountId: gone,
      name: 'Scalp paper',
      mode: 'paper',
      deleted: false,
      orders: 2,
      fills: 1,
      reconciliationEvents: 1,
    })
    expect(w.rows(gone)).toEqual(before)

    const result = await w.call('trading.deleteAccount', { accountId: gone, confirm: true })
    expect(result).toEqual({ ...preview, deleted: true })
    expect(Object.values(w.rows(gone)).every((n) => n === 0)).toBe(true)
    expect(w.rows(kept)).toEqual(keptBefore)
    expect(w.rows('demo-paper')).toEqual(demoBefore)
    expect((await w.call('trading.accounts', {})).map((a) => a.id)).toEqual(['demo-paper', kept])
    expect(w.db.pragma('foreign_key_check')).toEqual([])

    // Gone for every command, and the other account still trades.
    await expect(w.call('trading.orders', { accountId: gone })).rejects.toMatchObject({ kind: 'not_found' })
    await expect(w.call('trading.deleteAccount', { accountId: gone, confirm: true })).rejects.toMatchObject({
      kind: 'not_found',
    })
    const again = await w.call('trading.placeOrder', {
      accountId: kept,
      symbol: 'BTC/USDT',
      side: 'sell',
      type: 'market',
      amount: '0.001',
    })
    expect(again.status).toBe('filled')
    expect(w.service.tickPaper()).toBe(0)

    // A new account under the same id starts from nothing.
    const reborn = await w.call('trading.saveAccount', { id: gone, name: 'Scalp paper', mode: 'paper' })
    expect(await w.call('trading.orders', { accountId: reborn.id })).toEqual([])
    expect(await w.call('trading.fills', { accountId: reborn.id })).toEqual([])
    const cash = await w.call('trading.balances', { accountId: reborn.id })
    expect(cash.balances).toEqual([expect.objectContaining({ asset: 'USDT', used: '0' })])
  })

  it('refuses the built-in Demo paper account', async () => {
    const w = setup()
    const before = w.rows('demo-paper')
    const err = await refusal(w.call('trading.deleteAccount', { accountId: 'demo-paper', confirm: true }))
    expect(err).toMatchObject({ kind: 'validation', path: 'params.accountId' })
    expect(err.message).toContain('Demo paper')
    expect(err.message).toMatch(/cannot be deleted; reset it/)
    await expect(w.call('trading.deleteAccount', { accountId: 'demo-paper', dryRun: true })).rejects.toThrow(
      /cannot be deleted/,
    )
    expect(w.rows('demo-paper')).toEqual(before)
  })

  it('refuses without confirm: true, and deletes nothing', async () => {
    const w = setup()
    const id = await paperWithHistory(w, 'Careful paper')
    const before = w.rows(id)
    for (const confirm of [undefined, false]) {
      const err = await refusal(w.call('trading.deleteAccount', { accountId: id, confirm }))
      expect(err).toMatchObject({ kind: 'validation', path: 'params.confirm' })
      expect(err.message).toContain('confirm: true')
    }
    expect(w.rows(id)).toEqual(before)
  })

  it('refuses an account with open orders, naming how many and what to do', async () => {
    const w = setup()
    const { id } = await w.call('trading.saveAccount', { name: 'Resting paper', mode: 'paper' })
    const last = w.prices.quote('BTC/USDT')!.last.toNumber()
    const limit = (share: number) =>
      w.call('trading.placeOrder', {
        accountId: id,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        amount: (100 / (last * share)).toFixed(4),
        price: String(Math.round(last * share)),
      })
    const a = await limit(0.5)
    await limit(0.6)
    const before = w.rows(id)
    const err = await refusal(w.call('trading.deleteAccount', { accountId: id, confirm: true }))
    expect(err).toMatchObject({ kind: 'conflict', path: 'params.accountId' })
    expect(err.message).toBe(
      '"Resting paper" has 2 open orders; cancel them first, then delete the account. Deleting never cancels anything on an exchange.',
    )
    // A dry run answers the same refusal (the dialog shows it before asking).
    await expect(w.call('trading.deleteAccount', { accountId: id, dryRun: true })).rejects.toThrow(
      /has 2 open orders/,
    )
    expect(w.rows(id)).toEqual(before)

    await w.call('trading.cancelOrder', { accountId: id, clientOrderId: a.clientOrderId })
    await expect(w.call('trading.deleteAccount', { accountId: id, confirm: true })).rejects.toThrow(
      /has 1 open order; cancel it first/,
    )
  })

  it('refuses a live account with an unresolved order, sends nothing, and keeps its connection and keys', async () => {
    const w = setup()
    const apiKey = 'k'.repeat(64)
    const live = await w.call('trading.saveAccount', {
      name: 'Binance live',
      mode: 'live',
      exchangeId: 'binance',
      apiUrl: 'http://127.0.0.1:9/',
      liveEnabled: true,
      apiKey,
      secret: 's'.repeat(64),
      checkKeys: true,
    })
    expect(live.hasKeys).toBe(true)
    const maskedKey = w.hub.connectionConfig('binance').maskedKey
    expect(maskedKey).not.toBeNull()

    // The request is lost on its way: its outcome is unknown until the receive window has passed.
    w.faulty.createFaults = ['lost']
    const order = await w.call('trading.placeOrder', {
      accountId: live.id,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '0.1',
      confirm: true,
    })
    expect(order.status).toBe('unknown')
    const calls = w.faulty.calls.length
    const err = await refusal(w.call('trading.deleteAccount', { accountId: live.id, confirm: true }))
    expect(err).toMatchObject({ kind: 'conflict' })
    expect(err.message).toContain('1 order whose outcome is not known yet')
    expect(err.message).toContain('reconcile')
    expect(w.faulty.calls.length).toBe(calls)

    // Once it is resolved, the account can go; the exchange hears nothing of it.
    w.clock.advance(10_000)
    await w.service.checkUnknown()
    expect((await w.call('trading.orders', { accountId: live.id }))[0]!.status).not.toBe('unknown')
    const sentBefore = w.faulty.calls.length
    const result = await w.call('trading.deleteAccount', { accountId: live.id, confirm: true })
    expect(result).toMatchObject({ deleted: true, mode: 'live', orders: 1, fills: 0 })
    expect(w.faulty.calls.length).toBe(sentBefore)
    expect(Object.values(w.rows(live.id)).every((n) => n === 0)).toBe(true)

    // The connection keeps its URL and keys: another live account on it has them at once.
    expect(w.hub.connectionConfig('binance')).toMatchObject({ apiUrl: 'http://127.0.0.1:9/', maskedKey })
    expect((await loadKeys(w.secrets, 'binance', addressOf(w.hub.connectionConfig('binance'))))?.apiKey).toBe(
      apiKey,
    )
    const next = await w.call('trading.saveAccount', {
      name: 'Binance again',
      mode: 'live',
      exchangeId: 'binance',
    })
    expect(next).toMatchObject({ hasKeys: true, keyHint: maskedKey, apiUrl: 'http://127.0.0.1:9/' })
  })

  it('tells subscribers the account was removed', async () => {
    const w = setup()
    const { id } = await w.call('trading.saveAccount', { name: 'Short-lived', mode: 'paper' })
    const seen: TradingUpdate[] = []
    const mine = w.service.subscribe(id, (u) => seen.push(u))
    const all: TradingUpdate[] = []
    const every = w.service.subscribe(undefined, (u) => all.push(u))
    await w.call('trading.deleteAccount', { accountId: id, confirm: true })
    await expect.poll(() => seen.length).toBeGreaterThan(0)
    expect(seen).toEqual([{ type: 'accountRemoved', accountId: id }])
    await expect.poll(() => all.length).toBeGreaterThan(0)
    expect(all).toEqual([{ type: 'accountRemoved', accountId: id }])
    mine()
    every()
  })
})
