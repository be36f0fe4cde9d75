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
  resolve: (r: Result<unknown>) => void
  timer: ReturnType<typeof setTimeout>
}
interface Subscription {
  onEvent: (e: unknown) => void
  onEnd: ((error?: AppErrorShape) => void) | undefined
}

/**
 * The client half of the wire protocol over any message channel. Every invoke settles exactly
 * once: with the server's answer, with `unavailable` on timeout, or when the channel closes.
 */
export class RpcClient implements CandleworkClient {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly subscriptions = new Map<number, Subscription>()
  private closed = false

  constructor(
    private readonly send: (message: ClientMessage) => void,
    private readonly timeoutMs = 30_000,
  ) {}

  invoke<N extends CommandName>(name: N, params: ParamsIn<N>): Promise<Result<ResultOf<N>>> {
    if (this.closed) return Promise.resolve(closedResult())
    const id = this.nextId++
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        resolve({
          ok: false,
          error: { kind: 'unavailable', message: `${name} timed out after ${this.timeoutMs} ms` },
        })
      }, this.timeoutMs)
      this.pending.set(id, { resolve: resolve as Pending['resolve'], timer })
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
    const id = this.nextId++
    this.subscriptions.set(id, { onEvent: onEvent as (e: unknown) => void, onEnd })
    this.send({ type: 'subscribe', id, name, params })
    return () => {
      if (this.subscriptions.delete(id) && !this.closed) this.send({ type: 'unsubscribe', id })
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

function closedResult(): { ok: false; error: AppErrorShape } {
  return { ok: false, error: { kind: 'unavailable', message: 'connection closed' } }
}
