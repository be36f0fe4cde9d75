import { describe, expect, it } from 'vitest'
import { FaultController, parseFaultSpec } from './faults'

describe('fault spec grammar', () => {
  it('parses the documented example', () => {
    expect(parseFaultSpec('latency=50,timeout=0.02,429=0.05,5xx=0.05,drop-after-accept=0.05')).toEqual({
      latency: [{ scope: '*', minMs: 50, maxMs: 50 }],
      rules: [
        { scope: '*', fault: 'timeout', probability: 0.02 },
        { scope: '*', fault: '429', probability: 0.05 },
        { scope: '*', fault: '5xx', probability: 0.05 },
        { scope: '*', fault: 'drop-after-accept', probability: 0.05 },
      ],
    })
  })

  it('parses scopes, latency ranges and the global settings', () => {
    expect(
      parseFaultSpec(
        ' order:latency=20-80 , createOrder:duplicate=0.1,hold=2000,retry-after=5,partial-fraction=0.3',
      ),
    ).toEqual({
      latency: [{ scope: 'order', minMs: 20, maxMs: 80 }],
      rules: [{ scope: 'createOrder', fault: 'duplicate', probability: 0.1 }],
      holdMs: 2000,
      retryAfterS: 5,
      partialFraction: 0.3,
    })
    expect(parseFaultSpec('')).toEqual({ latency: [], rules: [] })
  })

  it.each([
    ['bogus=0.1', 'unknown key'],
    ['429', 'not key=value'],
    ['429=1.5', 'probability above 1'],
    ['429=-0.1', 'bad number'],
    ['latency=80-20', 'reversed'],
    ['order:hold=5', 'cannot be scoped'],
    ['partial-fraction=1', 'partial-fraction'],
    [':429=0.1', 'empty scope'],
  ])('rejects %s', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message)
  })

  it('programmed faults are consumed per scope and in order; partial only hits order placement', () => {
    const f = new FaultController(1)
    f.next('createOrder', 'partial', 1, { fraction: 0.3 })
    f.next('order', '503', 2)
    f.delayNext('public', 40)
    const create = { kind: 'createOrder', groups: ['private', 'order'] }
    const cancel = { kind: 'cancelOrder', groups: ['private', 'order'] }
    const depth = { kind: 'depth', groups: ['public'] }
    expect(f.pending()).toBe(4)
    expect(f.decide(cancel).fault?.kind).toBe('503')
    expect(f.decide(create).fault).toMatchObject({ kind: 'partial', fraction: 0.3 })
    expect(f.decide(create).fault?.kind).toBe('503')
    expect(f.decide(create).fault).toBeUndefined()
    expect(f.decide(depth)).toEqual({ latencyMs: 40, programmed: false })
    expect(f.pending()).toBe(0)
  })

  it('the "5xx" shorthand picks among 500, 502 and 503', () => {
    const f = new FaultController(9, '5xx=1')
    const seen = new Set<string>()
    for (let i = 0; i < 60; i++)
      seen.add(f.decide({ kind: 'ping', groups: ['public'] }).fault?.kind ?? 'none')
    expect([...seen].sort()).toEqual(['500', '502', '503'])
  })
})
