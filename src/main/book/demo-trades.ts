import type { BookTrade } from '../../shared/contract/book'
import { fromUnits, plainDecimal } from '../../shared/domain/book'
import type { DemoMarket } from '../demo'
import { TICK_MS } from '../demo/intraminute'
import type { DemoSymbolSpec } from '../demo/symbols'

const MINUTE_MS = 60_000

/**
 * The demo market's trades, read off its own price path: each 250 ms tick of the intra-minute path
 * (demo/intraminute.ts) whose accrued volume grew is one trade at that tick's price, of the volume
 * it added. So the tape's last price is the demo's last price, and a minute's trades add up to its
 * bar's volume exactly. The side follows the tick rule: an uptick is a buy, a downtick a sell, an
 * unchanged price keeps the side before it.
 */
export function demoTradesBetween(
  demo: DemoMarket,
  spec: DemoSymbolSpec,
  from: number,
  to: number,
): BookTrade[] {
  const places = spec.pricePrecision
  const out: BookTrade[] = []
  let t = Math.ceil(from / TICK_MS) * TICK_MS
  // The tick before the first: its price and accrued volume (zero at a minute's start).
  let prev = tickAt(demo, spec, t - TICK_MS)
  let side: 'buy' | 'sell' = 'buy'
  for (; t <= to; t += TICK_MS) {
    const cur = tickAt(demo, spec, t)
    const added = t % MINUTE_MS === 0 ? cur.volume : cur.volume - prev.volume
    if (cur.price > prev.price) side = 'buy'
    else if (cur.price < prev.price) side = 'sell'
    if (added > 0) {
      out.push({
        id: `${t}`,
        time: t,
        price: fromUnits(BigInt(Math.round(cur.price * 10 ** places)), places),
        size: plainDecimal(added),
        side,
      })
    }
    prev = cur
  }
  return out
}

/** The newest `count` trades at or before `now` (oldest first), looking back at most two minutes. */
export function recentDemoTrades(
  demo: DemoMarket,
  spec: DemoSymbolSpec,
  now: number,
  count: number,
): BookTrade[] {
  const trades = demoTradesBetween(demo, spec, now - 2 * MINUTE_MS, now)
  return trades.slice(-count)
}

function tickAt(demo: DemoMarket, spec: DemoSymbolSpec, t: number): { price: number; volume: number } {
  const bar = demo.formingCandle(spec.symbol, '1m', t)
  return { price: bar.close, volume: bar.volume }
}
