import { describe, expect, it } from 'vitest'
import type { AppErrorShape } from '../../../shared/contract/errors'
import type { CandleworkClient } from '../../../shared/rpc/client'
import { Slot } from './scope'
import { SharedStreams, keepLast, streamKey } from './shared-streams'

/** A client's subscribe that counts subscriptions and lets the test play the engine. */
function engine() {
  const subs: {
    name: string
    params: unknown
    emit: (e: unknown) => void
    end: (e?: AppErrorShape) => void
    stopped: boolean
  }[] = []
  const subscribe = ((
    name: string,
    params: unknown,
    onEvent: (e: unknown) => void,
    onEnd?: (e?: AppErrorShape) => void,
  ) => {
    const sub = { name, params, emit: onEvent, end: (e?: AppErrorShape) => onEnd?.(e), stopped: false }
    subs.push(sub)
    return () => {
      sub.stopped = true
    }
  }) as CandleworkClient['subscribe']
  const reports: string[] = []
  const streams = new SharedStreams(subscribe, (title) => reports.push(title))
  return { subs, streams, reports, live: () => subs.filter((s) => !s.stopped) }
}

const BTC = { source: 'demo', symbol: 'BTC/USDT' }
const tick = () => new Promise<void>((r) => queueMicrotask(r))

describe('shared streams', () => {
  it('subscribes signals.updates once for one symbol however many follow it, and stops with the last', () => {
    const { subs, streams, live } = engine()
    const a: unknown[] = []
    const b: unknown[] = []
    const stopA = streams.follow('signals.updates', BTC, (e) => a.push(e))
    // The same params written in another order are the same stream.
    const stopB = streams.follow('signals.updates', { symbol: 'BTC/USDT', source: 'demo' }, (e) => b.push(e))
    expect(subs).toHaveLength(1)
    subs[0]!.emit({ kind: 'update' })
    expect(a).toEqual([{ kind: 'update' }])
    expect(b).toEqual([{ kind: 'update' }])
    stopA()
    expect(live()).toHaveLength(1)
    stopA() // stopping twice changes nothing
    expect(live()).toHaveLength(1)
    stopB()
    expect(live()).toHaveLength(0)
    // Another symbol is another stream.
    streams.follow('signals.updates', { ...BTC, symbol: 'ETH/USDT' }, () => {})
    streams.follow('signals.updates', BTC, () => {})
    expect(subs).toHaveLength(3)
    expect(streams.size).toBe(2)
  })

  it('gives a late follower what came before it, folded, when the stream says how', async () => {
    const { subs, streams } = engine()
    streams.follow('trading.quote', { accountId: 'a', symbol: 'BTC/USDT' }, () => {}, { join: keepLast })
    subs[0]!.emit({ last: '1' })
    subs[0]!.emit({ last: '2' })
    const late: unknown[] = []
    streams.follow('trading.quote', { accountId: 'a', symbol: 'BTC/USDT' }, (e) => late.push(e), {
      join: keepLast,
    })
    expect(late).toEqual([])
    await tick()
    expect(late).toEqual([{ last: '2' }])
    expect(subs).toHaveLength(1)
  })

  it('reports an end with an error once, tells every follower, and subscribes afresh after', () => {
    const { subs, streams, reports } = engine()
    const ends: (string | undefined)[] = []
    streams.follow('market.tickers', {}, () => {}, {
      onEnd: (e) => ends.push(e?.kind),
      endTitle: 'Live prices stopped',
    })
    streams.follow('market.tickers', {}, () => {}, {
      onEnd: (e) => ends.push(e?.kind),
      endTitle: 'Prices stopped',
    })
    subs[0]!.end({ kind: 'internal', message: 'boom' })
    expect(reports).toEqual(['Live prices stopped'])
    expect(ends).toEqual(['internal', 'internal'])
    streams.follow('market.tickers', {}, () => {})
    expect(subs).toHaveLength(2)
  })

  it('keys streams by name and params', () => {
    expect(streamKey('a', { x: 1, y: undefined })).toBe(streamKey('a', { x: 1 }))
    expect(streamKey('a', { x: 1 })).not.toBe(streamKey('b', { x: 1 }))
  })
})

describe('scopes', () => {
  const slotOn = (streams: SharedStreams, answers: Map<string, (v: unknown) => void>) =>
    new Slot(() => ({
      streams,
      invoke: ((name: string) =>
        new Promise<unknown>((resolve) =>
          answers.set(name, (v) => resolve({ ok: true, value: v })),
        )) as unknown as CandleworkClient['invoke'],
    }))

  it('drops an answer for a scope that was replaced, and an older answer in the same lane', async () => {
    const { streams } = engine()
    const answers = new Map<string, (v: unknown) => void>()
    const slot = slotOn(streams, answers)
    const first = slot.open()
    const old = first.invoke('trading.accounts', {})
    const second = slot.open()
    expect(first.active).toBe(false)
    answers.get('trading.accounts')!([])
    expect(await old).toBeNull()
    const a = second.invoke('trading.orders', { accountId: 'x' }, 'orders')
    const resolveA = answers.get('trading.orders')!
    const b = second.invoke('trading.orders', { accountId: 'x' }, 'orders')
    const resolveB = answers.get('trading.orders')!
    resolveB(['new'])
    resolveA(['old'])
    expect(await a).toBeNull()
    expect(await b).toEqual({ ok: true, value: ['new'] })
  })

  it('stops its streams and timers when it closes', async () => {
    const { streams, live, subs } = engine()
    const slot = slotOn(streams, new Map())
    const scope = slot.open()
    const seen: unknown[] = []
    scope.follow('market.tickers', {}, (e) => seen.push(e))
    let fired = false
    scope.later('t', () => (fired = true), 0)
    subs[0]!.emit(1)
    slot.close()
    subs[0]!.emit(2)
    expect(seen).toEqual([1])
    expect(live()).toHaveLength(0)
    await new Promise((r) => setTimeout(r, 5))
    expect(fired).toBe(false)
  })
})
