import { formatUnits, roundTo, unitsFromNumber, type Units } from './decimal'
import type { Market } from './markets'
import { MINUTE, type PriceSource } from './price-path'
import { fmix32, hash32, hashNormal, normalFrom, stringKey } from './rng'

/** Kline intervals Binance accepts, with their length (1M is a calendar month). */
const FIXED_MS: Record<string, number> = {
  '1s': 1_000,
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': 60 * MINUTE,
  '2h': 120 * MINUTE,
  '4h': 240 * MINUTE,
  '6h': 360 * MINUTE,
  '8h': 480 * MINUTE,
  '12h': 720 * MINUTE,
  '1d': 1_440 * MINUTE,
  '3d': 4_320 * MINUTE,
  '1w': 10_080 * MINUTE,
}

/** Weekly candles open on Monday 00:00 UTC; 1970-01-01 was a Thursday. */
const WEEK_PHASE = 4 * 1_440 * MINUTE

export function isInterval(s: string): boolean {
  return s === '1M' || s in FIXED_MS
}

/** Open time of the candle containing `t`. */
export function barOpen(interval: string, t: number): number {
  if (interval === '1M') {
    const d = new Date(t)
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
  }
  const dur = FIXED_MS[interval] ?? MINUTE
  const phase = interval === '1w' ? WEEK_PHASE : 0
  return Math.floor((t - phase) / dur) * dur + phase
}

/** Open time of the candle after the one opening at `open`. */
export function nextOpen(interval: string, open: number): number {
  if (interval === '1M') {
    const d = new Date(open)
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
  }
  return open + (FIXED_MS[interval] ?? MINUTE)
}

function prevOpen(interval: string, open: number): number {
  if (interval === '1M') {
    const d = new Date(open)
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)
  }
  return open - (FIXED_MS[interval] ?? MINUTE)
}

/** A candle in floats; rounded to the tick and the lot step only when printed. */
export interface Bar {
  open: number
  high: number
  low: number
  close: number
  volume: number
  quoteVolume: number
  trades: number
  takerBuyVolume: number
  takerBuyQuote: number
}

/** Prices at the minute boundaries from..from+count, computed in one vectorised pass. */
export class MinutePrices {
  private readonly values: Float64Array

  constructor(
    src: PriceSource,
    private readonly from: number,
    count: number,
  ) {
    this.values = src.minutePrices(from, count + 1)
  }

  at(m: number): number {
    return this.values[m - this.from] ?? Number.NaN
  }
}

/**
 * Aggregates the one-minute candles m0..m0+count-1 (minutes since the epoch). One-minute candles
 * are the building block of every interval of a minute or more, so larger candles are exact
 * aggregates of smaller ones, as on a real exchange. The minute containing `now` is partial
 * (close = price now) and later ones do not exist yet. Highs and lows get a small deterministic
 * wick beyond open/close so candles look like candles; the wick is cosmetic: resting orders fill
 * against the path itself (see matching.ts). Returns undefined when no minute has started.
 */
export function aggregateMinutes(
  src: PriceSource,
  market: Market,
  seed: number,
  prices: MinutePrices,
  m0: number,
  count: number,
  now: number,
): Bar | undefined {
  const nowMinute = Math.floor(now / MINUTE)
  const n = Math.min(count, nowMinute - m0 + 1)
  if (n <= 0) return undefined
  const salt = hash32(seed, stringKey(market.symbol), 11)
  const sigma = market.spec.sigmaPerMinute
  const perMinute = market.spec.volumePerMinute
  const bar: Bar = {
    open: prices.at(m0),
    high: -Infinity,
    low: Infinity,
    close: 0,
    volume: 0,
    quoteVolume: 0,
    trades: 0,
    takerBuyVolume: 0,
    takerBuyQuote: 0,
  }
  for (let i = 0; i < n; i++) {
    const m = m0 + i
    const partial = m === nowMinute
    const open = prices.at(m)
    const close = partial ? src.priceAt(now) : prices.at(m + 1)
    const fraction = partial ? (now - m * MINUTE) / MINUTE : 1
    // Four draws per minute from one hash: two wicks, activity, buyer share.
    const h1 = fmix32((salt ^ m) >>> 0)
    const h2 = fmix32(h1 ^ 0x68e31da4)
    const h3 = fmix32(h2 ^ 0x1b873593)
    // No wick on the running minute or on a flat one (a frozen price stays flat).
    const still = partial || open === close
    const wickUp = still ? 0 : Math.abs(normalFrom(h1)) * 0.3 * sigma
    const wickDown = still ? 0 : Math.abs(normalFrom(h2)) * 0.3 * sigma
    const high = Math.max(open, close) * (1 + wickUp)
    const low = Math.min(open, close) * (1 - wickDown)
    const r = Math.log(close / open)
    const activity = Math.exp(0.6 * normalFrom(h3) - 0.18) * (1 + (0.5 * Math.abs(r)) / sigma)
    const volume = perMinute * activity * fraction
    const tilt = Math.max(-1, Math.min(1, r / (2 * sigma)))
    const buyShare = Math.min(0.95, Math.max(0.05, 0.5 + 0.25 * tilt + 0.1 * ((h3 >>> 8) / 16777216 - 0.5)))
    const avg = (open + high + low + close) / 4
    if (high > bar.high) bar.high = high
    if (low < bar.low) bar.low = low
    bar.close = close
    bar.volume += volume
    bar.quoteVolume += volume * avg
    bar.trades += Math.max(1, Math.round(60 * activity * fraction))
    bar.takerBuyVolume += volume * buyShare
    bar.takerBuyQuote += volume * buyShare * avg
  }
  return bar
}

/** One-second candles come straight from the path (below the one-minute building block). */
function secondBar(src: PriceSource, market: Market, seed: number, open: number, now: number): Bar {
  const end = Math.min(open + 1_000, now)
  const o = src.priceAt(open)
  const c = src.priceAt(end)
  const key = stringKey(market.symbol)
  const volume =
    (market.spec.volumePerMinute / 60) * Math.exp(0.6 * hashNormal(seed, key, 15, open / 1_000) - 0.18)
  const avg = (o + c) / 2
  return {
    open: o,
    high: Math.max(o, c),
    low: Math.min(o, c),
    close: c,
    volume,
    quoteVolume: volume * avg,
    trades: 1,
    takerBuyVolume: volume / 2,
    takerBuyQuote: (volume / 2) * avg,
  }
}

/** Above this many minutes, candles are computed one by one rather than from one shared series. */
const SHARED_SERIES_MAX = 200_000

/** The candles opening at `opens` (the last may be partial), sharing one minute series if small. */
export function barsAt(
  src: PriceSource,
  market: Market,
  seed: number,
  interval: string,
  opens: readonly number[],
  now: number,
): Array<Bar | undefined> {
  if (interval === '1s') return opens.map((o) => secondBar(src, market, seed, o, now))
  const first = opens[0]
  const last = opens[opens.length - 1]
  if (first === undefined || last === undefined) return []
  const span = (o: number) => {
    const m0 = Math.floor(o / MINUTE)
    return { m0, count: Math.ceil(Math.min(nextOpen(interval, o), now + 1) / MINUTE) - m0 }
  }
  const from = Math.floor(first / MINUTE)
  const to = Math.ceil(Math.min(nextOpen(interval, last), now + 1) / MINUTE)
  const shared = to - from <= SHARED_SERIES_MAX ? new MinutePrices(src, from, to - from) : undefined
  return opens.map((o) => {
    const { m0, count } = span(o)
    return aggregateMinutes(src, market, seed, shared ?? new MinutePrices(src, m0, count), m0, count, now)
  })
}

export interface KlineQuery {
  interval: string
  startTime?: number
  endTime?: number
  limit: number
}

/**
 * Which candles Binance returns: with startTime, those opening at or after it (the reference
 * case asks from 15:23:11 and gets 16:00 first); with only endTime, the last `limit` opening at or
 * before it; with neither, the last `limit` up to the current one. Nothing before the listing
 * time `listedAt`, nothing opening in the future.
 */
export function selectOpens(q: KlineQuery, now: number, listedAt: number): number[] {
  const upper = Math.min(q.endTime ?? now, now)
  const first = barOpen(q.interval, listedAt)
  const opens: number[] = []
  if (q.startTime !== undefined) {
    let open = barOpen(q.interval, Math.max(q.startTime, first))
    if (open < q.startTime) open = nextOpen(q.interval, open)
    while (open <= upper && opens.length < q.limit) {
      opens.push(open)
      open = nextOpen(q.interval, open)
    }
    return opens
  }
  let open = barOpen(q.interval, upper)
  while (open >= first && opens.length < q.limit) {
    opens.push(open)
    open = prevOpen(q.interval, open)
  }
  return opens.reverse()
}

function price(u: number, tick: Units): string {
  return formatUnits(roundTo(unitsFromNumber(u), tick))
}

function amount(u: number): string {
  return formatUnits(unitsFromNumber(u))
}

/** Binance's kline row: times and trade count as numbers, decimals as strings. */
export type KlineRow = [
  number,
  string,
  string,
  string,
  string,
  string,
  number,
  string,
  number,
  string,
  string,
  string,
]

export function klineRow(market: Market, interval: string, open: number, bar: Bar): KlineRow {
  return [
    open,
    price(bar.open, market.tick),
    price(bar.high, market.tick),
    price(bar.low, market.tick),
    price(bar.close, market.tick),
    amount(bar.volume),
    nextOpen(interval, open) - 1,
    amount(bar.quoteVolume),
    bar.trades,
    amount(bar.takerBuyVolume),
    amount(bar.takerBuyQuote),
    '0',
  ]
}
