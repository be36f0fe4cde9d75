import type { exchangeContract, ExchangeHealth, ExchangeInfo } from '../../shared/contract/exchange'
import { pickCredentials } from '../../shared/domain/credentials'
import { AppError } from '../../shared/contract/errors'
import type { Clock } from '../clock'
import type { HandlersOf } from '../domain'
import type { StreamSink } from '../rpc/handlers'
import type { Db } from '../storage/database'
import { backfillCandles } from './backfill'
import { endsFeed } from './errors'
import { proClass } from './ccxt-loader'
import { candleSource, formingBars, orderBookSource, tickerSource } from './feeds'
import type { ExchangeHub } from './hub'
import {
  coalesce,
  DEFAULT_FEED,
  runFeed,
  type FeedOptions,
  type FeedSource,
  type Transport,
} from './feed-loop'

export interface ExchangeHandlerDeps {
  db: Db
  clock: Clock
  hub: ExchangeHub
  feed?: Partial<FeedOptions>
  /** Live streams send at most one event per this many ms (default 250). */
  coalesceMs?: number
  /** Health events without a breaker change, at most one per exchange per this many ms (default 1000). */
  healthThrottleMs?: number
}

/**
 * The `exchange.*` commands and streams over one hub (the domain's, see domain.ts): ccxt
 * exchanges by id, public market data without keys, candle backfill into the candle store, live
 * data (websocket or polling), health, clock skew and API keys.
 */
export function exchangeHandlers(deps: ExchangeHandlerDeps): HandlersOf<typeof exchangeContract> {
  const { hub } = deps
  const feedOptions: FeedOptions = { ...DEFAULT_FEED, ...deps.feed }
  const coalesceMs = deps.coalesceMs ?? 250
  const healthThrottleMs = deps.healthThrottleMs ?? 1000
  /** `exchange.list`'s answer, made once: ccxt's list does not change while the engine runs. */
  let list: Promise<ExchangeInfo[]> | undefined

  /** Runs a live feed into a stream sink; ends the stream on errors no reconnect can fix. */
  function liveStream<T, E>(
    exchange: string,
    sink: StreamSink<E>,
    makeSource: (connection: Awaited<ReturnType<ExchangeHub['connection']>>) => FeedSource<T>,
    toEvents: (emit: (e: E) => void) => (value: T, transport: Transport) => void,
    coalesced: boolean,
  ): () => void {
    let stopFeed: (() => void) | null = null
    let ended = false
    const out = coalesce<E>((e) => sink.emit(e), coalesced ? coalesceMs : 0)
    const emit = coalesced ? (e: E) => out.push(e) : (e: E) => sink.emit(e)
    const finish = (error?: AppError) => {
      if (ended) return
      ended = true
      stopFeed?.()
      out.dispose()
      sink.end(error?.toShape())
    }
    hub.connection(exchange).then(
      (connection) => {
        if (ended) return
        const onValue = toEvents(emit)
        stopFeed = runFeed(
          makeSource(connection),
          {
            data: onValue,
            error: (err) => {
              if (endsFeed(err)) finish(err)
            },
          },
          feedOptions,
          () => deps.clock.now(),
        )
      },
      (err: unknown) =>
        finish(err instanceof AppError ? err : new AppError('internal', `${exchange} could not be opened`)),
    )
    return () => {
      ended = true
      stopFeed?.()
      out.dispose()
    }
  }

  return {
    'exchange.list': () => {
      list ??= (async () => {
        const ccxt = await hub.ccxt()
        const catalog = await hub.catalog()
        return ccxt.exchanges.map((id) => ({
          id,
          name: catalog.get(id)?.name ?? id,
          credentials: catalog.get(id)?.credentials ?? ['apiKey', 'secret'],
          websocket: proClass(ccxt, id) !== undefined,
        }))
      })()
      list.catch(() => {
        list = undefined
      })
      return list
    },

    'exchange.connections': () => hub.connections(),

    'exchange.configure': async ({ exchange, ...patch }) => {
      const { connection, keysRemoved } = await hub.configure(exchange, patch)
      return { ...connection, keysRemoved }
    },

    'exchange.markets': async ({ exchange, reload }) => (await hub.connection(exchange)).markets(reload),

    'exchange.backfill': async ({ exchange, symbol, timeframe, from, to, maxRequests, pageLimit }) => {
      const connection = await hub.connection(exchange)
      const market = await connection.market(symbol)
      const known = connection.ohlcvPageLimit(market)
      const limit = Math.min(pageLimit ?? known ?? 500, known ?? Number.POSITIVE_INFINITY)
      const outcome = await backfillCandles(
        deps.db,
        { source: connection.source, symbol, timeframe },
        {
          fetch: (since, n) => connection.fetchOHLCV(symbol, timeframe, since, n),
          pageLimit: limit,
        },
        { from, to, maxRequests },
        { now: deps.clock.now() },
      )
      return { exchange, source: connection.source, symbol, timeframe, ...outcome }
    },

    'exchange.ticker': async ({ exchange, symbol }) => (await hub.connection(exchange)).ticker(symbol),

    'exchange.orderBook': async ({ exchange, symbol, depth }) =>
      (await hub.connection(exchange)).orderBook(symbol, depth),

    'exchange.health': async ({ exchange }) => {
      if (exchange !== undefined) await hub.connection(exchange)
      return hub.health(exchange)
    },

    'exchange.clockSkew': async ({ exchange, samples }) =>
      (await hub.connection(exchange)).measureClockSkew(samples),

    'exchange.setKeys': async ({ exchange, verify, ...given }) => {
      const keys = pickCredentials(given)
      const { maskedKey, verified } = await hub.setKeys(exchange, keys, verify)
      return { exchange, maskedKey, verified }
    },

    'exchange.checkKeys': async ({ exchange }) => ({
      exchange,
      ...(await hub.checkKeys(exchange)),
      checkedAt: deps.clock.now(),
    }),

    'exchange.removeKeys': async ({ exchange }) => ({ exchange, removed: await hub.removeKeys(exchange) }),

    'exchange.healthUpdates': ({ exchange }, sink) => {
      let closed = false
      const timers = new Map<string, ReturnType<typeof setTimeout>>()
      const send = (id: string) => {
        const h: ExchangeHealth | undefined = hub.health(id)[0]
        if (h && !closed) sink.emit(h)
      }
      const off = hub.onHealth((id, stateChanged) => {
        if (closed || (exchange !== undefined && id !== exchange)) return
        if (stateChanged) {
          const t = timers.get(id)
          if (t) clearTimeout(t)
          timers.delete(id)
          send(id)
          return
        }
        if (timers.has(id)) return
        timers.set(
          id,
          setTimeout(() => {
            timers.delete(id)
            send(id)
          }, healthThrottleMs),
        )
      })
      if (exchange !== undefined) {
        hub.connection(exchange).then(
          () => send(exchange),
          (err: unknown) => {
            if (closed) return
            closed = true
            off()
            sink.end(
              (err instanceof AppError
                ? err
                : new AppError('internal', `${exchange} could not be opened`)
              ).toShape(),
            )
          },
        )
      } else {
        for (const h of hub.health()) sink.emit(h)
      }
      return () => {
        closed = true
        off()
        for (const t of timers.values()) clearTimeout(t)
        timers.clear()
      }
    },

    'exchange.watchTicker': ({ exchange, symbol }, sink) =>
      liveStream(
        exchange,
        sink,
        (connection) => tickerSource(connection, symbol),
        (emit) => (t, transport) => emit({ ...t, transport }),
        true,
      ),

    'exchange.watchOrderBook': ({ exchange, symbol, depth }, sink) =>
      liveStream(
        exchange,
        sink,
        (connection) => orderBookSource(connection, symbol, depth),
        (emit) => (b, transport) => emit({ ...b, transport }),
        true,
      ),

    'exchange.watchCandles': ({ exchange, symbol, timeframe }, sink) =>
      liveStream(
        exchange,
        sink,
        (connection) => candleSource(connection, symbol, timeframe),
        (emit) => {
          let transport: Transport = 'polling'
          const onBars = formingBars((e) => emit({ ...e, transport }))
          return (rows, t) => {
            transport = t
            onBars(rows)
          }
        },
        false,
      ),
  }
}
