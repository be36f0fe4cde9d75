import type { Exchange, OHLCV, Order, Trade } from 'ccxt'
import type { ExchangeTicker, OrderBookSnapshot } from '../../shared/contract/exchange'
import type { Candle } from '../../shared/domain/candles'
import type { Timeframe } from '../../shared/domain/timeframes'
import type { FeedSource } from './feed-loop'
import type { ExchangeConnection } from './connection'

/** ccxt.pro's watch methods, present on pro instances only. */
type Watching = Exchange & {
  watchTicker?(symbol: string): Promise<unknown>
  watchOHLCV?(symbol: string, timeframe: string): Promise<OHLCV[]>
  watchOrderBook?(symbol: string, limit?: number): Promise<unknown>
  watchOrders?(symbol?: string): Promise<Order[]>
  watchMyTrades?(symbol?: string): Promise<Trade[]>
  unWatchTicker?(symbol: string): Promise<unknown>
  unWatchOHLCV?(symbol: string, timeframe: string): Promise<unknown>
  unWatchOrderBook?(symbol: string): Promise<unknown>
}

/** The websocket half of a source, when the connection uses websockets and the exchange has this `watch*`. */
function ws(connection: ExchangeConnection, method: string): Watching | undefined {
  const ex = connection.exchange as Watching
  return connection.websocket &&
    ex.has[method] === true &&
    typeof (ex as unknown as Record<string, unknown>)[method] === 'function'
    ? ex
    : undefined
}

export function tickerSource(connection: ExchangeConnection, symbol: string): FeedSource<ExchangeTicker> {
  const ex = ws(connection, 'watchTicker')
  return {
    watch: ex ? async () => connection.toTicker(symbol, (await ex.watchTicker!(symbol)) as never) : undefined,
    poll: () => connection.ticker(symbol),
    unwatch: ex?.unWatchTicker ? () => ex.unWatchTicker!(symbol) : undefined,
  }
}

export function orderBookSource(
  connection: ExchangeConnection,
  symbol: string,
  depth: number,
): FeedSource<OrderBookSnapshot> {
  const ex = ws(connection, 'watchOrderBook')
  return {
    watch: ex
      ? async () => connection.toOrderBook(symbol, (await ex.watchOrderBook!(symbol)) as never, depth)
      : undefined,
    poll: () => connection.orderBook(symbol, depth),
    unwatch: ex?.unWatchOrderBook ? () => ex.unWatchOrderBook!(symbol) : undefined,
  }
}

/** The latest bars, oldest first (the forming one last). */
export function candleSource(
  connection: ExchangeConnection,
  symbol: string,
  timeframe: Timeframe,
): FeedSource<OHLCV[]> {
  const ex = ws(connection, 'watchOHLCV')
  return {
    watch: ex ? () => ex.watchOHLCV!(symbol, timeframe) : undefined,
    poll: async () => {
      await connection.market(symbol)
      return connection.call(`fetchOHLCV ${symbol} ${timeframe}`, (e) =>
        e.fetchOHLCV(symbol, timeframe, undefined, 2),
      )
    },
    unwatch: ex?.unWatchOHLCV ? () => ex.unWatchOHLCV!(symbol, timeframe) : undefined,
  }
}

function toCandle(row: OHLCV): Candle | null {
  const [time, open, high, low, close, volume] = row
  if ([time, open, high, low, close].some((v) => typeof v !== 'number')) return null
  return { time: time!, open: open!, high: high!, low: low!, close: close!, volume: volume ?? 0 }
}

/**
 * Turns successive bar lists (from either transport) into forming-bar events: every change of the
 * forming bar, and once `closed: true` for a bar when a newer one appears (with its final values
 * when the list still holds it).
 */
export function formingBars(
  onBar: (e: { candle: Candle; closed: boolean }) => void,
): (rows: readonly OHLCV[]) => void {
  let current: Candle | null = null
  return (rows) => {
    const bars = rows
      .map(toCandle)
      .filter((c): c is Candle => c !== null)
      .sort((a, b) => a.time - b.time)
    const latest = bars.at(-1)
    if (!latest) return
    if (current && latest.time > current.time) {
      const final = bars.find((b) => b.time === current!.time) ?? current
      onBar({ candle: final, closed: true })
    } else if (current && latest.time < current.time) return
    if (!current || latest.time !== current.time || JSON.stringify(latest) !== JSON.stringify(current)) {
      current = latest
      onBar({ candle: latest, closed: false })
    }
  }
}

/**
 * The account's new trades (fills) of one symbol: over the websocket as they happen, or by polling
 * `fetchMyTrades` from the last seen one. Each poll yields only trades not seen before.
 */
export function myTradesSource(
  connection: ExchangeConnection,
  symbol: string,
  since?: number,
): FeedSource<Trade[]> {
  const ex = ws(connection, 'watchMyTrades')
  const seen = new Set<string>()
  let cursor = since
  return {
    watch: ex ? () => ex.watchMyTrades!(symbol) : undefined,
    poll: async () => {
      const trades = await connection.call(
        `fetchMyTrades ${symbol}`,
        (e) => e.fetchMyTrades(symbol, cursor),
        {
          signed: true,
        },
      )
      const fresh = trades.filter((t) => {
        const id = String(t.id ?? `${t.order}:${t.timestamp}:${t.amount}`)
        if (seen.has(id)) return false
        seen.add(id)
        return true
      })
      for (const t of trades)
        if (typeof t.timestamp === 'number' && (cursor === undefined || t.timestamp > cursor))
          cursor = t.timestamp
      return fresh
    },
  }
}

/**
 * Changes to the account's orders of one symbol: over the websocket, or by polling open orders and
 * fetching the final state of any that left the open set (filled or cancelled). Each poll yields the
 * orders that are new or changed since the previous one.
 */
export function ordersSource(connection: ExchangeConnection, symbol: string): FeedSource<Order[]> {
  const ex = ws(connection, 'watchOrders')
  let known = new Map<string, string>()
  const fingerprint = (o: Order) => `${o.status}|${o.filled}|${o.remaining}|${o.price}|${o.amount}`
  return {
    watch: ex ? () => ex.watchOrders!(symbol) : undefined,
    poll: async () => {
      const open = await connection.call(`fetchOpenOrders ${symbol}`, (e) => e.fetchOpenOrders(symbol), {
        signed: true,
      })
      const changed: Order[] = []
      const next = new Map<string, string>()
      for (const o of open) {
        if (typeof o.id !== 'string') continue
        next.set(o.id, fingerprint(o))
        if (known.get(o.id) !== fingerprint(o)) changed.push(o)
      }
      for (const id of known.keys()) {
        if (next.has(id)) continue
        changed.push(
          await connection.call(`fetchOrder ${id}`, (e) => e.fetchOrder(id, symbol), { signed: true }),
        )
      }
      known = next
      return changed
    },
  }
}
