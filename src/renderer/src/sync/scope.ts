import type { Result } from '../../../shared/contract/errors'
import type { CommandName, EventOf, ParamsIn, ResultOf, StreamName } from '../../../shared/contract'
import type { CandleworkClient } from '../../../shared/rpc/client'
import type { FollowOptions, SharedStreams } from './shared-streams'

/** What a scope needs from the app: the client's commands and the shared streams. */
export interface ScopePorts {
  invoke: CandleworkClient['invoke']
  streams: Pick<SharedStreams, 'follow'>
}

/**
 * One period in which a feature shows one thing (a view that is open, the account watched, the
 * series charted): what it asks and follows during that period, and nothing of it after. A
 * scope's command answers land only while it is open (and, within a lane, only the newest), its
 * streams deliver only while it is open and are stopped when it closes, and its timers are
 * cleared. So no feature keeps counters to recognise a stale answer.
 */
export class Scope {
  private open = true
  private readonly lanes = new Map<string, number>()
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>()
  private readonly cleanups: (() => void)[] = []

  constructor(private readonly ports: ScopePorts) {}

  /** Whether the scope is still the current one. */
  get active(): boolean {
    return this.open
  }

  /**
   * A turn in `lane`: true while this scope is open and no later turn of the same lane was
   * taken (only the newest request of a kind may write).
   */
  turn(lane?: string): () => boolean {
    if (lane === undefined) return () => this.open
    const n = (this.lanes.get(lane) ?? 0) + 1
    this.lanes.set(lane, n)
    return () => this.open && this.lanes.get(lane) === n
  }

  /**
   * Calls a command. Resolves to its result, or to null when the answer came too late: the scope
   * closed, or (with a `lane`) a newer call of that lane was made meanwhile. Null is never shown.
   */
  async invoke<N extends CommandName>(
    name: N,
    params: ParamsIn<N>,
    lane?: string,
  ): Promise<Result<ResultOf<N>> | null> {
    const fresh = this.turn(lane)
    const res = await this.ports.invoke(name, params)
    return fresh() ? res : null
  }

  /**
   * Follows a stream (shared with every other follower of the same key, see SharedStreams)
   * while the scope is open; returns what stops it sooner.
   */
  follow<N extends StreamName>(
    name: N,
    params: ParamsIn<N>,
    onEvent: (event: EventOf<N>) => void,
    options: FollowOptions<N> = {},
  ): () => void {
    if (!this.open) return () => {}
    const stop = this.ports.streams.follow(
      name,
      params,
      (e) => {
        if (this.open) onEvent(e)
      },
      {
        ...options,
        onEnd: (error) => {
          if (this.open) options.onEnd?.(error)
        },
      },
    )
    this.cleanups.push(stop)
    return stop
  }

  /** Runs `fn` after `ms` unless the scope closes first; a new call in the same lane replaces it. */
  later(lane: string, fn: () => void, ms: number): void {
    this.cancel(lane)
    if (!this.open) return
    this.timers.set(
      lane,
      setTimeout(() => {
        this.timers.delete(lane)
        if (this.open) fn()
      }, ms),
    )
  }

  /** Cancels what `later` planned in `lane`. */
  cancel(lane: string): void {
    clearTimeout(this.timers.get(lane))
    this.timers.delete(lane)
  }

  /** Runs `fn` when the scope closes (a store subscription, a listener). */
  onClose(fn: () => void): void {
    if (this.open) this.cleanups.push(fn)
    else fn()
  }

  close(): void {
    if (!this.open) return
    this.open = false
    for (const t of this.timers.values()) clearTimeout(t)
    this.timers.clear()
    for (const fn of this.cleanups.splice(0).reverse()) fn()
  }
}

/**
 * Holds one scope at a time: opening a new one closes the one before (a new account, a new
 * series). A feature keeps its slots as module constants; the mutable part lives in here.
 */
export class Slot<K = string> {
  private scope: Scope | null = null
  private scopeKey: K | null = null

  constructor(private readonly ports: () => ScopePorts) {}

  /** Closes the current scope and opens a new one, for `key` (what it shows) if given. */
  open(key: K | null = null): Scope {
    this.scope?.close()
    this.scope = new Scope(this.ports())
    this.scopeKey = key
    return this.scope
  }

  /** The key the open scope was opened for (null when none is open). */
  get key(): K | null {
    return this.current ? this.scopeKey : null
  }

  /** The open scope, if any. */
  get current(): Scope | null {
    return this.scope?.active ? this.scope : null
  }

  /** Closes the current scope, if `which` is it (or whatever is open when `which` is left out). */
  close(which?: Scope): void {
    if (which !== undefined && which !== this.scope) return
    this.scope?.close()
    this.scope = null
    this.scopeKey = null
  }
}
