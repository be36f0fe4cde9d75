import { describe, expect, it } from 'vitest'
import type { Fill, OrderRequest } from '../../src/shared/domain/trading'
import { dec, Decimal } from '../../src/main/trading/decimal'
import type { PaperSettings } from '../../src/main/trading/paper-venue'
import { splitSymbol } from '../../src/main/trading/positions'
import type { TradingService } from '../../src/main/trading/service'
import { useTempDirs } from '../support/temp-dir'
import { BTC, ETH, ManualClock, openTradingDb, Prices, service } from './support'

/**
 * Money is exact (issue 12, finding 3): every paper fill moves the balances by exactly its own
 * amount, cost and fee, so each balance is its starting value plus the sum of its fills, to the
 * last unit, however many fills there were; and a position closes to exactly nothing, or to
 * dust below the lot step, never to float noise.
 */

const tempDir = useTempDirs()
const A = 'demo-paper'

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const START = '1000000000'

function setup(settings: Partial<PaperSettings>, feeCurrency: 'received' | 'quote' = 'received') {
  const db = openTradingDb(tempDir())
  const clock = new ManualClock()
  const prices = new Prices()
    .set(BTC.symbol, { bid: 84_000, ask: 84_000.01 })
    .set(ETH.symbol, { bid: 3_000, ask: 3_000.01 })
  const svc = service(db, clock, prices, {
    paperSettings: { startingAsset: 'USDT', startingAmount: START, ...settings },
    paperFeeCurrency: feeCurrency,
  })
  return { db, clock, prices, svc }
}

/** Each balance as the fills alone say it must be: the start plus every fill's effect, exactly. */
function expectedBalances(fills: readonly Fill[]): Map<string, Decimal> {
  const out = new Map<string, Decimal>([['USDT', dec(START)]])
  const add = (asset: string, v: Decimal) => out.set(asset, (out.get(asset) ?? Decimal.ZERO).plus(v))
  for (const f of fills) {
    const { base, quote } = splitSymbol(f.symbol)
    const amount = dec(f.amount)
    const cost = dec(f.cost)
    if (f.side === 'buy') {
      add(base, amount)
      add(quote, cost.neg())
    } else {
      add(base, amount.neg())
      add(quote, cost)
    }
    if (f.fee) add(f.fee.currency, dec(f.fee.cost).neg())
  }
  return out
}

/** Random orders in random markets at random prices (on the tick) until `target` fills are recorded. */
async function trade(w: ReturnType<typeof setup>, target: number, seed: number): Promise<Fill[]> {
  const rand = random(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const markets = [BTC, ETH]
  let fills = 0
  let round = 0
  while (fills < target) {
    round++
    // New prices every round: a mid on the tick, a spread of 1-5 ticks.
    for (const m of markets) {
      const mid = m === BTC ? 60_000 + rand() * 40_000 : 2_000 + rand() * 2_000
      const bid = Decimal.fromNumber(Math.round(mid * 100)).shift(-2)
      const ask = bid.plus(m.priceTick.times(Decimal.fromNumber(1 + Math.floor(rand() * 5))))
      w.prices.set(m.symbol, { bid, ask, last: bid })
    }
    const batch: Omit<OrderRequest, 'accountId'>[] = []
    // What each base asset holds free now, less what this batch already sells.
    const free = new Map<string, Decimal>()
    for (const b of (await w.svc.balances(A)).balances) free.set(b.asset, dec(b.free))
    for (let i = 0; i < 200; i++) {
      const m = pick(markets)
      const { base } = splitSymbol(m.symbol)
      const side = rand() < 0.55 ? 'buy' : 'sell'
      // 1 to 20,000 lot steps; sells stay within what is held (more would be refused, not filled).
      let amount = m.amountStep.times(Decimal.fromNumber(1 + Math.floor(rand() * 20_000)))
      if (side === 'sell') {
        const held = (free.get(base) ?? Decimal.ZERO).roundToStep(m.amountStep, 'floor')
        if (!held.isPositive()) continue
        amount = Decimal.min(amount, held)
        free.set(base, (free.get(base) ?? Decimal.ZERO).minus(amount))
      }
      const q = w.prices.quote(m.symbol)!
      const kind = rand()
      if (kind < 0.6) batch.push({ symbol: m.symbol, side, type: 'market', amount: amount.toString() })
      else if (kind < 0.8) {
        // marketable limit: fills at once, never beyond its limit
        const limit = side === 'buy' ? q.ask.plus(m.priceTick) : q.bid.minus(m.priceTick)
        batch.push({
          symbol: m.symbol,
          side,
          type: 'limit',
          amount: amount.toString(),
          price: limit.toString(),
        })
      } else {
        // a notional, turned into an amount on the step
        const notional = amount.times(q.ask).round(2, 'down')
        if (side === 'buy' && notional.isPositive())
          batch.push({ symbol: m.symbol, side, type: 'market', notional: notional.toString() })
      }
      // A few resting limits, filled by the price move of a later round (maker fills, in SQL).
      if (rand() < 0.1 && side === 'buy') {
        const below = q.bid.minus(m.priceTick.times(Decimal.fromNumber(1 + Math.floor(rand() * 50))))
        batch.push({
          symbol: m.symbol,
          side,
          type: 'limit',
          amount: m.amountStep.times(dec('7')).toString(),
          price: below.toString(),
        })
      }
    }
    w.svc.placeOrders(A, batch)
    w.clock.advance(1_000)
    w.svc.tickPaper()
    fills = w.svc.fills(A, { limit: 1_000_000 }).length
    expect(round).toBeLessThan(500)
  }
  // Oldest first, every one of them.
  return [...w.svc.fills(A, { limit: 1_000_000 })].reverse()
}

async function expectExact(svc: TradingService, fills: readonly Fill[]) {
  for (const f of fills) {
    // A fill's cost is its amount times its price, exactly.
    expect(f.cost, f.tradeId).toBe(dec(f.amount).times(dec(f.price)).toString())
  }
  const expected = expectedBalances(fills)
  const { balances } = await svc.balances(A)
  expect(balances.map((b) => b.asset).sort()).toEqual([...expected.keys()].sort())
  for (const b of balances) {
    // To the last unit: total = start + sum of fills; free + used = total.
    expect(b.total, b.asset).toBe(expected.get(b.asset)!.toString())
    expect(dec(b.free).plus(dec(b.used)).toString(), b.asset).toBe(b.total)
  }
}

describe('exact money', () => {
  it('10,000 random paper fills leave every balance at its start plus the sum of its fills, to the last unit', async () => {
    // Fees of 7.5 bps (taker) and 2.5 bps (maker) in the received currency: fractions with many places.
    const w = setup({ takerFeeBps: 7.5, makerFeeBps: 2.5, slippageBps: 3 })
    const fills = await trade(w, 10_000, 12)
    expect(fills.length).toBeGreaterThanOrEqual(10_000)
    expect(new Set(fills.map((f) => f.side))).toEqual(new Set(['buy', 'sell']))
    expect(new Set(fills.map((f) => f.takerOrMaker))).toEqual(new Set(['taker', 'maker']))
    expect(new Set(fills.map((f) => f.fee?.currency))).toEqual(new Set(['BTC', 'ETH', 'USDT']))
    await expectExact(w.svc, fills)
    // Resting orders still hold exactly what they reserved.
    const open = w.svc.orders(A, { limit: 5_000 }).filter((o) => o.status === 'open')
    const reserved = open.reduce((s, o) => s.plus(dec(o.amount).times(dec(o.price!))), Decimal.ZERO)
    const usdt = (await w.svc.balances(A)).balances.find((b) => b.asset === 'USDT')!
    expect(usdt.used).toBe(reserved.toString())
  }, 120_000)

  it('does the same with every fee paid in quote', async () => {
    const w = setup({ takerFeeBps: 10, makerFeeBps: 7.5, slippageBps: 0 }, 'quote')
    const fills = await trade(w, 2_000, 34)
    expect(new Set(fills.map((f) => f.fee?.currency))).toEqual(new Set(['USDT']))
    await expectExact(w.svc, fills)
  })
})

describe('closing a position (Close…)', () => {
  it('opens, closes part, then closes exactly the rest: nothing is left, not 0.00000900000000000011', async () => {
    // Fees in quote, so the base bought is exactly what was asked for.
    const w = setup({ takerFeeBps: 10, makerFeeBps: 10, slippageBps: 0 }, 'quote')
    for (const amount of ['0.1', '0.2', '0.00017', '0.00029']) {
      await w.svc.placeOrder({ accountId: A, symbol: BTC.symbol, side: 'buy', type: 'market', amount })
    }
    const [open] = await w.svc.positions(A)
    expect(open).toMatchObject({ side: 'long', amount: '0.30046', amountStep: '0.00001' })
    // Part of it closed by hand...
    await w.svc.placeOrder({
      accountId: A,
      symbol: BTC.symbol,
      side: 'sell',
      type: 'market',
      amount: '0.10017',
    })
    // ...and Close… sends exactly what is left, as decimal text.
    const plan = await w.svc.closePosition({
      accountId: A,
      symbol: BTC.symbol,
      cancelResting: false,
      dryRun: true,
    })
    expect(plan).toMatchObject({ side: 'sell', amount: '0.20029', dust: '0', problem: null })
    const done = await w.svc.closePosition({
      accountId: A,
      symbol: BTC.symbol,
      cancelResting: false,
      dryRun: false,
    })
    expect(done.order).toMatchObject({ status: 'filled', amount: '0.20029', filled: '0.20029' })
    expect(await w.svc.positions(A)).toEqual([])
    const [flat] = await w.svc.positions(A, true)
    expect(flat).toMatchObject({ side: 'flat', amount: '0', lots: [] })
    const btc = (await w.svc.balances(A)).balances.find((b) => b.asset === 'BTC')
    expect(btc).toMatchObject({ free: '0', used: '0', total: '0' })
  })

  it('what a base fee leaves below the lot step is dust: shown as dust, never sent, never an open position', async () => {
    // Binance's way: a buy pays its fee in base, so 0.001 BTC bought is 0.000999 held.
    const w = setup({ takerFeeBps: 10, makerFeeBps: 10, slippageBps: 0 })
    await w.svc.placeOrder({ accountId: A, symbol: BTC.symbol, side: 'buy', type: 'market', amount: '0.001' })
    const [held] = await w.svc.positions(A)
    expect(held).toMatchObject({ side: 'long', amount: '0.000999', amountStep: '0.00001' })
    // Part closed; then Close… sends the most the step allows, and says what stays behind.
    await w.svc.placeOrder({
      accountId: A,
      symbol: BTC.symbol,
      side: 'sell',
      type: 'market',
      amount: '0.0005',
    })
    const plan = await w.svc.closePosition({
      accountId: A,
      symbol: BTC.symbol,
      cancelResting: false,
      dryRun: true,
    })
    expect(plan).toMatchObject({ side: 'sell', amount: '0.00049', dust: '0.000009', problem: null })
    const done = await w.svc.closePosition({
      accountId: A,
      symbol: BTC.symbol,
      cancelResting: false,
      dryRun: false,
    })
    expect(done.order).toMatchObject({ status: 'filled', filled: '0.00049' })
    // What is left is 0.000009 BTC exactly, below the 0.00001 step: dust, not a "Long".
    const [dust] = await w.svc.positions(A)
    expect(dust).toMatchObject({ side: 'dust', amount: '0.000009', amountStep: '0.00001' })
    const btc = (await w.svc.balances(A)).balances.find((b) => b.asset === 'BTC')
    expect(btc).toMatchObject({ total: '0.000009', decimals: 5 })
    // Close… on dust sends nothing and says why.
    await expect(
      w.svc.closePosition({ accountId: A, symbol: BTC.symbol, cancelResting: false, dryRun: true }),
    ).rejects.toMatchObject({
      kind: 'not_found',
      message: expect.stringMatching(/less than the lot step 0\.00001: dust/),
    })
    expect(w.svc.orders(A, { limit: 10 })).toHaveLength(3)
  })
})
