import type { AppErrorShape } from '../../shared/contract/errors'
import type { ServerMessage } from '../../shared/rpc/wire'
import { coalesceKey } from './coalesce'
import type { CallContext } from './handlers'
import { readClientMessage } from './inbound'
import { TokenBucket } from './rate-limit'
import type { HandlerRegistry } from './registry'

/**
 * Sends one message to the peer. `coalesce` (events only) names what a later event of the
 * same subscription may replace while the peer is behind; transports without a backlog ignore it.
 */
export type SendMessage = (message: ServerMessage, coalesce?: string | null) => void

export interface SessionLimits {
  /** Live subscriptions one peer may hold (default 256); more are refused with `limit_exceeded`. */
  maxSubscriptions?: number
  /**
   * Calls (invokes and subscribes, malformed ones included) a peer may make: `burst` at once,
   * then `perSecond` (default 200 and 100). Beyond that they are answered `rate_limited` with
   * the time to wait. The app fires a few dozen at start-up and on a symbol change.
   */
  rate?: { burst: number; perSecond: number }
}

export interface SessionOptions extends SessionLimits {
  /** A frame that cannot be answered (no usable id), with why; the transport decides what to do. */
  onUnanswerable?: (reason: string) => void
  /** For tests of the rate limit. */
  now?: () => number
}

export const DEFAULT_MAX_SUBSCRIPTIONS = 256
export const DEFAULT_RATE = { burst: 200, perSecond: 100 }

/**
 * The server half of the wire protocol for one peer (a window or a socket). Transports feed it
 * raw messages and call `close()` when the peer goes; every subscription is disposed then.
 * Every message with a usable call id is answered, a malformed one with a `validation` error.
 */
export class RpcSession {
  private readonly subscriptions = new Map<number, () => void>()
  private closed = false
  private readonly bucket: TokenBucket
  private readonly maxSubscriptions: number

  constructor(
    private readonly registry: HandlerRegistry,
    private readonly send: SendMessage,
    private readonly ctx: CallContext,
    private readonly options: SessionOptions = {},
  ) {
    const rate = options.rate ?? DEFAULT_RATE
    this.bucket = new TokenBucket(rate.burst, rate.perSecond, options.now)
    this.maxSubscriptions = options.maxSubscriptions ?? DEFAULT_MAX_SUBSCRIPTIONS
  }

  get activeSubscriptions(): number {
    return this.subscriptions.size
  }

  /** Handles one message; resolves once it is answered (for an invoke, when the result is sent). */
  async receive(raw: unknown): Promise<void> {
    if (this.closed) return
    const read = readClientMessage(raw)
    if (read.kind === 'unanswerable') {
      this.options.onUnanswerable?.(read.reason)
      return
    }
    if (read.kind === 'invalid') {
      this.answer(read.id, read.answer, this.rateLimited() ?? read.error)
      return
    }
    const msg = read.message
    switch (msg.type) {
      case 'invoke': {
        const limited = this.rateLimited()
        if (limited) return this.answer(msg.id, 'result', limited)
        const result = await this.registry.invoke(msg.name, msg.params, this.ctx)
        this.deliver({ type: 'result', id: msg.id, result })
        return
      }
      case 'subscribe': {
        const limited = this.rateLimited()
        if (limited) return this.answer(msg.id, 'end', limited)
        this.startSubscription(msg.id, msg.name, msg.params)
        return
      }
      case 'unsubscribe':
        // Never limited: it only frees what the peer holds.
        this.stop(msg.id)
        return
    }
  }

  private rateLimited(): AppErrorShape | undefined {
    const waitMs = this.bucket.take()
    if (waitMs === 0) return undefined
    const retryAfter = waitMs / 1000
    const { burst, perSecond } = this.bucket
    return {
      kind: 'rate_limited',
      message: `Too many calls on this connection (at most ${burst} at once, then ${perSecond} a second): retry in ${retryAfter} s`,
      retryAfter,
    }
  }

  private answer(id: number, as: 'result' | 'end', error: AppErrorShape): void {
    this.deliver(
      as === 'result' ? { type: 'result', id, result: { ok: false, error } } : { type: 'end', id, error },
    )
  }

  private startSubscription(id: number, name: string, params: unknown): void {
    if (this.subscriptions.has(id)) {
      this.answer(id, 'end', { kind: 'conflict', message: `Subscription id ${id} is in use` })
      return
    }
    if (this.subscriptions.size >= this.maxSubscriptions) {
      this.answer(id, 'end', {
        kind: 'limit_exceeded',
        message: `At most ${this.maxSubscriptions} live subscriptions per connection: unsubscribe from some first`,
      })
      return
    }
    let ended = false
    const started = this.registry.subscribe(
      name,
      params,
      {
        emit: (event) => {
          if (!ended) this.deliver({ type: 'event', id, event }, coalesceKey(name, event))
        },
        end: (error) => {
          if (ended) return
          ended = true
          this.stop(id)
          this.deliver(error ? { type: 'end', id, error } : { type: 'end', id })
        },
      },
      this.ctx,
    )
    if (!started.ok) {
      this.deliver({ type: 'end', id, error: started.error })
      return
    }
    if (ended) started.dispose()
    else this.subscriptions.set(id, started.dispose)
  }

  private stop(id: number): void {
    const dispose = this.subscriptions.get(id)
    if (!dispose) return
    this.subscriptions.delete(id)
    dispose()
  }

  private deliver(message: ServerMessage, coalesce?: string | null): void {
    if (!this.closed) this.send(message, coalesce)
  }

  /** The peer is gone: dispose every subscription it held. */
  close(): void {
    if (this.closed) return
    this.closed = true
    for (const dispose of this.subscriptions.values()) dispose()
    this.subscriptions.clear()
  }
}
