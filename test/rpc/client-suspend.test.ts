import { describe, expect, it } from 'vitest'
import { RpcClient } from '../../src/shared/rpc/client'
import type { ClientMessage } from '../../src/shared/rpc/wire'

function client() {
  const sent: ClientMessage[] = []
  const c = new RpcClient((m) => sent.push(m), 60_000)
  return { c, sent }
}

describe('RpcClient suspend and resume', () => {
  it('settles commands in flight at once, naming them, and refuses new ones while suspended', async () => {
    const { c, sent } = client()
    const inFlight = c.invoke('system.info', {})
    expect(sent).toHaveLength(1)
    c.suspend('Not connected: reconnecting.')
    const r = await inFlight
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.kind).toBe('unavailable')
      expect(r.error.message).toMatch(/lost before system\.info answered/)
    }
    const later = await c.invoke('system.info', {})
    expect(later).toEqual({
      ok: false,
      error: { kind: 'unavailable', message: 'Not connected: reconnecting.' },
    })
    expect(sent).toHaveLength(1)
  })

  it('keeps streams across a suspend and subscribes them again, with new ids, on resume', () => {
    const { c, sent } = client()
    const events: unknown[] = []
    const ends: unknown[] = []
    c.subscribe(
      'market.tickers',
      {},
      (e) => events.push(e),
      (e) => ends.push(e),
    )
    const first = sent[0] as Extract<ClientMessage, { type: 'subscribe' }>
    expect(first).toMatchObject({ type: 'subscribe', name: 'market.tickers' })

    c.suspend()
    expect(ends).toEqual([]) // not ended: it will come back
    // A stream opened while suspended is registered, not sent.
    const stop2 = c.subscribe('signals.updates', { source: 'demo', symbol: 'BTC/USDT' }, () => {})
    expect(sent).toHaveLength(1)
    // One stopped while suspended is forgotten without a message.
    stop2()

    c.resume()
    const again = sent.slice(1) as Extract<ClientMessage, { type: 'subscribe' }>[]
    expect(again).toHaveLength(1)
    expect(again[0]).toMatchObject({ type: 'subscribe', name: 'market.tickers', params: {} })
    expect(again[0]!.id).not.toBe(first.id)

    // Events for the new id reach the same listener; the old id is dead.
    c.receive({ type: 'event', id: first.id, event: 'stale' })
    c.receive({ type: 'event', id: again[0]!.id, event: 'fresh' })
    expect(events).toEqual(['fresh'])
    expect(c.streamCount).toBe(1)
  })

  it('unsubscribes with the current id after a resume', () => {
    const { c, sent } = client()
    const stop = c.subscribe('market.tickers', {}, () => {})
    c.suspend()
    c.resume()
    const id = (sent[1] as { id: number }).id
    stop()
    expect(sent[2]).toEqual({ type: 'unsubscribe', id })
    stop()
    expect(sent).toHaveLength(3)
    expect(c.streamCount).toBe(0)
  })

  it('does not resubscribe a stream the server ended', () => {
    const { c, sent } = client()
    c.subscribe('market.tickers', {}, () => {})
    c.receive({ type: 'end', id: (sent[0] as { id: number }).id })
    c.suspend()
    c.resume()
    expect(sent).toHaveLength(1)
  })

  it('close after suspend ends every stream with the reason', () => {
    const { c } = client()
    const ends: unknown[] = []
    c.subscribe(
      'market.tickers',
      {},
      () => {},
      (e) => ends.push(e),
    )
    c.suspend()
    c.close('new token')
    expect(ends).toEqual([{ kind: 'unavailable', message: 'new token' }])
    c.resume()
    expect(c.streamCount).toBe(0)
  })
})
