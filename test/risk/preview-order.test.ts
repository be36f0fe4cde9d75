/**
 * risk.previewOrder on a real paper account (trading service, SQLite, the risk engine wired in)
 * with the demo market's daily history: each limit's headroom now and after the order, the rule
 * that would refuse it, and the account's VaR before and after; nothing counted or recorded.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createDemoMarket } from '../../src/main/demo'
import { previewOrderRisk } from '../../src/main/risk/order-preview'
import { marketBarSource } from '../../src/main/signals/bars'
import { orderRiskPreviewSchema } from '../../src/shared/contract/risk-preview'
import type { OrderRequest } from '../../src/shared/domain/trading'
import { A, refusal, riskSetup, type RiskSetup } from './support'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function setup(): RiskSetup {
  const dir = mkdtempSync(join(tmpdir(), 'cw-preview-'))
  dirs.push(dir)
  return riskSetup(dir)
}

const btc = (side: 'buy' | 'sell', amount: string, extra: Partial<OrderRequest> = {}): OrderRequest => ({
  accountId: A,
  symbol: 'BTC/USDT',
  side,
  type: 'market',
  amount,
  ...extra,
})

describe('risk.previewOrder', () => {
  it('shows each limit now, after the order and its headroom, the refusing rule, and VaR before/after', async () => {
    const s = setup()
    try {
      s.risk.setLimits(A, {
        maxOrderNotional: '1000',
        maxPositionNotional: '500',
        maxExposure: '800',
        maxOpenOrders: 3,
        maxLeverage: '2',
        allowedSymbols: ['BTC/USDT', 'ETH/USDT'],
      })
      await s.buy('2') // 2 BTC at 100: a position of 200
      await s.risk.valueAll()
      const deps = {
        trading: s.trading,
        service: s.risk,
        bars: { bars: marketBarSource(s.db, createDemoMarket()) },
        now: () => Date.now(),
      }
      const p = await previewOrderRisk(deps, btc('buy', '3'))
      expect(orderRiskPreviewSchema.parse(p)).toEqual(p)
      expect(p.refusal).toBeNull()
      expect(p.notional).toBe('300')
      const row = (rule: string) => p.limits.find((l) => l.rule === rule)!
      expect(row('max_order_notional')).toMatchObject({
        limit: '1000.00',
        after: '300.00',
        headroom: '700.00',
      })
      // The position's edge: 500 after the order equals the limit, which passes (headroom 0).
      expect(row('max_position_notional')).toMatchObject({
        now: '200.00',
        after: '500.00',
        headroom: '0.00',
        applies: true,
      })
      expect(row('max_exposure')).toMatchObject({ now: '200.00', after: '500.00', headroom: '300.00' })
      // Equity 10,000 (no fees): leverage 0.02 now, 0.05 after.
      expect(row('max_leverage')).toMatchObject({ now: '0.0200', after: '0.0500', headroom: '1.9500' })
      // The one order placed counts; this one would be the second.
      expect(row('max_orders_per_second')).toMatchObject({ limit: '20', now: '1', after: '2' })
      expect(row('max_open_orders')).toMatchObject({ now: '0', after: '0', applies: false })
      expect(row('allowed_symbols')).toMatchObject({ applies: true, note: 'BTC/USDT is on the list' })

      // VaR from the demo's daily history: a one-asset book scales with its size, 2 → 5 BTC.
      expect(p.var.returns).toBeGreaterThan(90)
      expect(p.var.before).toBeGreaterThan(0)
      expect(p.var.after! / p.var.before!).toBeCloseTo(2.5, 9)

      // One more BTC breaks the position limit: the same words the order path would answer.
      const over = await previewOrderRisk(deps, btc('buy', '4'))
      expect(over.refusal?.rule).toBe('max_position_notional')
      expect(over.limits.find((l) => l.rule === 'max_position_notional')).toMatchObject({
        after: '600.00',
        headroom: '-100.00',
      })
      const placed = await refusal(s.buy('4'))
      expect(placed.kind).toBe('risk_rejected')
      expect(placed.message).toBe(over.refusal!.message)

      // Selling the position: the money rules do not look at an order that only reduces it, and
      // the account is left without risk.
      const close = await previewOrderRisk(deps, btc('sell', '2'))
      expect(close.refusal).toBeNull()
      expect(close.limits.find((l) => l.rule === 'max_exposure')).toMatchObject({
        applies: false,
        note: 'not checked: the order only reduces the position',
      })
      expect(close.var.after).toBe(0)
    } finally {
      s.risk.close()
      s.db.close()
    }
  })

  it('counts and records nothing; HALTED is the refusal; a bad order answers its validation error', async () => {
    const s = setup()
    try {
      const deps = { trading: s.trading, service: s.risk, now: () => Date.now() }
      for (let i = 0; i < 5; i++) await previewOrderRisk(deps, btc('buy', '1'))
      const p = await previewOrderRisk(deps, btc('buy', '1', { type: 'limit', price: '90' }))
      expect(p.limits.find((l) => l.rule === 'max_orders_per_second')).toMatchObject({ now: '0', after: '1' })
      expect(p.limits.find((l) => l.rule === 'max_open_orders')).toMatchObject({
        now: '0',
        after: '1',
        applies: true,
      })
      expect(p.var).toMatchObject({ before: null, after: null, note: 'no market history here' })
      expect(s.risk.audit({ limit: 100 }).filter((e) => e.action === 'order')).toEqual([])

      s.risk.setState(A, 'HALTED', 'lunch')
      const halted = await previewOrderRisk(deps, btc('buy', '1'))
      expect(halted.state).toBe('HALTED')
      expect(halted.refusal).toMatchObject({ rule: 'halted' })
      expect(halted.refusal!.message).toContain('lunch')

      const bad = await refusal(previewOrderRisk(deps, btc('buy', '1000')))
      expect(bad.kind).not.toBe('risk_rejected')
      expect(bad.path).toBeDefined()
    } finally {
      s.risk.close()
      s.db.close()
    }
  })
})
