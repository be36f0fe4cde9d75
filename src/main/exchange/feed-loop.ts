import type { AppError } from '../../shared/contract/errors'
import { backoffDelay } from '../../shared/net/backoff'
import { classifyExchangeError } from './errors'

export type Transport = 'websocket' | 'polling'

/**
 * One live value, two ways to get it: `watch` resolves with the next update pushed over a
 * websocket (a ccxt.pro `watch*` call); `poll` fetches the current value over REST. The feed loop
 * does not care which it uses.
 */
export interface FeedSource<T> {
  watch?: (() => Promise<T>) | undefined
  poll: () => Promise<T>
  /** Ends the websocket subscription (ccxt.pro `unWatch*`), best effort. */
  unwatch?: (() => Promise<unknown>) | undefined
}

export interface FeedOptions {
  /** Pause between polls. */
  pollIntervalMs: number
  /** Reconnect backoff after the n-th consecutive failure (`shared/net/backoff.ts`), or Retry-After if longer. */
  backoffBaseMs: number
  backoffMaxMs: number
  /** Consecutive websocket failures after which the feed falls back to polling. */
  wsFailuresBeforeFallback: number
  /** After falling back, try the websocket again this long later. */
  wsRetryAfterMs: number
}

export const DEFAULT_FEED: FeedOptions = {
  pollIntervalMs: 2_000,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  wsFailuresBeforeFallback: 3,
  wsRetryAfterMs: 5 * 60_000,
}

export interface FeedHandlers<T> {
  data(value: T, transport: Transport): void
  /** A failed attempt; the loop backs off and tries again by itself. */
  error?(error: AppError, transport: Transport, attempt: number): void
  /** The transport changed (fallback to polling, or back to the websocket). */
  transport?(transport: Transport): void
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}

/** Watches cancelled by another feed's unwatch that are retried at once before one counts as failed. */
const MAX_CANCELLED_IN_A_ROW = 3

/** ccxt's `UnsubscribeError`: the watch was cancelled by an unwatch of the same stream, not failed. */
function isUnsubscribe(err: unknown): boolean {
  return (
    err instanceof Error && (err.name === 'UnsubscribeError' || err.constructor.name === 'UnsubscribeError')
  )
}

/**
 * Runs a live feed until the returned function is called: websocket first when the source has one,
 * REST polling otherwise. Failures back off exponentially (honouring Retry-After) and reconnect;
 * `wsFailuresBeforeFallback` websocket failures in a row (or the exchange saying it does not support
 * it) switch to polling, and the websocket is tried again `wsRetryAfterMs` later. A handler that
 * throws is treated like a failed attempt.
 */
export function runFeed<T>(
  source: FeedSource<T>,
  handlers: FeedHandlers<T>,
  options: FeedOptions = DEFAULT_FEED,
  now: () => number = Date.now,
): (() => void) & { finished: Promise<void> } {
  const stop = new AbortController()
  let transport: Transport = source.watch ? 'websocket' : 'polling'
  let fellBackAt: number | null = null
  const setTransport = (t: Transport) => {
    if (t === transport) return
    transport = t
    handlers.transport?.(t)
  }

  const finished = (async () => {
    let failures = 0
    let cancelledInARow = 0
    let polledOnce = false
    while (!stop.signal.aborted) {
      if (
        transport === 'polling' &&
        source.watch &&
        fellBackAt !== null &&
        now() - fellBackAt >= options.wsRetryAfterMs
      ) {
        fellBackAt = null
        failures = 0
        setTransport('websocket')
      }
      try {
        if (transport === 'polling' && polledOnce) await abortableSleep(options.pollIntervalMs, stop.signal)
        // Let timers and I/O run between updates even if a source answers without waiting.
        else await new Promise<void>((resolve) => setImmediate(resolve))
        if (stop.signal.aborted) break
        const value = transport === 'websocket' && source.watch ? await source.watch() : await source.poll()
        if (transport === 'polling') polledOnce = true
        if (stop.signal.aborted) break
        failures = 0
        cancelledInARow = 0
        handlers.data(value, transport)
      } catch (err) {
        if (stop.signal.aborted) break
        // ccxt shares one subscription per stream on an instance: a feed of the same stream that
        // stopped (a chart left the symbol and came back) unwatches it and rejects this watch too.
        // Nothing failed: watch again, a few times in a row at most (then it counts as a failure).
        if (isUnsubscribe(err) && cancelledInARow < MAX_CANCELLED_IN_A_ROW) {
          cancelledInARow++
          continue
        }
        cancelledInARow = 0
        failures++
        const c = classifyExchangeError(err, {
          operation: transport === 'websocket' ? 'watch' : 'poll',
          mutating: false,
        })
        handlers.error?.(c.error, transport, failures)
        const unsupported = err instanceof Error && /NotSupported/.test(err.constructor.name)
        if (transport === 'websocket' && (unsupported || failures >= options.wsFailuresBeforeFallback)) {
          fellBackAt = now()
          failures = 0
          polledOnce = false
          setTransport('polling')
          continue
        }
        const wait = backoffDelay(
          failures,
          { baseMs: options.backoffBaseMs, maxMs: options.backoffMaxMs },
          { retryAfterMs: (c.error.retryAfter ?? 0) * 1000 },
        )
        await abortableSleep(wait, stop.signal)
      }
    }
  })()

  const stopFeed = () => {
    if (stop.signal.aborted) return
    stop.abort()
    if (transport === 'websocket' && source.unwatch) void source.unwatch().catch(() => undefined)
  }
  /** Settles when the loop has exited (after a stop, once any request in flight has returned). */
  return Object.assign(stopFeed, { finished })
}

/**
 * Passes on at most one value per `intervalMs`, always the newest: the first at once, then the
 * latest of each interval at its end. The renderer wants the state per frame, not every message.
 */
export function coalesce<T>(
  emit: (value: T) => void,
  intervalMs: number,
): { push(value: T): void; dispose(): void } {
  let pending: { value: T } | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  const flush = () => {
    timer = null
    if (pending) {
      const { value } = pending
      pending = null
      emit(value)
      timer = setTimeout(flush, intervalMs)
    }
  }
  return {
    push(value) {
      if (timer === null) {
        emit(value)
        timer = setTimeout(flush, intervalMs)
      } else pending = { value }
    },
    dispose() {
      if (timer !== null) clearTimeout(timer)
      timer = null
      pending = null
    },
  }
}
