import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../support/temp-dir'
import { expectOk, useRig } from './support'

/*
 * exchange.checkKeys against the simulator, over real ccxt: one signed request with the keys
 * already stored, answering for the exchange's verdict and leaving the keys as they are.
 */
const rig = useRig(useTempDirs())

describe('checking stored API keys', () => {
  it('answers with the masked key and the round trip, after one signed request', async () => {
    const { sim, invoke } = await rig()
    const stored = expectOk(
      await invoke('exchange.setKeys', {
        exchange: 'binance',
        apiKey: sim.apiKey,
        secret: sim.secret,
        verify: false,
      }),
    )
    expect(stored.verified).toBe(false)
    const before = sim.state.requests({ kind: 'account' }).length
    const checked = expectOk(await invoke('exchange.checkKeys', { exchange: 'binance' }))
    expect(checked).toMatchObject({ exchange: 'binance', maskedKey: stored.maskedKey })
    expect(checked.latencyMs).toBeGreaterThanOrEqual(0)
    expect(checked.checkedAt).toBeGreaterThan(0)
    const signed = sim.state.requests({ kind: 'account' }).slice(before)
    expect(signed).toHaveLength(1)
    expect(signed[0]?.code).toBeUndefined() // answered, not refused
  })

  it('keys the exchange refuses: auth_failed, and they stay stored until the trader replaces them', async () => {
    const { sim, invoke } = await rig()
    expectOk(
      await invoke('exchange.setKeys', {
        exchange: 'binance',
        apiKey: sim.apiKey,
        secret: 'x'.repeat(64),
        verify: false,
      }),
    )
    const r = await invoke('exchange.checkKeys', { exchange: 'binance' })
    expect(r).toMatchObject({ ok: false, error: { kind: 'auth_failed' } })
    const connections = expectOk(await invoke('exchange.connections', {}))
    expect(connections.find((c) => c.exchange === 'binance')?.maskedKey).not.toBeNull()
  })

  it('an exchange that cannot be reached says so, not that the keys are wrong', async () => {
    const { sim, invoke } = await rig()
    expectOk(
      await invoke('exchange.setKeys', {
        exchange: 'binance',
        apiKey: sim.apiKey,
        secret: sim.secret,
        verify: false,
      }),
    )
    sim.faults.next('account', '503', 5)
    const r = await invoke('exchange.checkKeys', { exchange: 'binance' })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error.kind).not.toBe('auth_failed')
  })

  it('no stored keys: not_found, with nothing sent', async () => {
    const { sim, invoke } = await rig()
    const r = await invoke('exchange.checkKeys', { exchange: 'binance' })
    expect(r).toMatchObject({ ok: false, error: { kind: 'not_found' } })
    expect(r.ok === false && r.error.message).toMatch(/No API keys are stored for binance/)
    expect(sim.state.requests({ kind: 'account' })).toHaveLength(0)
  })
})
