import type { Clock } from '../clock'
import type { DemoMarket } from '../demo'
import { bpsToFraction, ceilTo, Decimal, floorTo, fromNumber, roundTo } from './decimal'
import { splitSymbol } from './positions'
import type { PriceSource, Quote, VenueMarket } from './venue'

/** A tick of `places` decimal places: 2 -> 0.01. */
const tickOf = (places: number): Decimal => Decimal.fromUnits(1n, Math.max(0, places))

/**
 * Paper trading over the demo market. The demo market has a last price only (a double, which
 * becomes a decimal here, at the tick: the demo's prices enter the engine once, rounded half-up
 * to its precision); bid and ask are put `spreadBps` apart around it (at least one tick each
 * side), rounded outward to the tick.
 */
export function demoPriceSource(demo: DemoMarket, clock: Clock, spreadBps = 2): PriceSource {
  const ticks = new Map(demo.symbols.map((s) => [s.symbol, tickOf(s.pricePrecision)]))
  const halfSpread = bpsToFraction(spreadBps).times(Decimal.parse('0.5'))
  return {
    quote(symbol: string): Quote | undefined {
      const tick = ticks.get(symbol)
      if (tick === undefined) return undefined
      const last = roundTo(fromNumber(demo.quote(symbol, clock.now()).last), tick)
      const half = Decimal.max(tick, last.times(halfSpread))
      return { bid: floorTo(last.minus(half), tick), ask: ceilTo(last.plus(half), tick), last }
    },
  }
}

/**
 * The demo symbols as paper markets, with Binance-like rules: the price tick from the symbol's
 * precision, an amount step worth 0.1-1 of quote at today's price (BTC 0.00001, ETH 0.0001, as
 * Binance), a 5-unit
 * minimum notional, 0.1% fees (the paper account's own fee settings replace these).
 */
const FIVE = Decimal.parse('5')
const TENTH_PERCENT = Decimal.parse('0.001')

export function demoPaperMarkets(demo: DemoMarket, clock: Clock): VenueMarket[] {
  const now = clock.now()
  return demo.symbols.map((s) => {
    const { base, quote } = splitSymbol(s.symbol)
    const price = demo.quote(s.symbol, now).last
    const step = tickOf(Math.min(8, Math.ceil(Math.log10(price))))
    return {
      symbol: s.symbol,
      base,
      quote,
      amountStep: step,
      priceTick: tickOf(s.pricePrecision),
      minAmount: step,
      maxAmount: null,
      minNotional: FIVE,
      maxNotional: null,
      makerFee: TENTH_PERCENT,
      takerFee: TENTH_PERCENT,
      active: true,
    }
  })
}
