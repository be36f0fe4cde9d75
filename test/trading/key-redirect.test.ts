/**
 * A live account's keys never follow it to a new address: trading.saveAccount with a new API URL
 * or another exchange id removes them, says so in its answer, and nothing the account does
 * afterwards (orders, balances, reconciliation) sends a key or a signature to the new address.
 * Real ccxt, the simulator, and a recording server on loopback as the new address.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { tradingContract } from '../../src/shared/contract/trading'
import { systemClock } from '../../src/main/clock'
import { memorySecretStore } from '../../src/main/secrets/store'
import { tradingHandlers } from '../../src/main/trading/handlers'
import type { TradingService } from '../../src/main/trading/service'
import { startSimulator, type Simulator } from '../simulator/server'
import { startRecordingServer, type RecordingServer } from '../support/recording-server'
import { useTempDirs } from '../support/temp-dir'
import { closeDatabase, exchangeHub, openTradingDb, Prices, service } from './support'

const tempDir = useTempDirs()
const closing: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close()
})

const L = 'sim-live'

async function setup() {
  const sim: Simulator = await startSimulator({ seed: 5 })
  closing.push(() => sim.close())
  const other: RecordingServer = await startRecordingServer(sim.url)
  closing.push(() => other.close())
  const db = openTradingDb(tempDir())
  closing.push(() => closeDatabase(db))
  const secrets = memorySecretStore()
  const hub = exchangeHub(db, systemClock, { secrets, connectionOptions: { rateLimitMs: 1 } })
  closing.push(() => hub.close())
  const svc: TradingService = service(db, systemClock, new Prices(), { exchanges: hub })
  closing.push(() => svc.close())
  const handlers = tradingHandlers(svc)
  /** Through the contract's schemas, as the registry calls it. */
  async function save(raw: unknown) {
    const def = tradingContract['trading.saveAccount']
    const out = await handlers['trading.saveAccount'](def.params.parse(raw), {
      transport: 'memory',
      peer: 'test',
    })
    return def.result.parse(out) as z.output<typeof def.result>
  }
  const first = await save({
    id: L,
    name: 'Sim live',
    mode: 'live',
    exchangeId: 'binance',
    apiUrl: sim.url,
    liveEnabled: true,
    apiKey: sim.apiKey,
    secret: sim.secret,
    checkKeys: true,
  })
  expect(first.hasKeys).toBe(true)
  return { sim, other, db, secrets, hub, svc, save }
}

const buy = {
  accountId: L,
  symbol: 'BTC/USDT',
  side: 'buy',
  type: 'market',
  amount: '0.001',
  confirm: true,
} as const

describe('a live account moved elsewhere leaves its keys behind', () => {
  it('a new API URL removes the keys; orders, balances and reconciliation send nothing signed there', async () => {
    const { sim, other, secrets, svc, save } = await setup()
    // The keys trade where they were entered.
    expect((await svc.placeOrder(buy)).status).toBe('filled')

    const moved = await save({ id: L, name: 'Sim live', mode: 'live', apiUrl: other.url })
    // Everything that would sign, against the new address.
    await svc.placeOrder(buy).catch(() => undefined)
    await svc.balances(L).catch(() => undefined)
    await svc.reconcile(L).catch(() => undefined)
    await svc.syncLive(L).catch(() => undefined)
    expect(other.leaks(sim.apiKey)).toEqual([])
    expect(JSON.stringify(other.requests)).not.toContain(sim.secret)
    expect(sim.state.requests({ kind: 'createOrder' })).toHaveLength(1)

    expect(moved).toMatchObject({ apiUrl: other.url, hasKeys: false, keyHint: null })
    expect(moved.keysRemoved).toEqual([
      {
        exchange: 'binance',
        reason: expect.stringContaining(`now goes to ${other.url} instead of ${sim.url}`) as string,
      },
    ])
    expect(await secrets.list()).toEqual([])
  })

  it('another exchange id removes the keys of the connection it leaves, in the same save', async () => {
    const { secrets, hub, save } = await setup()
    const moved = await save({ id: L, name: 'Sim live', mode: 'live', exchangeId: 'kraken' })
    expect(moved).toMatchObject({ exchangeId: 'kraken', hasKeys: false })
    expect(moved.keysRemoved).toHaveLength(1)
    expect(moved.keysRemoved[0]).toMatchObject({ exchange: 'binance' })
    expect(moved.keysRemoved[0]!.reason).toContain('“Sim live” now trades on kraken instead')
    expect(hub.connectionConfig('binance').maskedKey).toBeNull()
    expect(await secrets.list()).toEqual([])
    // Back on binance (at the simulator's URL still): no keys until they are entered again.
    const back = await save({ id: L, name: 'Sim live', mode: 'live', exchangeId: 'binance' })
    expect(back).toMatchObject({ hasKeys: false, keysRemoved: [] })
  })

  it('new keys given with the new URL are stored for it, and nothing is reported removed', async () => {
    const { sim, other, svc, save } = await setup()
    const moved = await save({
      id: L,
      name: 'Sim live',
      mode: 'live',
      apiUrl: other.url,
      apiKey: sim.apiKey,
      secret: sim.secret,
      checkKeys: true,
    })
    expect(moved).toMatchObject({ apiUrl: other.url, hasKeys: true, keysRemoved: [] })
    // Entered for this address, so they are used here.
    expect((await svc.placeOrder(buy)).status).toBe('filled')
    expect(other.leaks(sim.apiKey).length).toBeGreaterThan(0)
  })

  it('refuses API URLs outside the rule as validation at params.apiUrl', () => {
    const params = tradingContract['trading.saveAccount'].params
    for (const apiUrl of ['http://127.evil.example', 'javascript:alert(1)', 'https://u:p@x.example']) {
      const r = params.safeParse({ name: 'x', mode: 'live', apiUrl })
      expect(r.success, apiUrl).toBe(false)
      expect(r.error?.issues[0]?.path).toEqual(['apiUrl'])
    }
    expect(params.safeParse({ name: 'x', mode: 'live', apiUrl: 'http://127.0.0.1:8080/' }).success).toBe(true)
  })
})
