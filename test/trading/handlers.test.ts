import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { tradingContract } from '../../src/shared/contract/trading'
import type { TradingUpdate } from '../../src/shared/domain/trading'
import { createDemoMarket } from '../../src/main/demo'
import { demoPaperMarkets, demoPriceSource } from '../../src/main/trading/demo-prices'
import { dec } from '../../src/main/trading/decimal'
import { createTradingDomain } from '../../src/main/trading/handlers'
import { useTempDirs } from '../support/temp-dir'
import { exchangeHub, ManualClock, openTradingDb } from './support'

const tempDir = useTempDirs()
type Cmd = Exclude<keyof typeof tradingContract, 'trading.updates' | 'trading.market' | 'trading.quote'>
type Out<N extends Cmd> = z.output<(typeof tradingContract)[N]['result']>
const ctx = { transport: 'memory' as const, peer: 'test' }

function setup() {
  const db = openTradingDb(tempDir())
  const clock = new ManualClock(Date.UTC(2025, 5, 2, 10))
  const demo = createDemoMarket({ seed: 3 })
  const prices = demoPriceSource(demo, clock)
  const { service, handlers } = createTradingDomain({
    db,
    clock,
    prices,
    paperMarkets: () => demoPaperMarkets(demo, clock),
    exchanges: exchangeHub(db, clock),
    timers: false,
  })
  /** Parses params like the registry does, runs the handler, and checks the result against the contract. */
  async function call<N extends Cmd>(name: N, raw: unknown): Promise<Out<N>> {
    const def = tradingContract[name] as unknown as { params: z.ZodType; result: z.ZodType }
    const params = def.params.parse(raw)
    const handler = handlers[name] as unknown as (p: unknown, c: typeof ctx) => unknown
    return def.result.parse(await handler(params, ctx)) as Out<N>
  }
  return { db, clock, demo, prices, service, handlers, call }
}

describe('trading handlers over the contract, on the demo market', () => {
  it('trades the demo market on the default paper account and answers in contract shapes', async () => {
    const { call, prices } = setup()
    const [account] = await call('trading.accounts', {})
    expect(account).toMatchObject({ id: 'demo-paper', mode: 'paper' })
    const q = prices.quote('BTC/USDT')!
    expect(q.bid.lt(q.ask)).toBe(true)
    expect(q.last.gte(q.bid)).toBe(true)

    const check = await call('trading.validateOrder', {
      accountId: 'demo-paper',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      notional: '4',
    })
    expect(check.valid).toBe(false)
    expect(check.error).toMatchObject({ kind: 'invalid_order', path: 'params.notional' })
    expect(check.error!.message).toMatch(/^notional 3\.\d\d USDT is below the minimum 5 USDT by 1\.\d\d$/)

    const ok = await call('trading.validateOrder', {
      accountId: 'demo-paper',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      notional: '1000',
    })
    expect(ok.valid).toBe(true)
    // The largest amount on the step that 1000 USDT pays for at the ask: one more step would not fit.
    const amount = dec(ok.order!.amount)
    expect(amount.times(q.ask).lte(dec('1000'))).toBe(true)
    expect(amount.plus(dec('0.00001')).times(q.ask).gt(dec('1000'))).toBe(true)
    expect(ok.order!.notional).toBe(amount.times(q.ask).toString())

    const order = await call('trading.placeOrder', {
      accountId: 'demo-paper',
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      notional: '1000',
    })
    expect(order.status).toBe('filled')
    const fills = await call('trading.fills', { accountId: 'demo-paper' })
    expect(fills).toHaveLength(1)
    const positions = await call('trading.positions', { accountId: 'demo-paper' })
    expect(positions[0]).toMatchObject({
      symbol: 'BTC/USDT',
      side: 'long',
      mark: q.last.toString(),
      amountStep: '0.00001',
    })
    const balances = await call('trading.balances', { accountId: 'demo-paper' })
    expect(balances.balances.map((b) => [b.asset, b.decimals])).toEqual([
      ['BTC', 5],
      ['USDT', 2],
    ])
    const orders = await call('trading.orders', { accountId: 'demo-paper' })
    expect(orders.map((o) => o.clientOrderId)).toEqual([order.clientOrderId])
    const summary = await call('trading.reconcile', { accountId: 'demo-paper' })
    expect(summary).toMatchObject({ resolved: 0, stillUnknown: 0, events: [] })
    expect(await call('trading.reconciliationEvents', { accountId: 'demo-paper' })).toEqual([])
    const reset = await call('trading.resetPaper', { accountId: 'demo-paper', startingBalance: '500' })
    expect(reset).toEqual([{ asset: 'USDT', free: '500', used: '0', total: '500', decimals: 2 }])
  })

  it('rejects params the contract does not allow before a handler runs', () => {
    const p = tradingContract['trading.placeOrder'].params
    // Amounts are decimal text: no number (a double), no sign, no exponent, nothing but digits and a point.
    for (const amount of [
      -1,
      0.1,
      Number.NaN,
      '-1',
      '0',
      '1e5',
      '0x10',
      '1,5',
      ' 1',
      '.5',
      '1.',
      '9'.repeat(41),
    ]) {
      expect(
        p.safeParse({ accountId: 'a', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount }).success,
        String(amount),
      ).toBe(false)
    }
    expect(
      p.safeParse({ accountId: 'a', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '0.00001' })
        .success,
    ).toBe(true)
    expect(
      p.safeParse({ accountId: 'a', symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: '1', extra: 1 })
        .success,
    ).toBe(false)
    expect(
      p.safeParse({ accountId: 'a', symbol: 'BTC/USDT', side: 'hold', type: 'market', amount: '1' }).success,
    ).toBe(false)
  })

  it('streams updates that match the contract', async () => {
    const { handlers, call } = setup()
    const events: TradingUpdate[] = []
    const stop = handlers['trading.updates'](
      { accountId: 'demo-paper' },
      { emit: (e) => events.push(tradingContract['trading.updates'].event.parse(e)), end: () => undefined },
      ctx,
    )
    await call('trading.placeOrder', {
      accountId: 'demo-paper',
      symbol: 'ETH/USDT',
      side: 'buy',
      type: 'market',
      amount: '0.1',
    })
    await new Promise((r) => setTimeout(r, 150))
    stop()
    expect(events.map((e) => e.type)).toEqual(['fill', 'order', 'positions', 'balance'])
  })

  it('keeps a live account off until switched on, and never returns its secret', async () => {
    const { call } = setup()
    const saved = await call('trading.saveAccount', {
      name: 'My Binance',
      mode: 'live',
      exchangeId: 'binance',
      apiKey: 'AbCdEfGh12345678WxYz',
      secret: 'super-secret-value',
      checkKeys: false,
    })
    expect(saved).toMatchObject({ mode: 'live', liveEnabled: false, hasKeys: true, keyHint: 'AbCd…WxYz' })
    expect(saved.id).toMatch(/^my-binance-[0-9a-f]{6}$/)
    expect(JSON.stringify(await call('trading.accounts', {}))).not.toContain('super-secret-value')
    await expect(
      call('trading.placeOrder', {
        accountId: saved.id,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'market',
        amount: '1',
        confirm: true,
      }),
    ).rejects.toMatchObject({ kind: 'invalid_order', path: 'params.accountId' })
  })
})
