import {
  BOOK_MAX_RATE,
  type bookContract,
  type BookEvent,
  type BookTrade,
  type TradesEvent,
} from '../../shared/contract/book'
import type { OrderBookSnapshot } from '../../shared/contract/exchange'
import { AppError } from '../../shared/contract/errors'
import { plainDecimal } from '../../shared/domain/book'
import type { Clock } from '../clock'
import { DEMO_SOURCE, type DemoMarket } from '../demo'
import { TICK_MS } from '../demo/intraminute'
import type { Domain } from '../domain'
import { endsFeed } from '../exchange/errors'
import { DEFAULT_FEED, runFeed, type FeedOptions, type FeedSource } from '../exchange/feed-loop'
import { orderBookSource } from '../exchange/feeds'
import type { ExchangeConnection } from '../exchange/connection'
import type { ExchangeHub } from '../exchange/hub'
import { sourceOf } from '../exchange/schema'
import type { StreamSink } from '../rpc/handlers'
import { demoBook, specOf } from './demo-book'
import { demoTradesBetween, recentDemoTrades } from './demo-trades'
import { priceTick, publicTradesSource } from './exchange-feeds'
import { throttle } from './throttle'

export interface BookDeps {
  demo: DemoMarket
  clock: Clock
  /** The exchange connections (their breaker and rate limits); without it, the demo market only. */
  exchanges?: Pick<ExchangeHub, 'connection' | 'connectionConfig'>
  feed?: Partial<FeedOptions>
  /** Minimum spacing of a subscription's events (default 1000 / BOOK_MAX_RATE = 100 ms). */
  minIntervalMs?: number
  /** How often the demo book and tape are sampled (default: the demo's 250 ms price tick). */
  demoSampleMs?: number
}

export type BookDomain = Domain<typeof bookContract>

/**
 * Market depth and trades (`book.*`): the demo market's simulated book and tape (demo-book.ts,
 * demo-trades.ts, consistent with its prices), and an exchange connection's through ccxt, over
 * its websocket where it has one and by polling otherwise, through the hub's connection (its
 * breaker, rate limit and health). Every subscription is throttled to BOOK_MAX_RATE events a
 * second (throttle.ts).
 */
export function createBookDomain(deps: BookDeps): BookDomain {
  const { demo, clock } = deps
  const minIntervalMs = deps.minIntervalMs ?? 1000 / BOOK_MAX_RATE
  const demoSampleMs = deps.demoSampleMs ?? TICK_MS
  const feedOptions: FeedOptions = { ...DEFAULT_FEED, ...deps.feed }

  const demoSpec = (symbol: string) => {
    const spec = specOf(symbol)
    if (!spec) throw new AppError('not_found', `Unknown demo symbol: ${symbol}`, 'params.symbol')
    return spec
  }

  /** The exchange whose connection serves `source` now (its id is the source's first part). */
  const exchangeOf = (source: string): string => {
    const exchange = source.split(':')[0] ?? ''
    const hub = deps.exchanges
    if (!hub || sourceOf(hub.connectionConfig(exchange)) !== source)
      throw new AppError('not_found', `No exchange connection serves ${source}`, 'params.source')
    return exchange
  }

  /** Runs an exchange feed into a throttled sink; ends the stream on errors no retry fixes. */
  function exchangeStream<T, E>(
    source: string,
    sink: StreamSink<E>,
    out: { push(e: E): void; dispose(): void },
    open: (
      connection: ExchangeConnection,
    ) => Promise<{ feed: FeedSource<T>; toEvent: (v: T, transport: 'websocket' | 'polling') => E | null }>,
  ): () => void {
    const exchange = exchangeOf(source)
    let stop: (() => void) | null = null
    let ended = false
    const finish = (error: AppError) => {
      if (ended) return
      ended = true
      stop?.()
      out.dispose()
      sink.end(error.toShape())
    }
    deps
      .exchanges!.connection(exchange)
      .then(async (connection) => {
        const { feed, toEvent } = await open(connection)
        if (ended) return
        stop = runFeed(
          feed,
          {
            data: (v, transport) => {
              const e = toEvent(v, transport)
              if (e) out.push(e)
            },
            error: (err) => {
              if (endsFeed(err)) finish(err)
            },
          },
          feedOptions,
          () => clock.now(),
        )
      })
      .catch((err: unknown) =>
        finish(err instanceof AppError ? err : new AppError('internal', `${exchange} could not be opened`)),
      )
    return () => {
      ended = true
      stop?.()
      out.dispose()
    }
  }

  return {
    name: 'book',
    handlers: {
      'book.depth': ({ source, symbol, depth }, sink) => {
        const out = throttle<BookEvent>((e) => sink.emit(e), minIntervalMs)
        if (source === DEMO_SOURCE) {
          demoSpec(symbol)
          let last = ''
          const sample = () => {
            const b = demoBook(demo, symbol, clock.now(), depth)
            // Unchanged books are not sent (the price holds for a tick, sizes for an epoch).
            const key = JSON.stringify([b.bids, b.asks])
            if (key === last) return
            last = key
            out.push({ source, symbol, ...b, transport: 'simulated' })
          }
          sample()
          const timer = setInterval(sample, demoSampleMs)
          return () => {
            clearInterval(timer)
            out.dispose()
          }
        }
        return exchangeStream<OrderBookSnapshot, BookEvent>(source, sink, out, async (connection) => {
          const tick = await priceTick(connection, symbol)
          return {
            feed: orderBookSource(connection, symbol, depth),
            toEvent: (b, transport) => ({
              source,
              symbol,
              time: b.time ?? clock.now(),
              tick,
              bids: b.bids.map(([p, s]) => [plainDecimal(p), plainDecimal(s)] as [string, string]),
              asks: b.asks.map(([p, s]) => [plainDecimal(p), plainDecimal(s)] as [string, string]),
              transport,
            }),
          }
        })
      },

      'book.trades': ({ source, symbol, recent }, sink) => {
        const out = throttle<TradesEvent>(
          (e) => sink.emit(e),
          minIntervalMs,
          (a, b) => ({ ...b, trades: [...a.trades, ...b.trades].slice(-recent) }),
        )
        if (source === DEMO_SOURCE) {
          const spec = demoSpec(symbol)
          let until = clock.now()
          out.push({
            source,
            symbol,
            trades: recentDemoTrades(demo, spec, until, recent),
            transport: 'simulated',
          })
          const timer = setInterval(() => {
            const now = clock.now()
            const trades = demoTradesBetween(demo, spec, until + 1, now)
            until = now
            if (trades.length > 0) out.push({ source, symbol, trades, transport: 'simulated' })
          }, demoSampleMs)
          return () => {
            clearInterval(timer)
            out.dispose()
          }
        }
        return exchangeStream<BookTrade[], TradesEvent>(source, sink, out, async (connection) => {
          await connection.market(symbol)
          return {
            feed: publicTradesSource(connection, symbol, recent),
            toEvent: (trades, transport) =>
              trades.length === 0 ? null : { source, symbol, trades, transport },
          }
        })
      },
    },
  }
}
