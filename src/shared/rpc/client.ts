import type { AppErrorShape, Result } from '../contract/errors'
import type { CommandName, EventOf, ParamsIn, ResultOf, StreamName } from '../contract'
import type { ClientMessage, ServerMessage } from './wire'

/** What the renderer (and any script) talks to, whichever transport is underneath. */
export interface CandleworkClient {
  invoke<N extends CommandName>(name: N, params: ParamsIn<N>): Promise<Result<ResultOf<N>>>
  subscribe<N extends StreamName>(
    name: N,
    params: ParamsIn<N>,
    onEvent: (event: EventOf<N>) => void,
    onEnd?: (error?: AppErrorShape) => void,
  ): () => void
}

interface Pending {
  name: string
  resolve: (r: Result<unknown>) => void
  timer: ReturnType<typeof setTimeout>
}
interface Subscription {
  /** The wire id of its current subscribe (a new one each time it is re-sent). */
  id: number
  name: StreamName
  params: unknown
  onEvent: (e: unknown) => void
  onEnd: ((error?: AppErrorShape) => void) | undefined
}

/**
 * The client half of the wire protocol over any message channel. Every invoke settles exactly
 * once: with the server's answer, with `unavailable` on timeout, or when the channel closes.
 *
 * A channel that can come back (the browser's WebSocket) uses `suspend` and `resume` instead
 * of `close`: commands in flight settle at once with `unavailable` (nobody knows whether they
 * ran), new commands are refused while suspended, and streams stay registered and are
 * subscribed again on `resume`, so features never re-implement resubscription.
 */
export class RpcClient implements CandleworkClient {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly subscriptions = new Map<number, Subscription>()
  private closed = false
  /** Why commands are refused for now (the channel is down but may come back), else null. */
  private suspendedFor: string | null = null

  constructor(
    private readonly send: (message: ClientMessage) => void,
    private readonly timeoutMs = 30_000,
  ) {}

  invoke<N extends CommandName>(name: N, params: ParamsIn<N>): Promise<Result<ResultOf<N>>> {
    if (this.closed) return Promise.resolve(closedResult())
    if (this.suspendedFor !== null) return Promise.resolve(unavailable(this.suspendedFor))
    const id = this.nextId++
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        resolve({
          ok: false,
          error: { kind: 'unavailable', message: `${name} timed out after ${this.timeoutMs} ms` },
        })
      }, this.timeoutMs)
      this.pending.set(id, { name, resolve: resolve as Pending['resolve'], timer })
      this.send({ type: 'invoke', id, name, params })
    })
  }

  subscribe<N extends StreamName>(
    name: N,
    params: ParamsIn<N>,
    onEvent: (event: EventOf<N>) => void,
    onEnd?: (error?: AppErrorShape) => void,
  ): () => void {
    if (this.closed) {
      onEnd?.(closedResult().error)
      return () => {}
    }
    const sub: Subscription = {
      id: this.nextId++,
      name,
      params,
      onEvent: onEvent as (e: unknown) => void,
      onEnd,
    }
    this.subscriptions.set(sub.id, sub)
    // While suspended the stream is only registered: `resume` sends it.
    if (this.suspendedFor === null) this.send({ type: 'subscribe', id: sub.id, name, params })
    return () => {
      if (this.subscriptions.get(sub.id) !== sub) return
      this.subscriptions.delete(sub.id)
      if (!this.closed && this.suspendedFor === null) this.send({ type: 'unsubscribe', id: sub.id })
    }
  }

  /** Feed every message the server sends. */
  receive(message: ServerMessage): void {
    switch (message.type) {
      case 'result': {
        const p = this.pending.get(message.id)
        if (!p) return
        this.pending.delete(message.id)
        clearTimeout(p.timer)
        p.resolve(message.result)
        return
      }
      case 'event':
        this.subscriptions.get(message.id)?.onEvent(message.event)
        return
      case 'end': {
        const s = this.subscriptions.get(message.id)
        this.subscriptions.delete(message.id)
        s?.onEnd?.(message.error)
        return
      }
      case 'heartbeat':
        return // for the link that carries messages (see the renderer's ReconnectingLink)
    }
  }

  /** Streams currently registered (subscribed, or waiting for `resume`). */
  get streamCount(): number {
    return this.subscriptions.size
  }

  /**
   * The channel dropped but may come back: every command in flight settles now with
   * `unavailable` (naming the command: it may or may not have run), new commands are refused
   * with `reason`, and streams are kept, silent, until `resume`.
   */
  suspend(reason = 'not connected'): void {
    if (this.closed) return
    this.suspendedFor = reason
    const pending = [...this.pending.values()]
    this.pending.clear()
    for (const p of pending) {
      clearTimeout(p.timer)
      p.resolve(
        unavailable(
          `The connection to the Candlework engine was lost before ${p.name} answered: it may or may not have taken effect.`,
        ),
      )
    }
  }

  /** The channel is back (a new peer session): every stream still wanted is subscribed again. */
  resume(): void {
    if (this.closed || this.suspendedFor === null) return
    this.suspendedFor = null
    const subs = [...this.subscriptions.values()]
    this.subscriptions.clear()
    for (const s of subs) {
      s.id = this.nextId++
      this.subscriptions.set(s.id, s)
      this.send({ type: 'subscribe', id: s.id, name: s.name, params: s.params })
    }
  }

  /** The channel is gone: settle everything still open. */
  close(reason = 'connection closed'): void {
    if (this.closed) return
    this.closed = true
    const error: AppErrorShape = { kind: 'unavailable', message: reason }
    for (const p of this.pending.values()) {
      clearTimeout(p.timer)
      p.resolve({ ok: false, error })
    }
    this.pending.clear()
    const subs = [...this.subscriptions.values()]
    this.subscriptions.clear()
    for (const s of subs) s.onEnd?.(error)
  }
}

function unavailable(message: string): { ok: false; error: AppErrorShape } {
  return { ok: false, error: { kind: 'unavailable', message } }
}

function closedResult(): { ok: false; error: AppErrorShape } {
  return unavailable('connection closed')
}
