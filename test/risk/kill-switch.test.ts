/**
 * The kill switch against real ccxt and the loopback Binance simulator, with a paper account
 * beside the live one: half the cancels fail (503) and are retried until they pass.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/main/clock'
import { silentLogger } from '../../src/main/log'
import type { KillSwitchReport } from '../../src/shared/contract/risk'
import { RiskService } from '../../src/main/risk/service'
import { memorySecretStore } from '../../src/main/secrets/store'
import type { TradingService } from '../../src/main/trading/service'
import { startSimulator } from '../simulator/server'
import { useTempDirs } from '../support/temp-dir'
import { exchangeHub, openTradingDb, Prices, service } from '../trading/support'
import { A, refusal } from './support'

const tempDir = useTempDirs()
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

const L = 'binance-sim'

async function setup(liveAccounts = 1) {
  const sim = await startSimulator({ seed: 3, balances: { USDT: 1_000_000, BTC: 10 } })
  cleanups.push(() => sim.close())
  sim.market.setPrice('BTCUSDT', 60_000, { freeze: true })
  const db = openTradingDb(tempDir())
  const hub = exchangeHub(db, systemClock, {
    secrets: memorySecretStore(),
    connectionOptions: { timeoutMs: 2_000, rateLimitMs: 1 },
  })
  const prices = new Prices().set('BTC/USDT', { bid: 100, ask: 100, last: 100 })
  const trading = service(db, systemClock, prices, {
    exchanges: hub,
    paperSettings: {
      takerFeeBps: 0,
      makerFeeBps: 0,
      slippageBps: 0,
      startingAmount: '10000',
      startingAsset: 'USDT',
    },
  })
  cleanups.push(() => trading.close())
  const ids: string[] = []
  for (let i = 0; i < liveAccounts; i++) {
    const id = i === 0 ? L : `${L}-${i}`
    await trading.saveAccount({
      id,
      name: `Simulated Binance ${i}`,
      mode: 'live',
      exchangeId: 'binance',
      apiUrl: sim.url,
      liveEnabled: true,
      apiKey: sim.apiKey,
      secret: sim.secret,
      checkKeys: i === 0,
    })
    ids.push(id)
  }
  const risk = new RiskService({
    db,
    clock: systemClock,
    log: silentLogger,
    trading,
    valuationMs: false,
    retryBaseMs: 50,
    retryMaxMs: 200,
  })
  risk.start()
  cleanups.push(() => risk.close())
  return { sim, trading, risk, ids }
}

async function rest(trading: TradingService, accountId: string, n: number, price = '50000') {
  for (let i = 0; i < n; i++) {
    await trading.placeOrder({
      accountId,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '0.001',
      price,
      confirm: true,
    })
  }
}

function finished(risk: RiskService): Promise<KillSwitchReport> {
  return new Promise((resolve) => {
    const stop = risk.subscribe((u) => {
      if (u.type === 'killSwitch' && !u.report.running) {
        queueMicrotask(() => stop())
        resolve(u.report)
      }
    })
  })
}

describe('the kill switch', () => {
  it('halts everything, cancels every order; cancels the exchange refuses are retried until done', async () => {
    const { sim, trading, risk } = await setup()
    await rest(trading, L, 10)
    // A paper account beside it: a resting order, a held (emulated) stop and a position.
    await trading.placeOrder({ accountId: A, symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '1' })
    await trading.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '0.1',
      price: '90',
    })
    expect(sim.state.orders().filter((o) => o.status === 'NEW')).toHaveLength(10)

    // Half the cancels fail: the exchange answers 503 without doing them.
    sim.faults.next('cancelOrder', '503', 5)
    const done = finished(risk)
    const [first, second] = await Promise.all([risk.killSwitch.press(true), risk.killSwitch.press(true)])
    // Pressed twice at once: one run, one report.
    expect(second).toEqual(first)
    expect(first.canceled + first.outstanding.length).toBe(11)
    expect(first.outstanding.length).toBe(5)
    expect(first.running).toBe(true)
    expect(first.summary).toMatch(
      /5 still open \(the exchange refused or did not answer: retrying until they are canceled\)/,
    )
    expect(first.closed).toEqual([{ accountId: A, symbol: 'BTC/USDT', amount: '1' }])
    expect(risk.effectiveState(L)).toMatchObject({ state: 'HALTED', setBy: 'kill_switch' })
    expect(
      (
        await refusal(
          trading.placeOrder({
            accountId: A,
            symbol: 'BTC/USDT',
            side: 'buy',
            type: 'market',
            amount: '0.1',
          }),
        )
      ).kind,
    ).toBe('risk_rejected')

    const last = await done
    expect(last.outstanding).toEqual([])
    expect(last.canceled).toBe(11)
    expect(last.summary).toMatch(/nothing outstanding/)
    expect(sim.state.orders().filter((o) => o.status === 'NEW')).toHaveLength(0)
    expect((await trading.positions(A)).filter((p) => p.side !== 'flat')).toEqual([])

    // Again: harmless, nothing left to do.
    const again = await risk.killSwitch.press(false)
    expect(again).toMatchObject({ canceled: 0, outstanding: [], running: false })
    expect(risk.audit({ limit: 50 }).filter((e) => e.action === 'kill_switch').length).toBeGreaterThanOrEqual(
      2,
    )
  }, 30_000)
})
