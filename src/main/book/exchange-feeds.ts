import type { Exchange, Trade } from 'ccxt'
import type { BookTrade } from '../../shared/contract/book'
import { plainDecimal, tickOfPlaces } from '../../shared/domain/book'
import type { ExchangeConnection } from '../exchange/connection'
import type { FeedSource } from '../exchange/feed-loop'

type WatchingTrades = Exchange & {
  watchTrades?(symbol: string, since?: number, limit?: number): Promise<Trade[]>
  unWatchTrades?(symbol: string): Promise<unknown>
}

/** ccxt's TICK_SIZE precision mode: `precision.price` is the tick itself, not a count of decimals. */
const TICK_SIZE = 4

/** The market's price tick as a decimal string ("0.01"), from ccxt's market precision. */
export async function priceTick(connection: ExchangeConnection, symbol: string): Promise<string> {
  const market = await connection.market(symbol)
  const p = market.precision?.price
  if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0) return '0.00000001'
  return connection.exchange.precisionMode === TICK_SIZE ? plainDecimal(p) : tickOfPlaces(Math.round(p))
}

function toBookTrade(t: Trade): BookTrade | null {
  if (typeof t.price !== 'number' || typeof t.amount !== 'number' || typeof t.timestamp !== 'number')
    return null
  if (!(t.price > 0) || !(t.amount > 0)) return null
  return {
    id: String(t.id ?? `${t.timestamp}:${t.price}:${t.amount}`),
    time: t.timestamp,
    price: plainDecimal(t.price),
    size: plainDecimal(t.amount),
    side: t.side === 'sell' ? 'sell' : 'buy',
  }
}

/**
 * Public trades of one market: over the websocket as they happen (ccxt.pro `watchTrades`), or by
 * polling `fetchTrades`. Either way each value holds only trades not passed on before, oldest
 * first (ccxt's watch cache and a poll both repeat trades already seen).
 */
export function publicTradesSource(
  connection: ExchangeConnection,
  symbol: string,
  recent: number,
): FeedSource<BookTrade[]> {
  const ex = connection.exchange as WatchingTrades
  const ws =
    connection.websocket && ex.has['watchTrades'] === true && typeof ex.watchTrades === 'function'
      ? ex
      : undefined
  const seen = new Set<string>()
  let newest = -Infinity
  const fresh = (trades: readonly Trade[]): BookTrade[] => {
    const out: BookTrade[] = []
    for (const t of trades) {
      const b = toBookTrade(t)
      if (!b || seen.has(b.id) || b.time < newest - 60_000) continue
      seen.add(b.id)
      out.push(b)
    }
    out.sort((a, b) => a.time - b.time)
    if (out.length > 0) newest = Math.max(newest, out[out.length - 1]!.time)
    // The ids remembered need only cover what a poll or the watch cache can repeat.
    if (seen.size > 4 * recent + 1000) {
      const keep = [...seen].slice(-2 * recent - 500)
      seen.clear()
      for (const id of keep) seen.add(id)
    }
    return out.slice(-recent)
  }
  const poll = async (): Promise<BookTrade[]> => {
    await connection.market(symbol)
    return fresh(
      await connection.call(`fetchTrades ${symbol}`, (e) => e.fetchTrades(symbol, undefined, recent)),
    )
  }
  // A watch brings only trades made after it started: the tape opens with one REST read of the
  // recent ones (through the connection's breaker and rate limit), then follows the stream.
  let primed = false
  return {
    watch: ws
      ? async () => {
          if (!primed) {
            primed = true
            return poll()
          }
          return fresh(await ws.watchTrades!(symbol))
        }
      : undefined,
    poll,
    unwatch: ws?.unWatchTrades ? () => ws.unWatchTrades!(symbol) : undefined,
  }
}
