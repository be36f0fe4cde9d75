import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../src/main/log'
import { RiskService } from '../../src/main/risk/service'
import { useTempDirs } from '../support/temp-dir'
import { A, refusal, riskSetup } from './support'

const tempDir = useTempDirs()

// BTC/USDT at 100 (bid = ask = last), no fees: 1 BTC is 100 USDT. Each test shows a limit's edge:
// a maximum may be reached exactly; a loss or drawdown equal to its limit refuses.
describe('risk limits at their edges', () => {
  it('max order notional: equal passes, one step above is refused with the rule, limit and value', async () => {
    const { risk, buy } = riskSetup(tempDir())
    risk.setLimits('global', { maxOrderNotional: '100' })
    await expect(buy('1')).resolves.toMatchObject({ status: 'filled' })
    const e = await refusal(buy('1.5'))
    expect(e.kind).toBe('risk_rejected')
    expect(e.message).toBe('Order notional limit 100.00 USDT exceeded: this order is 150.00 USDT')
    const audit = risk.audit({ limit: 10, decision: 'rejected' })
    expect(audit[0]).toMatchObject({
      rule: 'max_order_notional',
      limit: '100',
      value: '150',
      action: 'order',
    })
    expect(JSON.parse(audit[0]!.request)).toMatchObject({ symbol: 'BTC/USDT', side: 'buy', amount: '1.5' })
  })

  it('max position per symbol: filling it exactly passes, a step more is refused, reducing always passes', async () => {
    const { risk, buy, sell } = riskSetup(tempDir())
    risk.setLimits('global', { maxPositionNotional: '200' })
    await buy('1')
    await buy('1')
    expect((await refusal(buy('0.05'))).message).toBe(
      'Position limit for BTC/USDT 200.00 USDT exceeded: the position after this order is 205.00 USDT',
    )
    await expect(sell('0.5')).resolves.toMatchObject({ status: 'filled' })
  })

  it('max exposure across symbols', async () => {
    const { risk, trading, buy } = riskSetup(tempDir())
    risk.setLimits('global', { maxExposure: '300' })
    await buy('2')
    const eth = (amount: string) =>
      trading.placeOrder({ accountId: A, symbol: 'ETH/USDT', side: 'buy', type: 'market', amount })
    await expect(eth('10')).resolves.toMatchObject({ status: 'filled' })
    const e = await refusal(eth('0.5'))
    expect(e.message).toBe('Exposure limit 300.00 USDT exceeded: exposure after this order is 305.00 USDT')
    expect(risk.audit({ limit: 1 })[0]).toMatchObject({ rule: 'max_exposure', value: '305' })
  })

  it('max open orders counts resting orders; the N-th passes, the next is refused, a cancel makes room', async () => {
    const { risk, trading, buy } = riskSetup(tempDir())
    risk.setLimits('global', { maxOpenOrders: 2 })
    const limit = () =>
      trading.placeOrder({
        accountId: A,
        symbol: 'BTC/USDT',
        side: 'buy',
        type: 'limit',
        amount: '0.1',
        price: '90',
      })
    const first = await limit()
    await limit()
    expect((await refusal(limit())).message).toBe('Open orders limit 2 reached: 2 open, this would be 3')
    // A market order does not rest.
    await expect(buy('0.1')).resolves.toMatchObject({ status: 'filled' })
    await trading.cancelOrder(A, first.clientOrderId)
    await expect(limit()).resolves.toMatchObject({ status: 'open' })
  })

  it('order rate per second and per minute, counted over the last 1 s and 60 s', async () => {
    const { risk, clock, buy } = riskSetup(tempDir())
    risk.setLimits('global', { maxOrdersPerSecond: 3, maxOrdersPerMinute: 5 })
    for (let i = 0; i < 3; i++) await buy('0.1')
    expect((await refusal(buy('0.1'))).message).toBe(
      'Order rate limit 3 per second reached: this would be order 4 in the last second',
    )
    clock.advance(1_000)
    await buy('0.1')
    await buy('0.1')
    expect((await refusal(buy('0.1'))).message).toBe(
      'Order rate limit 5 per minute reached: this would be order 6 in the last minute',
    )
    clock.advance(59_000)
    await expect(buy('0.1')).resolves.toMatchObject({ status: 'filled' })
  })

  it('allowed symbols: others are refused, but reducing a position there still passes', async () => {
    const { risk, buy, sell } = riskSetup(tempDir())
    await buy('1')
    risk.setLimits('global', { allowedSymbols: ['ETH/USDT'] })
    expect((await refusal(buy('0.1'))).message).toBe('BTC/USDT is not on the allowed symbols list (ETH/USDT)')
    await expect(sell('1')).resolves.toMatchObject({ status: 'filled' })
  })

  it('max drawdown from peak equity: equal to the limit refuses, reducing passes', async () => {
    const { risk, prices, buy, sell } = riskSetup(tempDir())
    await buy('50')
    await risk.valueAll() // peak 10,000
    prices.set('BTC/USDT', { bid: 90, ask: 90, last: 90 })
    await risk.valueAll() // equity 9,500: 5 % below the peak
    risk.setLimits('global', { maxDrawdownPercent: '5.01' })
    await expect(buy('0.1')).resolves.toMatchObject({ status: 'filled' })
    await risk.valueAll()
    risk.setLimits('global', { maxDrawdownPercent: '5' })
    expect((await refusal(buy('0.1'))).message).toBe(
      'Drawdown limit 5 % reached: equity 9500.00 USDT is 5.00 % below its peak 10000.00 USDT',
    )
    await expect(sell('1')).resolves.toMatchObject({ status: 'filled' })
  })

  it('max leverage: exposure equal to limit x equity passes', async () => {
    const { risk, buy } = riskSetup(tempDir())
    await risk.valueAll() // equity 10,000
    risk.setLimits('global', { maxLeverage: '0.5' })
    await expect(buy('50')).resolves.toMatchObject({ status: 'filled' })
    expect((await refusal(buy('0.05'))).message).toBe(
      'Leverage limit 0.5x: exposure after this order 5005.00 USDT is 0.5005x equity 10000.00 USDT',
    )
  })

  it('an account’s own limit overrides the global one, and null turns it off there', async () => {
    const { risk, buy } = riskSetup(tempDir())
    risk.setLimits('global', { maxOrderNotional: '50' })
    expect((await refusal(buy('1'))).kind).toBe('risk_rejected')
    risk.setLimits(A, { maxOrderNotional: null })
    await expect(buy('1')).resolves.toMatchObject({ status: 'filled' })
    expect(risk.overview().accounts[0]!.effectiveLimits.maxOrderNotional).toBeNull()
    expect(risk.overview().defaults.maxOpenOrders).toBe(500)
  })
})

describe('the daily loss limit', () => {
  it('a loss just under the limit trades on; reaching it halts the account until the reset, with the reason', async () => {
    const { risk, prices, clock, buy, db, trading } = riskSetup(tempDir())
    risk.setLimits('global', { dailyLossLimit: '5' })
    await risk.valueAll() // the day's bases
    await buy('1')
    prices.set('BTC/USDT', { bid: 95.01, ask: 95.01, last: 95.01 })
    await risk.valueAll()
    expect(risk.effectiveState(A).state).toBe('ACTIVE')
    await expect(buy('0.1')).resolves.toMatchObject({ status: 'filled' })
    prices.set('BTC/USDT', { bid: 95, ask: 95, last: 95 })
    await risk.valueAll() // 1.1 BTC: 5.5 + 0.01 x ... well past 5
    const state = risk.effectiveState(A)
    expect(state).toMatchObject({ state: 'HALTED', setBy: 'rule' })
    expect(state.reason).toMatch(/^Daily loss limit 5\.00 USDT reached: today's loss 5\.\d\d USDT$/)
    const e = await refusal(buy('0.1'))
    expect(e.kind).toBe('risk_rejected')
    expect(e.message).toContain('Daily loss limit 5.00 USDT reached')
    // Kept across a restart.
    const again = new RiskService({ db, clock, log: silentLogger, trading, valuationMs: false })
    expect(again.effectiveState(A).state).toBe('HALTED')
    // The next trading day (00:00 UTC by default) starts ACTIVE, counting from its own bases.
    clock.t = Date.UTC(2025, 0, 7, 0, 0, 0)
    expect(risk.effectiveState(A).state).toBe('ACTIVE')
    await risk.valueAll()
    expect(risk.overview().accounts[0]!.dayPnl).toBe('0')
    await expect(buy('0.1')).resolves.toMatchObject({ status: 'filled' })
  })

  it('exactly at the limit it is reached; REDUCING by choice lets only reducing orders through', async () => {
    const { risk, prices, buy, sell } = riskSetup(tempDir())
    risk.setLimits('global', { dailyLossLimit: '5', dailyLossAction: 'reduce' })
    await risk.valueAll()
    await buy('1')
    prices.set('BTC/USDT', { bid: 95, ask: 95, last: 95 })
    await risk.valueAll()
    expect(risk.overview().accounts[0]!.dayPnl).toBe('-5')
    expect(risk.effectiveState(A)).toMatchObject({
      state: 'REDUCING',
      reason: "Daily loss limit 5.00 USDT reached: today's loss 5.00 USDT",
    })
    expect((await refusal(buy('0.1'))).message).toMatch(/^Trading is REDUCING/)
    await expect(sell('0.5')).resolves.toMatchObject({ status: 'filled' })
  })
})
