import { AppError } from '../../shared/contract/errors'
import { barsBack, bucketStart, type Timeframe } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import { DEMO_SOURCE } from '../demo'
import { backfillCandles } from './backfill'
import type { ExchangeHub } from './hub'
import type { Logger } from '../log'
import type { Db } from '../storage/database'
import type { ExchangeCandleUpdates } from './followed-series'

export interface ExchangeHistoryDeps {
  db: Db
  clock: Clock
  log: Logger
  exchanges: Pick<ExchangeHub, 'connection'>
  /** Which sources are an exchange connection's now, and which series are followed live (not imports). */
  followed: Pick<ExchangeCandleUpdates, 'exchangeOf' | 'follows'>
  /** Pages one chart request may ask the exchange for (default 10: 10,000 bars on Binance). */
  maxRequests?: number
}

/**
 * History on demand for the chart of an exchange's symbol (an account's market is charted from
 * its exchange, not from the demo market): before `market.candles` reads the store, the closed
 * bars it asks for that were never fetched are backfilled (`backfill.ts`: only the ranges not
 * fetched before, so a chart opened again asks only for the bars closed since). No retries and
 * at most `maxRequests` pages: a chart waits on it.
 *
 * It never throws: a failure is returned, and the caller reports it only when the store has no
 * bars to show (stored history is still worth seeing while the exchange is down).
 */
export class ExchangeHistory {
  private readonly inFlight = new Map<string, Promise<AppError | null>>()

  constructor(private readonly deps: ExchangeHistoryDeps) {}

  /** Whether `source` is an exchange connection's and `symbol` a series it follows (not a file import). */
  covers(source: string, symbol: string): boolean {
    return this.exchangeOf(source) !== null && this.deps.followed.follows(source, symbol)
  }

  /** Backfills the `limit` closed bars up to `to` that were never fetched; resolves to the failure, if any. */
  ensure(
    source: string,
    symbol: string,
    timeframe: Timeframe,
    to: number,
    limit: number,
  ): Promise<AppError | null> {
    const exchange = this.exchangeOf(source)
    if (exchange === null || !this.deps.followed.follows(source, symbol)) return Promise.resolve(null)
    const from = barsBack(bucketStart(to, timeframe), limit - 1, timeframe)
    const id = [source, symbol, timeframe, from, to].join('\u0000')
    let p = this.inFlight.get(id)
    if (!p) {
      p = this.fetch(exchange, source, symbol, timeframe, from, to).finally(() => this.inFlight.delete(id))
      this.inFlight.set(id, p)
    }
    return p
  }

  /**
   * The exchange whose bars `source` holds; never for the demo market's `demo` (no ccxt exchange
   * has that id, yet a default connection named after it claimed it: an older page before the
   * demo history's first bar failed with 'ccxt has no exchange "demo"').
   */
  private exchangeOf(source: string): string | null {
    return source === DEMO_SOURCE ? null : this.deps.followed.exchangeOf(source)
  }

  private async fetch(
    exchange: string,
    source: string,
    symbol: string,
    timeframe: Timeframe,
    from: number,
    to: number,
  ): Promise<AppError | null> {
    const { db, clock, log } = this.deps
    try {
      const connection = await this.deps.exchanges.connection(exchange)
      // The connection moved elsewhere meanwhile: its bars are another source's.
      if (connection.source !== source) return null
      const market = await connection.market(symbol)
      const pageLimit = connection.ohlcvPageLimit(market) ?? 500
      const outcome = await backfillCandles(
        db,
        { source, symbol, timeframe },
        { fetch: (since, n) => connection.fetchOHLCV(symbol, timeframe, since, n), pageLimit },
        { from, to, maxRequests: this.deps.maxRequests ?? 10, retries: 0 },
        { now: clock.now() },
      )
      if (!outcome.stoppedBy) return null
      log.warn(
        `history ${source} ${symbol} ${timeframe}: ${outcome.stoppedBy.kind}: ${outcome.stoppedBy.message}`,
      )
      const e = outcome.stoppedBy
      return new AppError(e.kind, e.message, e.path, e.retryAfter)
    } catch (err) {
      const error = err instanceof AppError ? err : new AppError('internal', `History of ${symbol} failed`)
      if (!(err instanceof AppError)) log.error(`history ${source} ${symbol} ${timeframe} failed`, err)
      return error
    }
  }
}
