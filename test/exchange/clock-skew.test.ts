import { describe, expect, it } from 'vitest'
import { effectiveSkew, estimateSkew, withinWindow } from '../../src/main/exchange/clock-skew'
import { useTempDirs } from '../support/temp-dir'
import { expectOk, useRig } from './support'

const newDir = useTempDirs()
const rig = useRig(newDir)

describe('clock skew estimate (hand-computed)', () => {
  it('takes the midpoint of the fastest round trip', () => {
    const e = estimateSkew([
      { sent: 0, received: 400, server: 9_000 },
      { sent: 1_000, received: 1_100, server: 5_050 }, // midpoint 1050 -> +4000, rtt 100
      { sent: 2_000, received: 2_300, server: 6_000 },
    ])
    expect(e).toEqual({ offsetMs: 4_000, rttMs: 100, uncertaintyMs: 50, samples: 3 })
    expect(estimateSkew([{ sent: 10_000, received: 10_020, server: 7_010 }]).offsetMs).toBe(-3_000)
  })

  it('decides whether signed requests fit the window', () => {
    const behind = { offsetMs: 4_000, rttMs: 100, uncertaintyMs: 50, samples: 1 } // exchange 4 s ahead of us
    expect(effectiveSkew(behind, false)).toBe(4_050)
    expect(effectiveSkew(behind, true)).toBe(50)
    expect(withinWindow(behind, false, 5_000)).toBe(true)
    expect(withinWindow(behind, false, 4_000)).toBe(false)
    expect(withinWindow(behind, true, 4_000)).toBe(true)
    // Our clock 1.5 s ahead: within any recvWindow, but exchanges refuse timestamps > 1 s in their future.
    const ahead = { offsetMs: -1_500, rttMs: 20, uncertaintyMs: 10, samples: 1 }
    expect(withinWindow(ahead, false, 60_000)).toBe(false)
    expect(withinWindow(ahead, true, 5_000)).toBe(true)
  })
})

describe('clock skew against the simulator', () => {
  it('measures a server clock 30 s ahead, and signs with it when adjusting', async () => {
    const { invoke, hub, sim } = await rig({ sim: { clockSkewMs: 30_000 } })
    const skew = expectOk(await invoke('exchange.clockSkew', { exchange: 'binance', samples: 3 }))
    expect(Math.abs(skew.offsetMs - 30_000)).toBeLessThanOrEqual(skew.uncertaintyMs + 5)
    expect(skew).toMatchObject({ samples: 3, adjusted: true, withinWindow: true, recvWindowMs: 10_000 })
    expect(skew.effectiveSkewMs).toBe(skew.uncertaintyMs)
    const keys = { apiKey: sim.apiKey, secret: sim.secret }
    expect(
      expectOk(await invoke('exchange.setKeys', { exchange: 'binance', ...keys, verify: true })),
    ).toMatchObject({ verified: true })
    const connection = await hub.connection('binance')
    const balance = await connection.call('fetchBalance', (ex) => ex.fetchBalance(), { signed: true })
    expect(balance['USDT']?.free).toBe(100_000)
    const health = expectOk(await invoke('exchange.health', { exchange: 'binance' }))[0]!
    expect(health.clockSkew?.offsetMs).toBeGreaterThan(29_000)
  })

  it('measures our own clock running 20 s ahead', async () => {
    const { invoke } = await rig({ clockOffsetMs: 20_000 })
    const skew = expectOk(await invoke('exchange.clockSkew', { exchange: 'binance' }))
    expect(Math.abs(skew.offsetMs + 20_000)).toBeLessThanOrEqual(skew.uncertaintyMs + 5)
  })

  it('refuses to sign, before sending anything, when the skew is outside the recvWindow and adjustment is off', async () => {
    const { invoke, hub, sim } = await rig({
      sim: { clockSkewMs: -15_000 },
      configure: { adjustForTimeDifference: false, recvWindowMs: 10_000 },
    })
    const skew = expectOk(await invoke('exchange.clockSkew', { exchange: 'binance' }))
    expect(skew).toMatchObject({ adjusted: false, withinWindow: false })
    expect(skew.effectiveSkewMs).toBeGreaterThan(14_900)
    expect(
      expectOk(
        await invoke('exchange.setKeys', {
          exchange: 'binance',
          apiKey: sim.apiKey,
          secret: sim.secret,
          verify: false,
        }),
      ).verified,
    ).toBe(false)
    const connection = await hub.connection('binance')
    const err = await connection
      .call('fetchBalance', (ex) => ex.fetchBalance(), { signed: true })
      .catch((e: unknown) => e)
    expect(err).toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(
        /Refusing to sign a request to binance: this computer's clock is 15\.\d s ahead of the exchange's .*10\.0 s recvWindow/,
      ),
    })
    expect(sim.state.requests({ kind: 'account' })).toHaveLength(0)

    // Turning adjustment on fixes it: the same skew, signed with the exchange's clock.
    expectOk(await invoke('exchange.configure', { exchange: 'binance', adjustForTimeDifference: true }))
    const fixed = await hub.connection('binance')
    const balance = await fixed.call('fetchBalance', (ex) => ex.fetchBalance(), { signed: true })
    expect(balance['BTC']?.free).toBe(1)
    expect(sim.state.requests({ kind: 'account' }).map((r) => r.status)).toEqual([200])
  })

  it('without the guard the exchange itself would refuse (-1021), which maps to unavailable with a clock hint', async () => {
    const { hub, sim } = await rig({
      sim: { clockSkewMs: -15_000 },
      configure: { adjustForTimeDifference: false },
    })
    await hub.setKeys('binance', { apiKey: sim.apiKey, secret: sim.secret }, false)
    const connection = await hub.connection('binance')
    // Never measured: the guard has nothing to go on, so the request goes out and is refused.
    const err = await connection.call('fetchBalance', (ex) => ex.fetchBalance()).catch((e: unknown) => e)
    expect(err).toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(/this computer’s clock is off from Binance’s/),
    })
    expect(sim.state.requests({ kind: 'account' }).map((r) => r.code)).toEqual([-1021])
  })
})
