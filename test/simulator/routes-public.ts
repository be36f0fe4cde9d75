import { formatUnits, roundTo, unitsFromNumber } from './decimal'
import { TRACKED_DEPTH } from './depth-versions'
import { err } from './errors'
import { isInterval } from './klines'
import type { MarketData } from './market-data'
import { symbolInfo } from './markets'
import type { Params } from './params'
import { aggTradeJson, tradeJson } from './public-trades'
import type { Route, RouteContext } from './route'

const HOUR = 3_600_000

/** `symbol` or `symbols` or neither (then every symbol), as the ticker endpoints take them. */
function symbolsOf(p: Params, data: MarketData): { list: string[]; single: boolean } {
  const one = p.str('symbol')
  const many = p.list('symbols')
  if (one !== undefined && many !== undefined) throw err.notRequired('symbols')
  const list = one !== undefined ? [one] : (many ?? data.symbols())
  for (const s of list) if (!data.market(s)) throw err.invalidSymbol()
  return { list, single: one !== undefined }
}

function marketOf(p: Params, data: MarketData): string {
  const symbol = p.reqStr('symbol')
  if (!data.market(symbol)) throw err.invalidSymbol()
  return symbol
}

function limitOf(p: Params, fallback: number, max: number): number {
  const limit = p.int('limit') ?? fallback
  if (limit < 1) throw err.invalidParam('limit')
  return Math.min(limit, max)
}

const perSymbol = (one: number, all: number) => (p: Params) =>
  p.has('symbol') ? one : p.has('symbols') ? one : all

function exchangeInfo(ctx: RouteContext): unknown {
  const { list } = symbolsOf(ctx.params, ctx.data)
  ctx.params.str('permissions')
  ctx.params.str('showPermissionSets')
  ctx.params.str('symbolStatus')
  return {
    timezone: 'UTC',
    serverTime: ctx.now,
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
    ],
    exchangeFilters: [],
    symbols: list.map((s) => {
      const m = ctx.data.market(s)
      if (!m) throw err.invalidSymbol()
      return symbolInfo(m)
    }),
  }
}

function depth(ctx: RouteContext): unknown {
  const symbol = marketOf(ctx.params, ctx.data)
  const limit = limitOf(ctx.params, 100, 5000)
  const row = (l: { price: bigint; qty: bigint }) => [formatUnits(l.price), formatUnits(l.qty)]
  // While a diff depth stream follows this market, the answer is one of the stream's versions.
  const versions = ctx.data.depth(symbol)
  if (versions.tracking && limit <= TRACKED_DEPTH) {
    const v = versions.current(ctx.now)
    return {
      lastUpdateId: v.id,
      bids: v.bids.slice(0, limit).map(row),
      asks: v.asks.slice(0, limit).map(row),
    }
  }
  const book = ctx.data.book(symbol, ctx.now, limit)
  return { lastUpdateId: versions.untrackedId(ctx.now), bids: book.bids.map(row), asks: book.asks.map(row) }
}

function klines(ctx: RouteContext): unknown {
  const p = ctx.params
  const symbol = marketOf(p, ctx.data)
  const interval = p.reqStr('interval')
  if (!isInterval(interval)) throw err.invalidInterval()
  const startTime = p.int('startTime')
  const endTime = p.int('endTime')
  p.str('timeZone')
  const limit = limitOf(p, 500, 1000)
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
    throw err.invalidParam('startTime')
  }
  return ctx.data.klines(
    symbol,
    {
      interval,
      limit,
      ...(startTime !== undefined ? { startTime } : {}),
      ...(endTime !== undefined ? { endTime } : {}),
    },
    ctx.now,
  )
}

function ticker24hr(ctx: RouteContext): unknown {
  const { list, single } = symbolsOf(ctx.params, ctx.data)
  const type = ctx.params.oneOf('type', ['FULL', 'MINI'], () => err.invalidParam('type'))
  const rows = list.map((s) => ctx.data.ticker(s, ctx.now, type === 'MINI'))
  return single ? rows[0] : rows
}

function tickerPrice(ctx: RouteContext): unknown {
  const { list, single } = symbolsOf(ctx.params, ctx.data)
  const rows = list.map((s) => {
    const m = ctx.data.market(s)
    const tick = m?.tick ?? 1n
    return { symbol: s, price: formatUnits(roundTo(unitsFromNumber(ctx.data.price(s, ctx.now)), tick)) }
  })
  return single ? rows[0] : rows
}

function bookTicker(ctx: RouteContext): unknown {
  const { list, single } = symbolsOf(ctx.params, ctx.data)
  const rows = list.map((s) => {
    const { bid, ask } = ctx.data.top(s, ctx.now)
    return {
      symbol: s,
      bidPrice: formatUnits(bid.price),
      bidQty: formatUnits(bid.qty),
      askPrice: formatUnits(ask.price),
      askQty: formatUnits(ask.qty),
    }
  })
  return single ? rows[0] : rows
}

function avgPrice(ctx: RouteContext): unknown {
  const symbol = marketOf(ctx.params, ctx.data)
  const m = ctx.data.market(symbol)
  const price = roundTo(unitsFromNumber(ctx.data.price(symbol, ctx.now)), m?.tick ?? 1n)
  return { mins: 5, price: formatUnits(price), closeTime: ctx.now }
}

/**
 * GET /api/v3/aggTrades: by fromId, or by a startTime/endTime window of at most an hour (with
 * only one of them, the window is the hour after startTime or before endTime), else the latest.
 */
function aggTrades(ctx: RouteContext): unknown {
  const p = ctx.params
  const symbol = marketOf(p, ctx.data)
  const tape = ctx.data.tape(symbol)
  const fromId = p.int('fromId')
  const startTime = p.int('startTime')
  const endTime = p.int('endTime')
  const limit = limitOf(p, 500, 1000)
  let trades
  if (fromId !== undefined) {
    trades = tape.range(fromId, fromId + limit - 1, ctx.now)
  } else if (startTime !== undefined || endTime !== undefined) {
    const start = startTime ?? (endTime ?? ctx.now) - HOUR
    const end = endTime ?? start + HOUR
    if (end - start > HOUR) throw err.invalidParam('startTime/endTime (more than 1 hour apart)')
    const first = tape.firstIdFrom(start)
    trades = tape.range(first, Math.min(tape.lastIdAt(end), first + limit - 1), ctx.now)
  } else {
    const last = tape.lastIdAt(ctx.now)
    trades = tape.range(last - limit + 1, last, ctx.now)
  }
  return trades.map(aggTradeJson)
}

function recentTrades(ctx: RouteContext): unknown {
  const p = ctx.params
  const symbol = marketOf(p, ctx.data)
  const tape = ctx.data.tape(symbol)
  const limit = limitOf(p, 500, 1000)
  const fromId = p.int('fromId')
  const last = tape.lastIdAt(ctx.now)
  const first = fromId ?? last - limit + 1
  return tape.range(first, Math.min(last, first + limit - 1), ctx.now).map(tradeJson)
}

function depthWeight(p: Params): number {
  const limit = Number(p.entries().limit ?? 100)
  return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250
}

/** Binance's public market-data endpoints (/api/v3). */
export const publicRoutes: Record<string, Route> = {
  'GET /api/v3/ping': { kind: 'ping', security: 'NONE', weight: () => 1, handle: () => ({}) },
  'GET /api/v3/time': {
    kind: 'time',
    security: 'NONE',
    weight: () => 1,
    handle: (c) => ({ serverTime: c.now }),
  },
  'GET /api/v3/exchangeInfo': {
    kind: 'exchangeInfo',
    security: 'NONE',
    weight: () => 20,
    handle: exchangeInfo,
  },
  'GET /api/v3/depth': { kind: 'depth', security: 'NONE', weight: depthWeight, handle: depth },
  'GET /api/v3/klines': { kind: 'klines', security: 'NONE', weight: () => 2, handle: klines },
  'GET /api/v3/uiKlines': { kind: 'klines', security: 'NONE', weight: () => 2, handle: klines },
  'GET /api/v3/ticker/24hr': {
    kind: 'ticker24hr',
    security: 'NONE',
    weight: perSymbol(2, 80),
    handle: ticker24hr,
  },
  'GET /api/v3/ticker/price': {
    kind: 'tickerPrice',
    security: 'NONE',
    weight: perSymbol(2, 4),
    handle: tickerPrice,
  },
  'GET /api/v3/ticker/bookTicker': {
    kind: 'bookTicker',
    security: 'NONE',
    weight: perSymbol(2, 4),
    handle: bookTicker,
  },
  'GET /api/v3/avgPrice': { kind: 'avgPrice', security: 'NONE', weight: () => 2, handle: avgPrice },
  'GET /api/v3/aggTrades': { kind: 'aggTrades', security: 'NONE', weight: () => 2, handle: aggTrades },
  'GET /api/v3/trades': { kind: 'trades', security: 'NONE', weight: () => 25, handle: recentTrades },
  'GET /api/v3/historicalTrades': {
    kind: 'trades',
    security: 'API_KEY',
    weight: () => 25,
    handle: recentTrades,
  },
}
