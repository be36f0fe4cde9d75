import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../support/temp-dir'
import { A, refusal, riskSetup } from './support'

const tempDir = useTempDirs()

describe('trading states', () => {
  it('REDUCING: a sell up to the long passes, a sell larger than the long (a flip) and any buy are refused', async () => {
    const { risk, trading, buy, sell } = riskSetup(tempDir())
    // Coins held from the start, so a sell past the long is funded and only the risk engine refuses it.
    trading.resetPaper(A, {
      startingBalances: [
        { asset: 'USDT', amount: '10000' },
        { asset: 'BTC', amount: '5' },
      ],
    })
    await buy('1')
    risk.setState(A, 'REDUCING', 'winding down')
    const flip = await refusal(sell('1.5'))
    expect(flip.kind).toBe('risk_rejected')
    expect(flip.message).toBe(
      'Trading is REDUCING (winding down): only orders that reduce a position pass, and this sell of 1.5 BTC/USDT does not (the long is 1)',
    )
    expect((await refusal(buy('0.1'))).message).toMatch(/^Trading is REDUCING/)
    await expect(sell('0.4')).resolves.toMatchObject({ status: 'filled' })
    // Exactly the rest of the long closes it: reducing to flat passes.
    await expect(sell('0.6')).resolves.toMatchObject({ status: 'filled' })
    expect((await refusal(sell('0.1'))).message).toMatch(/there is no position to reduce/)
  })

  it('HALTED: no new orders or modifications, cancels pass; the global state applies to every account', async () => {
    const { risk, trading, buy } = riskSetup(tempDir())
    const resting = await trading.placeOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'limit',
      amount: '0.1',
      price: '90',
    })
    risk.setState('global', 'HALTED', 'lunch')
    expect(risk.effectiveState(A)).toMatchObject({ scope: 'global', state: 'HALTED', reason: 'lunch' })
    expect((await refusal(buy('0.1'))).message).toBe(
      'Trading is HALTED (lunch): no new orders until it is set ACTIVE again',
    )
    const mod = await refusal(
      trading.modifyOrder({ accountId: A, clientOrderId: resting.clientOrderId, price: '91' }),
    )
    expect(mod.message).toMatch(/orders cannot be modified; cancels still pass/)
    await expect(trading.cancelOrder(A, resting.clientOrderId)).resolves.toMatchObject({ status: 'canceled' })
    // The ticket's check says so before anything is sent, and counts nothing.
    const preview = await trading.validateOrder({
      accountId: A,
      symbol: 'BTC/USDT',
      side: 'buy',
      type: 'market',
      amount: '0.1',
    })
    expect(preview).toMatchObject({
      valid: false,
      error: { kind: 'risk_rejected', message: expect.stringMatching(/^Trading is HALTED \(lunch\)/) },
    })
    risk.setState('global', 'ACTIVE', 'back')
    await expect(buy('0.1')).resolves.toMatchObject({ status: 'filled' })
  })

  it('every decision is in the audit log, and it exports to CSV', async () => {
    const dir = tempDir()
    const { risk, buy } = riskSetup(dir)
    await buy('0.1')
    risk.setState(A, 'HALTED', 'done for today')
    await refusal(buy('0.1'))
    const log = risk.audit({ limit: 10 })
    expect(log.map((e) => [e.action, e.decision, e.rule])).toEqual([
      ['order', 'rejected', 'halted'],
      ['state', 'done', null],
      ['order', 'accepted', null],
    ])
    const file = join(dir, 'audit.csv')
    const { writeAuditCsv } = await import('../../src/main/risk/audit-export')
    await writeAuditCsv(file, log.reverse())
    const lines = readFileSync(file, 'utf8').trim().split('\r\n')
    expect(lines[0]).toBe('id,time,account,action,decision,rule,limit,value,message,request')
    expect(lines).toHaveLength(4)
    expect(lines[3]).toContain('rejected,halted,HALTED')
  })

  it('raises "risk limit hit" and "trading halted" through the alerts port, with the numbers', async () => {
    const raised: unknown[] = []
    const { risk, buy } = riskSetup(tempDir(), { alerts: { raise: (e) => raised.push(e) } })
    risk.setLimits('global', { maxOrderNotional: '100' })
    await refusal(buy('1.5'))
    risk.setState(A, 'HALTED', 'enough')
    expect(raised).toEqual([
      {
        kind: 'risk_limit_hit',
        subject: A,
        symbol: 'BTC/USDT',
        message: 'Order notional limit 100.00 USDT exceeded: this order is 150.00 USDT',
        values: { limit: 100, value: 150 },
      },
      { kind: 'trading_halted', subject: A, message: 'Demo paper: trading HALTED (enough)', values: {} },
    ])
  })
})
