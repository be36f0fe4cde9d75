import { formatUnits } from './decimal'
import type { DepthReader } from './depth-versions'
import { BinanceError } from './errors'
import { isInterval, nextOpen } from './klines'
import type { MarketData } from './market-data'

/** Where a connection receives the events of the streams it subscribed to. */
export interface StreamSink {
  send(stream: string, payload: unknown): void
}

type Kind = 'ticker' | 'miniTicker' | 'kline' | 'trade' | 'aggTrade' | 'depth'

interface Parsed {
  name: string
  symbol: string
  kind: Kind
  interval?: string
  periodMs: number
}

interface Subscription extends Parsed {
  lastAt: number
  /** kline: open time of the bar last sent; trade/aggTrade: id of the last trade sent. */
  cursor?: number
  depth?: DepthReader
}

/** Update speeds (Binance: tickers 1 s, klines 1-2 s, depth 1 s or 100 ms, trades real time). */
const PERIOD: Record<Kind, number> = {
  ticker: 1_000,
  miniTicker: 1_000,
  kline: 1_000,
  trade: 0,
  aggTrade: 0,
  depth: 1_000,
}

const invalid = (what: string) => new BinanceError(2, `Invalid request: ${what}`)

/**
 * The market streams of Binance's spot websocket (`<symbol>@ticker`, `@miniTicker`,
 * `@kline_<interval>`, `@trade`, `@aggTrade`, `@depth` and `@depth@100ms`), fed from the seeded
 * market: one timer (`tickMs`) sends every subscription whose update period has passed, with
 * Binance's payloads (24hrTicker, 24hrMiniTicker, kline, trade, aggTrade, depthUpdate).
 */
export class MarketStreams {
  private readonly subs = new Map<StreamSink, Map<string, Subscription>>()
  private readonly timer: ReturnType<typeof setInterval>

  constructor(
    private readonly data: MarketData,
    private readonly now: () => number,
    tickMs = 100,
  ) {
    this.timer = setInterval(() => this.tick(), tickMs)
    this.timer.unref()
  }

  /** Checks a stream name; a BinanceError (code 2, as Binance answers) when it is not one. */
  parse(name: string): Parsed {
    const [id = '', channel = '', rate] = name.split('@')
    const symbol = id.toUpperCase()
    if (id !== id.toLowerCase() || !this.data.market(symbol)) throw invalid(`unknown symbol in ${name}`)
    if (channel.startsWith('kline_')) {
      const interval = channel.slice('kline_'.length)
      if (!isInterval(interval) || rate !== undefined) throw invalid(`unknown stream ${name}`)
      return { name, symbol, kind: 'kline', interval, periodMs: PERIOD.kline }
    }
    if (channel === 'depth') {
      if (rate !== undefined && rate !== '100ms' && rate !== '1000ms') throw invalid(`unknown stream ${name}`)
      return { name, symbol, kind: 'depth', periodMs: rate === '100ms' ? 100 : PERIOD.depth }
    }
    if (
      rate === undefined &&
      (channel === 'ticker' || channel === 'miniTicker' || channel === 'trade' || channel === 'aggTrade')
    )
      return { name, symbol, kind: channel, periodMs: PERIOD[channel] }
    throw invalid(`unknown stream ${name}`)
  }

  subscribe(sink: StreamSink, name: string): void {
    const p = this.parse(name)
    let mine = this.subs.get(sink)
    if (!mine) {
      mine = new Map()
      this.subs.set(sink, mine)
    }
    if (mine.has(name)) return
    const now = this.now()
    const sub: Subscription = { ...p, lastAt: -Infinity }
    if (p.kind === 'depth') sub.depth = this.data.depth(p.symbol).reader(now)
    if (p.kind === 'trade' || p.kind === 'aggTrade') sub.cursor = this.data.tape(p.symbol).lastIdAt(now)
    mine.set(name, sub)
  }

  unsubscribe(sink: StreamSink, name: string): void {
    const mine = this.subs.get(sink)
    mine?.get(name)?.depth?.close()
    mine?.delete(name)
  }

  list(sink: StreamSink): string[] {
    return [...(this.subs.get(sink)?.keys() ?? [])]
  }

  /** Ends every subscription of a connection (it closed). */
  drop(sink: StreamSink): void {
    for (const name of this.list(sink)) this.unsubscribe(sink, name)
    this.subs.delete(sink)
  }

  close(): void {
    clearInterval(this.timer)
    for (const sink of [...this.subs.keys()]) this.drop(sink)
  }

  /** Sends what is due now (the timer calls this; tests may too). */
  tick(): void {
    if (this.subs.size === 0) return
    const now = this.now()
    const cache = new Map<string, unknown>()
    const once = (key: string, make: () => unknown) => {
      if (!cache.has(key)) cache.set(key, make())
      return cache.get(key)
    }
    for (const [sink, mine] of this.subs) {
      for (const sub of mine.values()) {
        if (now - sub.lastAt < sub.periodMs) continue
        sub.lastAt = now
        for (const payload of this.payloads(sub, now, once)) sink.send(sub.name, payload)
      }
    }
  }

  private payloads(
    sub: Subscription,
    now: number,
    once: (key: string, make: () => unknown) => unknown,
  ): unknown[] {
    switch (sub.kind) {
      case 'ticker':
      case 'miniTicker':
        return [
          once(`${sub.kind}|${sub.symbol}`, () => this.ticker(sub.symbol, now, sub.kind === 'miniTicker')),
        ]
      case 'kline':
        return this.klines(sub, now)
      case 'trade':
      case 'aggTrade':
        return this.trades(sub, now)
      case 'depth': {
        const d = sub.depth?.next(now)
        if (!d) return []
        const rows = (levels: Array<[bigint, bigint]>) =>
          levels.map(([p, q]) => [formatUnits(p), formatUnits(q)])
        return [
          { e: 'depthUpdate', E: d.time, s: sub.symbol, U: d.U, u: d.u, b: rows(d.bids), a: rows(d.asks) },
        ]
      }
    }
  }

  private ticker(symbol: string, now: number, mini: boolean): unknown {
    const t = this.data.ticker(symbol, now, mini) as Record<string, string | number>
    const common = {
      E: now,
      s: symbol,
      c: t.lastPrice,
      o: t.openPrice,
      h: t.highPrice,
      l: t.lowPrice,
      v: t.volume,
      q: t.quoteVolume,
    }
    if (mini) return { e: '24hrMiniTicker', ...common }
    return {
      e: '24hrTicker',
      ...common,
      p: t.priceChange,
      P: t.priceChangePercent,
      w: t.weightedAvgPrice,
      x: t.prevClosePrice,
      Q: t.lastQty,
      b: t.bidPrice,
      B: t.bidQty,
      a: t.askPrice,
      A: t.askQty,
      O: t.openTime,
      C: t.closeTime,
      F: t.firstId,
      L: t.lastId,
      n: t.count,
    }
  }

  /** The forming bar; first the final state of the previous one (`x: true`) when a new bar opened. */
  private klines(sub: Subscription, now: number): unknown[] {
    const interval = sub.interval ?? '1m'
    const [current] = this.data.klines(sub.symbol, { interval, limit: 1 }, now)
    if (!current) return []
    const out: unknown[] = []
    if (sub.cursor !== undefined && sub.cursor < current[0]) {
      const [closed] = this.data.klines(sub.symbol, { interval, startTime: sub.cursor, limit: 1 }, now)
      if (closed && closed[0] === sub.cursor) out.push(this.kline(sub.symbol, interval, closed, now, true))
    }
    sub.cursor = current[0]
    out.push(this.kline(sub.symbol, interval, current, now, false))
    return out
  }

  private kline(
    symbol: string,
    interval: string,
    row: ReturnType<MarketData['klines']>[number],
    now: number,
    closed: boolean,
  ): unknown {
    const [open, o, h, l, c, v, , q, n, V, Q] = row
    const tape = this.data.tape(symbol)
    const close = nextOpen(interval, open) - 1
    return {
      e: 'kline',
      E: now,
      s: symbol,
      k: {
        t: open,
        T: close,
        s: symbol,
        i: interval,
        f: n > 0 ? tape.firstIdFrom(open) : -1,
        L: n > 0 ? tape.lastIdAt(Math.min(now, close)) : -1,
        o,
        c,
        h,
        l,
        v,
        n,
        x: closed,
        q,
        V,
        Q,
        B: '0',
      },
    }
  }

  private trades(sub: Subscription, now: number): unknown[] {
    const tape = this.data.tape(sub.symbol)
    const from = (sub.cursor ?? tape.lastIdAt(now)) + 1
    const trades = tape.range(from, Number.MAX_SAFE_INTEGER, now)
    const last = trades.at(-1)
    if (last) sub.cursor = last.id
    return trades.map((t) =>
      sub.kind === 'trade'
        ? {
            e: 'trade',
            E: now,
            s: sub.symbol,
            t: t.id,
            p: formatUnits(t.price),
            q: formatUnits(t.qty),
            T: t.time,
            m: t.buyerIsMaker,
            M: true,
          }
        : {
            e: 'aggTrade',
            E: now,
            s: sub.symbol,
            a: t.id,
            p: formatUnits(t.price),
            q: formatUnits(t.qty),
            f: t.id,
            l: t.id,
            T: t.time,
            m: t.buyerIsMaker,
            M: true,
          },
    )
  }
}
