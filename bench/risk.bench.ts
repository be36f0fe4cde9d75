/**
 * The risk engine's speed (`npx tsx bench/run.ts risk`).
 * - `risk.check_p95`: one order through the risk check (`RiskService.checkOrder`, the gate every
 *   order passes), every limit set, an account with 20 positions and 200 open orders; 200,000
 *   orders, each timed alone, p95 in microseconds (p50 beside it). The audit log's queue is
 *   written between batches, outside the timing, as its timer does. Goal < 50 us.
 * - `risk.kill_switch_3x100`: the kill switch on 3 accounts with 100 resting orders each (two live
 *   accounts, Binance and Binance US, through real ccxt against the loopback simulator, since the
 *   engine allows one live account per exchange; and the demo paper account), from the press to
 *   the report, in ms.
 *   Goal < 2,000 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { percentile, report } from './harness'
import { systemClock } from '../src/main/clock'
import { silentLogger } from '../src/main/log'
import { ExchangeHub } from '../src/main/exchange/hub'
import { RiskService } from '../src/main/risk/service'
import { memorySecretStore } from '../src/main/secrets/store'
import { closeDatabase, openDatabase } from '../src/main/storage/database'
import { Decimal } from '../src/main/trading/decimal'
import type { GatedOrder } from '../src/main/trading/order-gate'
import { TradingService } from '../src/main/trading/service'
import type { PriceSource, VenueMarket } from '../src/main/trading/venue'
import { startSimulator } from '../test/simulator/server'

const dec = Decimal.parse
const BTC: VenueMarket = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  amountStep: dec('0.00001'),
  priceTick: dec('0.01'),
  minAmount: dec('0.00001'),
  maxAmount: dec('9000'),
  minNotional: dec('5'),
  maxNotional: dec('9000000'),
  makerFee: dec('0.001'),
  takerFee: dec('0.001'),
  active: true,
}
const prices: PriceSource = { quote: () => ({ bid: dec('100'), ask: dec('100'), last: dec('100') }) }

function setup(dir: string) {
  const db = openDatabase(join(dir, 'candlework.db'))
  const hub = new ExchangeHub({
    db,
    clock: systemClock,
    log: silentLogger,
    secrets: memorySecretStore(),
    connectionOptions: { timeoutMs: 5_000, rateLimitMs: 1 },
  })
  const trading = new TradingService({
    db,
    clock: systemClock,
    prices,
    paperMarkets: () => [BTC],
    exchanges: hub,
    timers: false,
  })
  return { db, trading }
}

async function checkBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-risk-bench-'))
  const { db, trading } = setup(dir)
  // One order per simulated millisecond (1,000/s): the rate limits count, none refuses.
  let now = Date.UTC(2025, 0, 6, 12)
  const clock = { now: () => now }
  const risk = new RiskService({ db, clock, log: silentLogger, trading, valuationMs: false })
  risk.setLimits('global', {
    maxOrderNotional: '1000000',
    maxPositionNotional: '10000000',
    maxExposure: '100000000',
    maxOpenOrders: 100_000,
    maxOrdersPerSecond: 10_000,
    maxOrdersPerMinute: 600_000,
    dailyLossLimit: '1000000',
    maxDrawdownPercent: '99',
    maxLeverage: '1000',
    allowedSymbols: Array.from({ length: 20 }, (_, i) => `S${i}/USDT`),
  })
  // A book as a busy account has it: 20 positions with marks, 200 open orders, equity and P&L known.
  const book = (
    risk as unknown as { bookOf(id: string): import('../src/main/risk/book').AccountBook }
  ).bookOf('demo-paper')
  for (let i = 0; i < 20; i++) {
    book.positions.set(`S${i}/USDT`, { amount: dec(String(i + 1)), mark: dec('100'), quote: 'USDT' })
  }
  for (let i = 0; i < 200; i++) book.open.add(`o${i}`)
  book.reprice()
  book.dayPnl = dec('-10.5')
  book.equity = dec('100000')
  book.peakEquity = dec('101000')
  const orders: GatedOrder[] = Array.from({ length: 1000 }, (_, i) => ({
    accountId: 'demo-paper',
    symbol: `S${i % 20}/USDT`,
    side: i % 3 === 0 ? 'sell' : 'buy',
    type: i % 2 === 0 ? 'market' : 'limit',
    amount: dec(`0.${(i % 97) + 1}`),
    notional: dec(`${(i % 97) + 1}0`),
    referencePrice: dec('100'),
    reduceOnly: false,
  }))
  const samples: number[] = []
  const rounds = 200
  for (let r = 0; r < rounds; r++) {
    for (const o of orders) {
      now++
      const t0 = performance.now()
      risk.checkOrder(o)
      samples.push(performance.now() - t0)
    }
    risk.flushAudit()
  }
  // The first rounds warm the JIT.
  const timed = samples.slice(orders.length * 5).sort((a, b) => a - b)
  const us = (ms: number) => Math.round(ms * 1000 * 100) / 100
  report({
    name: 'risk.check_p95',
    value: us(percentile(timed, 95)),
    unit: 'us',
    p50: us(percentile(timed, 50)),
    p99: us(percentile(timed, 99)),
    orders: timed.length,
  })
  risk.close()
  trading.close()
  closeDatabase(db)
  rmSync(dir, { recursive: true, force: true })
}

async function killSwitchBench(): Promise<void> {
  const sim = await startSimulator({ seed: 5, balances: { USDT: 10_000_000 } })
  sim.market.setPrice('BTCUSDT', 60_000, { freeze: true })
  const dir = mkdtempSync(join(tmpdir(), 'cw-risk-bench-'))
  const { db, trading } = setup(dir)
  // One live account per exchange (the engine's rule): Binance and Binance US (ccxt's binance
  // class) both on the simulator, and the paper account, 100 resting orders each.
  const live = [
    ['sim-binance', 'binance'],
    ['sim-binanceus', 'binanceus'],
  ] as const
  for (const [id, exchangeId] of live) {
    await trading.saveAccount({
      id,
      name: id,
      mode: 'live',
      exchangeId,
      apiUrl: sim.url,
      liveEnabled: true,
      apiKey: sim.apiKey,
      secret: sim.secret,
      checkKeys: true,
    })
  }
  const ids = [...live.map(([id]) => id), 'demo-paper']
  for (const id of ids) {
    for (let i = 0; i < 100; i++) {
      await trading.placeOrder({
        accountId: id,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        amount: id === 'demo-paper' ? '0.1' : '0.001',
        price: id === 'demo-paper' ? String(50 + i / 100) : String(40_000 + i),
        confirm: true,
      })
    }
  }
  const risk = new RiskService({ db, clock: systemClock, log: silentLogger, trading, valuationMs: false })
  risk.start()
  const t0 = performance.now()
  const r = await risk.killSwitch.press(false)
  const ms = performance.now() - t0
  const open = sim.state.orders().filter((o) => o.status === 'NEW').length
  report({
    name: 'risk.kill_switch_3x100',
    value: Math.round(ms),
    unit: 'ms',
    canceled: r.canceled,
    outstanding: r.outstanding.length,
    openOnExchange: open,
  })
  risk.close()
  trading.close()
  closeDatabase(db)
  await sim.close()
  rmSync(dir, { recursive: true, force: true })
}

export async function run(): Promise<void> {
  await checkBench()
  await killSwitchBench()
}
