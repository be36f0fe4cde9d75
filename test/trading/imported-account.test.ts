/**
 * Imported accounts (`mode: imported`) hold fills imported from a file and place no orders: the
 * engine refuses every order command on them in one sentence naming the account, writes
 * nothing for them, and its background work (start-up reconciliation, exchange polling, paper
 * fills) leaves them alone. Through the whole engine over its registry, on a real SQLite file.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AppErrorShape, Result } from '../../src/shared/contract/errors'
import type { Account, OrderValidation } from '../../src/shared/domain/trading'
import { createEngine, type Engine } from '../../src/main/engine'
import type { Logger } from '../../src/main/log'
import { memorySecretStore } from '../../src/main/secrets/store'
import { createTradingDomain } from '../../src/main/trading/handlers'
import { memoryPair } from '../support/memory-transport'
import { useTempDirs } from '../support/temp-dir'
import { closeDatabase, exchangeHub, ManualClock, openTradingDb, Prices } from './support'

const tempDir = useTempDirs()
const closing: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close()
})

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  const line = (level: string) => (m: string, detail?: unknown) =>
    lines.push(`${level} ${m}${detail instanceof Error ? `: ${detail.message}` : ''}`)
  return { lines, debug: line('DEBUG'), info: line('INFO'), warn: line('WARN'), error: line('ERROR') }
}

function start(dataDir: string) {
  const log = recordingLogger()
  const engine: Engine = createEngine({ dataDir, host: 'headless', log, secrets: memorySecretStore() })
  const { client, disconnect } = memoryPair(engine.registry)
  const stop = async () => {
    disconnect()
    await engine.close()
  }
  closing.push(stop)
  const call = (name: string, params: unknown) =>
    (client.invoke as (n: string, p: unknown) => Promise<Result<unknown>>)(name, params)
  const ok = async <T>(name: string, params: unknown): Promise<T> => {
    const r = await call(name, params)
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`)
    return r.value as T
  }
  const refused = async (name: string, params: unknown): Promise<AppErrorShape> => {
    const r = await call(name, params)
    if (r.ok) throw new Error(`${name} was accepted`)
    return r.error
  }
  return { engine, log, ok, refused, stop }
}

const REFUSAL = {
  kind: 'validation',
  message: 'CSV history holds imported trades; it cannot place orders',
  path: 'params.accountId',
}

describe('an imported account', () => {
  it('is made with a name only, listed as imported, and holds no balances', async () => {
    const { ok, refused } = start(tempDir())
    const a = await ok<Account>('trading.saveAccount', { name: 'CSV history', mode: 'imported' })
    expect(a).toMatchObject({ mode: 'imported', exchangeId: 'paper', liveEnabled: false, hasKeys: false })
    const listed = await ok<Account[]>('trading.accounts', {})
    expect(listed.find((x) => x.id === a.id)).toMatchObject({ name: 'CSV history', mode: 'imported' })
    expect(await ok('trading.balances', { accountId: a.id })).toMatchObject({ balances: [] })
    expect(await ok('trading.positions', { accountId: a.id })).toEqual([])
    // Renamed as it is; never turned into an account that places orders, nor the other way round.
    await ok('trading.saveAccount', { id: a.id, name: 'CSV history 2024', mode: 'imported' })
    expect(await refused('trading.saveAccount', { id: a.id, name: 'x', mode: 'paper' })).toMatchObject({
      kind: 'conflict',
      path: 'params.mode',
    })
    expect(
      await refused('trading.saveAccount', { id: 'demo-paper', name: 'Demo paper', mode: 'imported' }),
    ).toMatchObject({ kind: 'conflict', path: 'params.mode' })
    expect(
      await refused('trading.saveAccount', { name: 'Keys', mode: 'imported', liveEnabled: true }),
    ).toMatchObject({ kind: 'validation', path: 'params.mode' })
  })

  it('refuses to place, modify or cancel an order, or close a position, and writes nothing', async () => {
    const { ok, refused, engine } = start(tempDir())
    const { id } = await ok<Account>('trading.saveAccount', { name: 'CSV history', mode: 'imported' })
    const order = { accountId: id, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '0.01' }
    expect(await refused('trading.placeOrder', order)).toEqual(REFUSAL)
    expect(
      await refused('trading.placeOco', {
        accountId: id,
        symbol: 'BTC/USDT',
        side: 'sell',
        amount: '0.01',
        takeProfit: { price: '90000' },
        stopLoss: { stopPrice: '50000' },
      }),
    ).toEqual(REFUSAL)
    expect(
      await refused('trading.modifyOrder', { accountId: id, clientOrderId: 'cw-1', price: '1' }),
    ).toEqual(REFUSAL)
    expect(await refused('trading.cancelOrder', { accountId: id, clientOrderId: 'cw-1' })).toEqual(REFUSAL)
    expect(await refused('trading.closePosition', { accountId: id, symbol: 'BTC/USDT' })).toEqual(REFUSAL)
    // The ticket's check says the same.
    const check = await ok<OrderValidation>('trading.validateOrder', order)
    expect(check).toMatchObject({ valid: false, error: { kind: 'validation', message: REFUSAL.message } })
    expect(await ok('trading.orders', { accountId: id })).toEqual([])
    const db = engine.db
    expect(db.prepare('SELECT COUNT(*) AS n FROM trading_orders WHERE account_id = ?').get(id)).toEqual({
      n: 0,
    })
  })

  it('is left alone by start-up reconciliation and the background work', async () => {
    const dir = tempDir()
    const first = start(dir)
    const { id } = await first.ok<Account>('trading.saveAccount', { name: 'CSV history', mode: 'imported' })
    await first.stop()
    // The trading domain alone over the same file, its start-up and background work run by hand.
    const db = openTradingDb(dir)
    closing.push(() => closeDatabase(db))
    const clock = new ManualClock()
    const log = recordingLogger()
    const prices = new Prices().set('BTC/USDT', { bid: 99, ask: 100 })
    const { service } = createTradingDomain({
      db,
      clock,
      log,
      prices,
      paperMarkets: () => [],
      exchanges: exchangeHub(db, clock),
      timers: false,
    })
    await service.start()
    expect(await service.settleOrders()).toBe(0)
    expect(service.tickPaper()).toBe(0)
    await service.syncLive(id)
    expect(await service.checkUnknown()).toBe(0)
    expect(log.lines.filter((l) => l.includes(id) || /imported trades/.test(l))).toEqual([])
    // Asked to, it refuses to reconcile: there is nothing to reconcile with.
    await expect(service.reconcile(id)).rejects.toMatchObject(REFUSAL)
    service.close()
  })
})
