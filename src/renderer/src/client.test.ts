import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  reconnectDelay,
  NEW_TOKEN_MESSAGE,
  NO_TOKEN_MESSAGE,
  OPEN_TIMEOUT_MS,
  PROBE_TIMEOUT_MS,
  ReconnectingLink,
  TOKEN_CHANGED_MESSAGE,
  type ConnectionStatus,
  type ProbeResult,
  type SocketLike,
} from './client'

interface FakeEvent {
  data: unknown
  code?: number
}

/** A socket the test opens, feeds and closes by hand. */
class FakeSocket implements SocketLike {
  readyState = 0
  sent: unknown[] = []
  private listeners: Record<string, ((e: FakeEvent) => void)[]> = {}
  addEventListener(type: string, listener: (e: FakeEvent) => void): void {
    ;(this.listeners[type] ??= []).push(listener)
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text))
  }
  close(): void {
    this.drop()
  }
  accept(): void {
    this.readyState = 1
    this.fire('open')
  }
  /** Closed by the other end; 1006 is what a browser reports for a connection that just went. */
  drop(code = 1006): void {
    this.readyState = 3
    this.fire('close', { data: undefined, code })
  }
  message(msg: unknown): void {
    this.fire('message', { data: JSON.stringify(msg) })
  }
  private fire(type: string, e: FakeEvent = { data: undefined }): void {
    for (const l of this.listeners[type] ?? []) l(e)
  }
}

function setup(probe: ProbeResult = 'unknown') {
  const sockets: FakeSocket[] = []
  const states: ConnectionStatus[] = []
  let restored = 0
  const probes = { count: 0, answer: probe }
  const link = new ReconnectingLink(
    {
      open: () => {
        const s = new FakeSocket()
        sockets.push(s)
        return s
      },
      probe: () => {
        probes.count++
        return Promise.resolve(probes.answer)
      },
      random: () => 0.5, // no jitter: delays are the plain doubling
    },
    { onStatus: (s) => states.push(s), onRestored: () => restored++ },
    60_000,
  )
  const last = (): FakeSocket => sockets[sockets.length - 1]!
  return { link, sockets, states, probes, last, restored: () => restored }
}

describe('reconnectDelay', () => {
  it('doubles from 0.5 s and stops at 15 s', () => {
    const mid = (): number => 0.5
    expect([0, 1, 2, 3, 4, 5, 6, 10, 50].map((f) => reconnectDelay(f, mid))).toEqual([
      500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000, 15_000,
    ])
  })

  it('moves each delay by at most 20% either way, never above the cap', () => {
    expect(reconnectDelay(0, () => 0)).toBe(400)
    expect(reconnectDelay(0, () => 0.999999)).toBe(600)
    expect(reconnectDelay(3, () => 0)).toBe(3200)
    expect(reconnectDelay(10, () => 0.999999)).toBe(15_000)
    expect(reconnectDelay(10, () => 0)).toBe(12_000)
  })
})

describe('ReconnectingLink', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(1_000_000)
  })
  afterEach(() => vi.useRealTimers())

  it('sends what was written before the first open, then reports open', () => {
    const { link, last, states } = setup()
    link.start()
    void link.client.invoke('system.info', {})
    expect(states.map((s) => s.state)).toEqual(['connecting'])
    last().accept()
    expect(last().sent).toMatchObject([{ type: 'invoke', name: 'system.info' }])
    expect(link.current.state).toBe('open')
  })

  it('after a drop: fails commands in flight, waits 0.5 s, 1 s, 2 s … 15 s, resubscribes and says restored', async () => {
    const t = setup()
    t.link.start()
    t.last().accept()
    const events: unknown[] = []
    t.link.client.subscribe('market.tickers', {}, (e) => events.push(e))
    const inFlight = t.link.client.invoke('system.info', {})

    t.last().drop()
    const r = await inFlight
    expect(r.ok).toBe(false)
    expect(t.link.current).toMatchObject({ state: 'reconnecting', failures: 0, retryAt: 1_000_500 })

    // Each failed attempt doubles the wait (probe answers "unknown": the host is just down).
    const waits: number[] = []
    for (let i = 0; i < 7; i++) {
      const before = t.sockets.length
      const retryAt = t.link.current.retryAt!
      waits.push(retryAt - Date.now())
      await vi.advanceTimersByTimeAsync(retryAt - Date.now() - 1)
      expect(t.sockets.length).toBe(before) // not a moment early
      await vi.advanceTimersByTimeAsync(1)
      expect(t.sockets.length).toBe(before + 1)
      expect(t.link.current).toMatchObject({ state: 'reconnecting', retryAt: null })
      t.last().drop()
      await vi.advanceTimersByTimeAsync(0) // the probe
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000])
    expect(t.probes.count).toBe(7)

    await vi.advanceTimersByTimeAsync(t.link.current.retryAt! - Date.now())
    t.last().accept()
    expect(t.link.current).toMatchObject({ state: 'open', failures: 0 })
    expect(t.restored()).toBe(1)
    expect(t.last().sent).toMatchObject([{ type: 'subscribe', name: 'market.tickers' }])
    const id = (t.last().sent[0] as { id: number }).id
    t.last().message({ type: 'event', id, event: { x: 1 } })
    expect(events).toEqual([{ x: 1 }])

    // A later drop starts again from 0.5 s.
    t.last().drop()
    expect(t.link.current.retryAt! - Date.now()).toBe(500)
  })

  it('retryNow skips the wait, and does nothing while an attempt is under way or when open', async () => {
    const t = setup()
    t.link.start()
    t.last().accept()
    t.link.retryNow()
    expect(t.sockets).toHaveLength(1)
    t.last().drop()
    t.link.retryNow()
    expect(t.sockets).toHaveLength(2)
    t.link.retryNow()
    expect(t.sockets).toHaveLength(2)
    t.last().accept()
    expect(t.restored()).toBe(1)
    // The timer of the skipped wait does not fire a second attempt (well within the silence limit).
    await vi.advanceTimersByTimeAsync(10_000)
    expect(t.sockets).toHaveLength(2)
  })

  it('a probe that settles during an attempt the trader started does not schedule another', async () => {
    let fail: (e: Error) => void = () => {}
    const sockets: FakeSocket[] = []
    const link = new ReconnectingLink(
      {
        open: () => {
          const s = new FakeSocket()
          sockets.push(s)
          return s
        },
        // The host is down: the probe's fetch fails, later.
        probe: () => new Promise<ProbeResult>((_r, reject) => (fail = reject)),
        random: () => 0.5,
      },
      { onStatus: () => {}, onRestored: () => {} },
    )
    link.start()
    sockets[0]!.drop() // the first attempt fails: a probe starts
    link.retryNow() // the trader does not wait for it
    expect(sockets).toHaveLength(2)
    fail(new Error('Failed to fetch'))
    await vi.advanceTimersByTimeAsync(OPEN_TIMEOUT_MS - 1)
    expect(sockets).toHaveLength(2)
    sockets[1]!.accept()
    expect(link.current.state).toBe('open')
  })

  it('stops for good on 401 and ends every stream once, after saying closed', async () => {
    const t = setup()
    t.link.start()
    t.last().accept()
    const seen: string[] = []
    t.link.client.subscribe(
      'market.tickers',
      {},
      () => {},
      () => seen.push(`ended while ${t.link.current.state}`),
    )
    t.last().drop()
    t.probes.answer = 'unauthorized'
    await vi.advanceTimersByTimeAsync(500)
    t.last().drop()
    await vi.advanceTimersByTimeAsync(0)
    expect(t.link.current).toMatchObject({ state: 'closed', reason: NEW_TOKEN_MESSAGE, retryAt: null })
    expect(seen).toEqual(['ended while closed'])
    const attempts = t.sockets.length
    t.link.retryNow()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(t.sockets).toHaveLength(attempts)
    const r = await t.link.client.invoke('system.info', {})
    expect(r.ok).toBe(false)
  })

  it('stops for good when the host closes the socket because its token was changed (4001)', async () => {
    const t = setup()
    t.link.start()
    t.last().accept()
    const ended: string[] = []
    t.link.client.subscribe(
      'market.tickers',
      {},
      () => {},
      () => ended.push(t.link.current.state),
    )
    t.last().drop(4001)
    expect(t.link.current).toMatchObject({ state: 'closed', reason: TOKEN_CHANGED_MESSAGE, retryAt: null })
    expect(ended).toEqual(['closed'])
    // No attempt with the old token, no probe, not even when asked or after the silence limit.
    t.link.retryNow()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(t.sockets).toHaveLength(1)
    expect(t.probes.count).toBe(0)
  })

  it('a page without a token says what to open and never tries to connect', async () => {
    const t = setup()
    t.link.abandon(NO_TOKEN_MESSAGE)
    expect(t.states).toEqual([{ state: 'closed', retryAt: null, failures: 0, reason: NO_TOKEN_MESSAGE }])
    t.link.retryNow()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(t.sockets).toHaveLength(0)
    expect((await t.link.client.invoke('system.info', {})).ok).toBe(false)
  })

  it('keeps retrying when the very first connection fails, without sending the queue twice', async () => {
    const t = setup()
    t.link.start()
    const stop = t.link.client.subscribe('market.tickers', {}, () => {})
    const first = t.link.client.invoke('system.info', {})
    t.last().drop()
    await vi.advanceTimersByTimeAsync(0)
    expect((await first).ok).toBe(false)
    expect(t.link.current).toMatchObject({ state: 'reconnecting', failures: 1 })
    await vi.advanceTimersByTimeAsync(1000)
    t.last().accept()
    expect(t.last().sent).toMatchObject([{ type: 'subscribe', name: 'market.tickers' }])
    expect(t.last().sent).toHaveLength(1)
    stop()
    expect(t.last().sent[1]).toMatchObject({ type: 'unsubscribe' })
  })

  describe('heartbeats and timeouts', () => {
    const heartbeat = (everyMs: number) => ({ type: 'heartbeat', everyMs })

    it('an open link that hears nothing for three heartbeats is taken for dead and replaced', async () => {
      const t = setup()
      t.link.start()
      t.last().accept()
      t.last().message(heartbeat(1000)) // the host announces its interval: the limit is 3 s
      const stale = t.last()
      // Anything heard restarts the count: here an event at 2.9 s, then a heartbeat at 5.8 s.
      await vi.advanceTimersByTimeAsync(2900)
      stale.message({ type: 'event', id: 99, event: {} })
      await vi.advanceTimersByTimeAsync(2900)
      stale.message(heartbeat(1000))
      await vi.advanceTimersByTimeAsync(2999)
      expect(t.link.current.state).toBe('open')
      const inFlight = t.link.client.invoke('system.info', {})
      await vi.advanceTimersByTimeAsync(1)
      expect(t.link.current).toMatchObject({ state: 'reconnecting', failures: 0 })
      expect(stale.readyState).toBe(3) // closed by the link, not waited for
      const r = await inFlight
      // Sent before the link was found dead: it may or may not have run, and says so.
      expect(r).toMatchObject({ ok: false, error: { message: expect.stringMatching(/may or may not/) } })
      expect((await t.link.client.invoke('system.info', {})).ok).toBe(false) // and new ones fail at once
      // Its late messages are ignored; the next attempt comes after the usual 0.5 s.
      stale.message(heartbeat(1000))
      expect(t.sockets).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(500)
      expect(t.sockets).toHaveLength(2)
      t.last().accept()
      expect(t.link.current.state).toBe('open')
      expect(t.restored()).toBe(1)
    })

    it('heartbeats keep a link that carries nothing else open', async () => {
      const t = setup()
      t.link.start()
      t.last().accept()
      for (let s = 0; s < 120; s++) {
        t.last().message(heartbeat(1000))
        await vi.advanceTimersByTimeAsync(1000)
      }
      expect(t.sockets).toHaveLength(1)
      expect(t.link.current.state).toBe('open')
    })

    it('without any heartbeat yet, the limit is three of the default interval (45 s)', async () => {
      const t = setup()
      t.link.start()
      t.last().accept()
      await vi.advanceTimersByTimeAsync(44_999)
      expect(t.link.current.state).toBe('open')
      await vi.advanceTimersByTimeAsync(1)
      expect(t.link.current.state).toBe('reconnecting')
    })

    it('an attempt that does not open within OPEN_TIMEOUT_MS fails and is retried', async () => {
      const t = setup()
      t.link.start()
      const hanging = t.last() // a frozen host: the connection is accepted, the upgrade never answered
      await vi.advanceTimersByTimeAsync(OPEN_TIMEOUT_MS - 1)
      expect(t.link.current.state).toBe('connecting')
      await vi.advanceTimersByTimeAsync(1)
      expect(hanging.readyState).toBe(3)
      expect(t.link.current).toMatchObject({ state: 'reconnecting', failures: 1 })
      expect(t.probes.count).toBe(1)
      await vi.advanceTimersByTimeAsync(1000)
      expect(t.sockets).toHaveLength(2)
      hanging.accept() // a late open of the abandoned socket changes nothing
      expect(t.link.current.state).toBe('reconnecting')
      t.last().accept()
      expect(t.link.current.state).toBe('open')
    })

    it('a probe that never answers counts as "unknown" after PROBE_TIMEOUT_MS', async () => {
      const sockets: FakeSocket[] = []
      const link = new ReconnectingLink(
        {
          open: () => {
            const s = new FakeSocket()
            sockets.push(s)
            return s
          },
          probe: () => new Promise<ProbeResult>(() => {}), // a frozen host never answers HTTP either
          random: () => 0.5,
        },
        { onStatus: () => {}, onRestored: () => {} },
      )
      link.start()
      sockets[0]!.drop()
      await vi.advanceTimersByTimeAsync(PROBE_TIMEOUT_MS - 1)
      expect(link.current.retryAt).toBeNull()
      await vi.advanceTimersByTimeAsync(1)
      expect(link.current.retryAt).toBe(Date.now() + 1000)
      await vi.advanceTimersByTimeAsync(1000)
      expect(sockets).toHaveLength(2)
    })
  })
})
