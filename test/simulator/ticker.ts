import { formatUnits, roundTo, unitsFromNumber } from './decimal'
import { aggregateMinutes, MinutePrices } from './klines'
import type { Market } from './markets'
import { MINUTE, type PriceSource } from './price-path'
import type { Tape } from './public-trades'
import type { Level } from './book'

const DAY = 24 * 60 * MINUTE

export interface TickerInputs {
  market: Market
  src: PriceSource
  tape: Tape
  seed: number
  top: { bid: Level; ask: Level }
  now: number
}

/**
 * GET /api/v3/ticker/24hr for one symbol: a rolling 24-hour window ending now, built from the
 * same one-minute candles klines serves, so the ticker and the candles agree.
 */
export function ticker24h(x: TickerInputs, mini = false): Record<string, unknown> {
  const { market, src, now } = x
  const openTime = now - DAY
  const m0 = Math.floor(openTime / MINUTE)
  const count0 = Math.floor(now / MINUTE) - m0 + 1
  const day = aggregateMinutes(src, market, x.seed, new MinutePrices(src, m0, count0), m0, count0, now)
  const open = src.priceAt(openTime)
  const last = src.priceAt(now)
  const high = Math.max(open, last, day?.high ?? -Infinity)
  const low = Math.min(open, last, day?.low ?? Infinity)
  const volume = day?.volume ?? 0
  const quoteVolume = day?.quoteVolume ?? 0
  const count = day?.trades ?? 0
  const px = (p: number) => roundTo(unitsFromNumber(p), market.tick)
  const openU = px(open)
  const lastU = px(last)
  const firstId = x.tape.firstIdFrom(openTime)
  const lastId = x.tape.lastIdAt(now)
  if (mini) {
    return {
      symbol: market.symbol,
      openPrice: formatUnits(openU),
      highPrice: formatUnits(px(high)),
      lowPrice: formatUnits(px(low)),
      lastPrice: formatUnits(lastU),
      volume: formatUnits(unitsFromNumber(volume)),
      quoteVolume: formatUnits(unitsFromNumber(quoteVolume)),
      openTime,
      closeTime: now,
      firstId,
      lastId,
      count,
    }
  }
  const change = lastU - openU
  return {
    symbol: market.symbol,
    priceChange: formatUnits(change),
    priceChangePercent: ((Number(change) / Number(openU)) * 100).toFixed(3),
    weightedAvgPrice: formatUnits(unitsFromNumber(volume > 0 ? quoteVolume / volume : last)),
    prevClosePrice: formatUnits(px(src.priceAt(openTime - 1))),
    lastPrice: formatUnits(lastU),
    lastQty: formatUnits(x.tape.trade(Math.max(0, lastId)).qty),
    bidPrice: formatUnits(x.top.bid.price),
    bidQty: formatUnits(x.top.bid.qty),
    askPrice: formatUnits(x.top.ask.price),
    askQty: formatUnits(x.top.ask.qty),
    openPrice: formatUnits(openU),
    highPrice: formatUnits(px(high)),
    lowPrice: formatUnits(px(low)),
    volume: formatUnits(unitsFromNumber(volume)),
    quoteVolume: formatUnits(unitsFromNumber(quoteVolume)),
    openTime,
    closeTime: now,
    firstId,
    lastId,
    count,
  }
}
