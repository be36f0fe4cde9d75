import { clientMessageSchema, type ServerMessage } from '../../shared/rpc/wire'
import type { CallContext } from './handlers'
import type { HandlerRegistry } from './registry'

/**
 * The server half of the wire protocol for one peer (a window or a socket). Transports feed it
 * raw messages and call `close()` when the peer goes; every subscription is disposed then.
 */
export class RpcSession {
  private readonly subscriptions = new Map<number, () => void>()
  private closed = false

  constructor(
    private readonly registry: HandlerRegistry,
    private readonly send: (message: ServerMessage) => void,
    private readonly ctx: CallContext,
  ) {}

  get activeSubscriptions(): number {
    return this.subscriptions.size
  }

  async receive(raw: unknown): Promise<void> {
    if (this.closed) return
    const parsed = clientMessageSchema.safeParse(raw)
    if (!parsed.success) return // not our protocol; nothing can be answered without an id
    const msg = parsed.data
    switch (msg.type) {
      case 'invoke': {
        const result = await this.registry.invoke(msg.name, msg.params, this.ctx)
        this.deliver({ type: 'result', id: msg.id, result })
        return
      }
      case 'subscribe':
        this.startSubscription(msg.id, msg.name, msg.params)
        return
      case 'unsubscribe':
        this.stop(msg.id)
        return
    }
  }

  private startSubscription(id: number, name: string, params: unknown): void {
    if (this.subscriptions.has(id)) {
      this.deliver({
        type: 'end',
        id,
        error: { kind: 'conflict', message: `Subscription id ${id} is in use` },
      })
      return
    }
    let ended = false
    const started = this.registry.subscribe(
      name,
      params,
      {
        emit: (event) => {
          if (!ended) this.deliver({ type: 'event', id, event })
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

  private deliver(message: ServerMessage): void {
    if (!this.closed) this.send(message)
  }

  /** The peer is gone: dispose every subscription it held. */
  close(): void {
    if (this.closed) return
    this.closed = true
    for (const dispose of this.subscriptions.values()) dispose()
    this.subscriptions.clear()
  }
}
