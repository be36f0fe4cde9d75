import type { AppErrorShape } from '../../../shared/contract/errors'
import type { EventOf, ParamsIn, StreamName } from '../../../shared/contract'
import type { CandleworkClient } from '../../../shared/rpc/client'

/** How a late follower of a stream catches up: the stream's events so far folded into one. */
export type Join<N extends StreamName> = (folded: EventOf<N> | undefined, event: EventOf<N>) => EventOf<N>

/** For streams whose every event is the whole state (a market, a quote): the last one is the state. */
export const keepLast = <E>(_folded: E | undefined, event: E): E => event

export interface FollowOptions<N extends StreamName> {
  /** Runs when the stream ends (with its error, if it ended with one). */
  onEnd?: (error?: AppErrorShape) => void
  /**
   * The notice shown once when the stream ends with an error (whoever else follows it). Leave it
   * out for a follower that has nothing to say (another follower reports it).
   */
  endTitle?: string
  /**
   * How a follower that joins a stream already running catches up (it never sees the events
   * that came before it). Without it, a late follower gets only what comes after it joins.
   * Every follower of one stream name passes the same function (each stream has one follow
   * function in the feature that owns it).
   */
  join?: Join<N>
}

interface Follower {
  onEvent: (event: unknown) => void
  options: FollowOptions<StreamName>
}

interface Shared {
  followers: Set<Follower>
  stop: () => void
  /** The events so far folded by `join`, for late followers. */
  folded: unknown
  join: ((folded: unknown, event: unknown) => unknown) | undefined
}

/**
 * The renderer's streams, each subscribed once per key (name and params) however many parts of
 * the window follow it: the first follower subscribes, every event goes to each follower, the
 * last one to leave unsubscribes. An end (with or without an error) reaches every follower and
 * is reported once. Resubscribing after a reconnect is the client's (it keeps the one
 * subscription), so it happens once per key too.
 */
export class SharedStreams {
  private readonly shared = new Map<string, Shared>()

  constructor(
    private readonly subscribe: CandleworkClient['subscribe'],
    private readonly reportEnd: (title: string, error: AppErrorShape) => void,
  ) {}

  /** Follows `name` with `params`; returns what stops following it. */
  follow<N extends StreamName>(
    name: N,
    params: ParamsIn<N>,
    onEvent: (event: EventOf<N>) => void,
    options: FollowOptions<N> = {},
  ): () => void {
    const key = streamKey(name, params)
    const follower: Follower = {
      onEvent: onEvent as (event: unknown) => void,
      options: options as FollowOptions<StreamName>,
    }
    let entry = this.shared.get(key)
    if (entry) {
      entry.followers.add(follower)
      const caughtUp = entry
      // Not inside follow(): the caller is still setting up (it has not even got its stop).
      if (caughtUp.folded !== undefined) {
        const folded = caughtUp.folded
        queueMicrotask(() => {
          if (caughtUp.followers.has(follower)) follower.onEvent(folded)
        })
      }
    } else {
      const created: Shared = {
        followers: new Set([follower]),
        stop: () => {},
        folded: undefined,
        join: options.join as Shared['join'],
      }
      entry = created
      this.shared.set(key, created)
      created.stop = this.subscribe(
        name,
        params,
        (event) => {
          if (created.join) created.folded = created.join(created.folded, event)
          for (const f of [...created.followers]) f.onEvent(event)
        },
        (error) => this.ended(key, created, error),
      )
    }
    const mine = entry
    return () => {
      if (!mine.followers.delete(follower) || mine.followers.size > 0) return
      if (this.shared.get(key) === mine) this.shared.delete(key)
      mine.stop()
    }
  }

  /** How many streams are subscribed now (one per key). */
  get size(): number {
    return this.shared.size
  }

  private ended(key: string, entry: Shared, error: AppErrorShape | undefined): void {
    if (this.shared.get(key) === entry) this.shared.delete(key)
    const followers = [...entry.followers]
    entry.followers.clear()
    const title = followers.find((f) => f.options.endTitle !== undefined)?.options.endTitle
    if (error && title !== undefined) this.reportEnd(title, error)
    for (const f of followers) f.options.onEnd?.(error)
  }
}

/** One text per stream and params, whatever order the params' fields were written in. */
export function streamKey(name: string, params: unknown): string {
  return `${name}\u0000${stableJson(params)}`
}

function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined'
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`
  const o = v as Record<string, unknown>
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`
}
