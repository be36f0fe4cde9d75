import type { Balance, Position, TradingUpdate } from '../../shared/domain/trading'
import type { ChangeBus } from './bus'

/** What the feed asks the service, once per change of an account (whoever subscribed). */
export interface AccountNow {
  /** The positions of `symbols` now (flat ones included); null when the account is gone. */
  positions(accountId: string, symbols: ReadonlySet<string>): Position[] | null
  /** The account's balances now, as `trading.balances` answers; null when there are none. */
  balances(accountId: string): Promise<{ asOf: number; stale: boolean; balances: Balance[] } | null>
}

interface Subscriber {
  /** One account, or every account (undefined). */
  accountId: string | undefined
  emit: (u: TradingUpdate) => void
}

/**
 * The `trading.updates` stream for every subscriber: one listener on the change bus while
 * anyone is subscribed. Orders, fills and reconciliation events go out as they happen, with
 * their rows; positions and balances are recomputed at most once per `coalesceMs` per account,
 * for the symbols that changed, and the same rows go to every subscriber of that account
 * (before, each subscriber recomputed them for itself).
 */
export class UpdatesFeed {
  private readonly subscribers = new Set<Subscriber>()
  private off: (() => void) | null = null
  /** Accounts with a position or balance change not yet sent, and the symbols whose fills changed. */
  private readonly dirty = new Map<string, Set<string>>()
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly bus: ChangeBus,
    private readonly now: AccountNow,
    private readonly coalesceMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  subscribe(accountId: string | undefined, emit: (u: TradingUpdate) => void): () => void {
    const sub: Subscriber = { accountId, emit }
    this.subscribers.add(sub)
    this.off ??= this.bus.on((c) => {
      const acc =
        c.type === 'order'
          ? c.order.accountId
          : c.type === 'fill'
            ? c.fill.accountId
            : c.type === 'reconciliation'
              ? c.event.accountId
              : c.accountId
      if (c.type === 'order') this.send(acc, { type: 'order', accountId: acc, order: c.order })
      else if (c.type === 'fill') {
        this.send(acc, { type: 'fill', accountId: acc, fill: c.fill })
        this.touch(acc, c.fill.symbol)
      } else if (c.type === 'reconciliation') {
        this.send(acc, { type: 'reconciliation', accountId: acc, event: c.event })
      } else if (c.type === 'accountRemoved') {
        this.dirty.delete(acc)
        this.send(acc, { type: 'accountRemoved', accountId: acc })
      } else this.touch(acc)
    })
    return () => {
      this.subscribers.delete(sub)
      if (this.subscribers.size > 0) return
      this.close()
    }
  }

  /** Stops listening and drops what was not sent. */
  close(): void {
    this.off?.()
    this.off = null
    clearTimeout(this.timer)
    this.timer = undefined
    this.dirty.clear()
  }

  private wants(accountId: string): boolean {
    for (const s of this.subscribers) if (s.accountId === undefined || s.accountId === accountId) return true
    return false
  }

  private send(accountId: string, u: TradingUpdate): void {
    for (const s of [...this.subscribers]) {
      if (s.accountId === undefined || s.accountId === accountId) s.emit(u)
    }
  }

  private touch(accountId: string, symbol?: string): void {
    if (!this.wants(accountId)) return
    let symbols = this.dirty.get(accountId)
    if (!symbols) this.dirty.set(accountId, (symbols = new Set()))
    if (symbol !== undefined) symbols.add(symbol)
    this.timer ??= setTimeout(() => void this.flush(), this.coalesceMs)
  }

  private async flush(): Promise<void> {
    this.timer = undefined
    const work = [...this.dirty]
    this.dirty.clear()
    for (const [accountId, symbols] of work) {
      try {
        if (symbols.size > 0) {
          const positions = this.now.positions(accountId, symbols)
          // Deleted meanwhile: subscribers were told (accountRemoved), nothing is left to recompute.
          if (positions === null) continue
          this.send(accountId, { type: 'positions', accountId, positions })
        }
        const balances = await this.now.balances(accountId)
        if (balances && this.off !== null) this.send(accountId, { type: 'balance', accountId, ...balances })
      } catch (err) {
        this.onError(err)
      }
    }
  }
}
