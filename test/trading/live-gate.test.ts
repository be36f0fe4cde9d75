/**
 * The engine's own guard on real orders, through the whole engine (registry, trading service,
 * exchange hub, real ccxt) with a live account on the simulator: a live order goes out only when
 * the account's live switch is on and the request carries `confirm: true`. Refused orders send
 * nothing to the exchange and write nothing.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AppErrorShape, Result } from '../../src/shared/contract/errors'
import type { Account, Order } from '../../src/shared/domain/trading'
import { createEngine, type Engine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { memorySecretStore } from '../../src/main/secrets/store'
import { startSimulator, type Simulator } from '../simulator/server'
import { memoryPair } from '../support/memory-transport'
import { startRecordingServer } from '../support/recording-server'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()
const closing: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close()
})

async function setup(opts: { viaRecorder?: boolean } = {}) {
  const sim: Simulator = await startSimulator({ seed: 9 })
  closing.push(() => sim.close())
  // Optionally in front of the simulator: shows when a request has left, while its answer is held.
  const front = opts.viaRecorder ? await startRecordingServer(sim.url) : null
  if (front) closing.push(() => front.close())
  const engine: Engine = createEngine({
    dataDir: tempDir(),
    host: 'headless',
    log: silentLogger,
    secrets: memorySecretStore(),
  })
  closing.push(() => engine.close())
  const { client, disconnect } = memoryPair(engine.registry)
  closing.push(disconnect)
  const call = (name: string, params: unknown) =>
    (client.invoke as (n: string, p: unknown) => Promise<Result<unknown>>)(name, params)
  const saved = await call('trading.saveAccount', {
    name: 'Sim live',
    mode: 'live',
    exchangeId: 'binance',
    apiUrl: front?.url ?? sim.url,
    apiKey: sim.apiKey,
    secret: sim.secret,
    checkKeys: true,
  })
  if (!saved.ok) throw new Error(saved.error.message)
  const account = saved.value as Account
  const setLive = async (liveEnabled: boolean) => {
    const r = await call('trading.saveAccount', {
      id: account.id,
      name: account.name,
      mode: 'live',
      liveEnabled,
    })
    expect(r.ok).toBe(true)
  }
  const order = (extra: Record<string, unknown>) =>
    call('trading.placeOrder', {
      accountId: account.id,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '0.001',
      ...extra,
    })
  const orders = async () => {
    const r = await call('trading.orders', { accountId: account.id })
    return r.ok ? (r.value as Order[]) : []
  }
  return { sim, front, account, call, setLive, order, orders }
}

function refusal(r: Result<unknown>): AppErrorShape {
  if (r.ok) throw new Error('expected a refusal, the order was placed')
  return r.error
}

describe('live orders through the engine', () => {
  it('refuses with the switch off, and without the confirmation; places with both', async () => {
    const { sim, account, setLive, order, orders } = await setup()
    expect(account.liveEnabled).toBe(false)
    const before = sim.state.requests().length

    const off = refusal(await order({ confirm: true }))
    expect(off).toMatchObject({ kind: 'invalid_order', path: 'params.accountId' })
    expect(off.message).toContain('Live trading is switched off for "Sim live"')
    expect(sim.state.requests().length).toBe(before)

    // Switching on checks the keys with one signed request (the balance), then nothing more is sent.
    await setLive(true)
    const afterSwitch = sim.state.requests().length
    expect(sim.state.requests({ kind: 'account' }).length).toBeGreaterThan(0)
    for (const confirm of [undefined, false]) {
      const unconfirmed = refusal(await order(confirm === undefined ? {} : { confirm }))
      expect(unconfirmed).toMatchObject({ kind: 'invalid_order', path: 'params.confirm' })
      expect(unconfirmed.message).toContain('needs confirm: true')
    }
    // Nothing of the three refusals reached the exchange, and nothing was written.
    expect(sim.state.requests().length).toBe(afterSwitch)
    expect(await orders()).toEqual([])

    const placed = await order({ confirm: true })
    expect(placed).toMatchObject({ ok: true, value: { status: 'filled' } })
    expect(sim.state.requests({ kind: 'createOrder' })).toHaveLength(1)
  })

  it('a switch turned off while the order is being checked still stops it before it is sent', async () => {
    const { sim, front, setLive, order, orders } = await setup({ viaRecorder: true })
    await setLive(true)
    // The first request of the order's checks is held at the exchange for a while.
    sim.faults.delayNext('*', 500, 1)
    const seen = front!.requests.length
    const pending = order({ confirm: true })
    const t0 = Date.now()
    while (front!.requests.length === seen) {
      if (Date.now() - t0 > 10_000) throw new Error('the order never asked the exchange anything')
      await new Promise((r) => setTimeout(r, 5))
    }
    await setLive(false)
    const stopped = refusal(await pending)
    expect(stopped).toMatchObject({ kind: 'invalid_order', path: 'params.accountId' })
    expect(sim.state.requests({ kind: 'createOrder' })).toHaveLength(0)
    expect(await orders()).toEqual([])
  })
})
