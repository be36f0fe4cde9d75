import type { Clock } from '../clock'
import type { DemoMarket } from '../demo'
import { ceilTo, floorTo } from './decimal'
import { splitSymbol } from './positions'
import type { PriceSource, Quote, VenueMarket } from './venue'

/**
 * Paper trading over the demo market. The demo market has a last price only; bid and ask are
 * put `spreadBps` apart around it (at least one tick each side), rounded outward to the tick.
 */
export function demoPriceSource(demo: DemoMarket, clock: Clock, spreadBps = 2): PriceSource {
  const ticks = new Map(demo.symbols.map((s) => [s.symbol, 10 ** -s.pricePrecision]))
  return {
    quote(symbol: string): Quote | undefined {
      const tick = ticks.get(symbol)
      if (tick === undefined) return undefined
      const last = demo.quote(symbol, clock.now()).last
      const half = Math.max(tick, (last * spreadBps) / 20_000)
      return { bid: floorTo(last - half, tick), ask: ceilTo(last + half, tick), last }
    },
  }
}

/**
 * The demo symbols as paper markets, with Binance-like rules: the price tick from the symbol's
 * precision, an amount step worth 0.1-1 of quote at today's price (BTC 0.00001, ETH 0.0001, as
 * Binance), a 5-unit
 * minimum notional, 0.1% fees (the paper account's own fee settings replace these).
 */
export function demoPaperMarkets(demo: DemoMarket, clock: Clock): VenueMarket[] {
  const now = clock.now()
  return demo.symbols.map((s) => {
    const { base, quote } = splitSymbol(s.symbol)
    const price = demo.quote(s.symbol, now).last
    const step = 10 ** -Math.max(0, Math.min(8, Math.ceil(Math.log10(price))))
    return {
      symbol: s.symbol,
      base,
      quote,
      amountStep: step,
      priceTick: 10 ** -s.pricePrecision,
      minAmount: step,
      maxAmount: null,
      minNotional: 5,
      maxNotional: null,
      makerFee: 0.001,
      takerFee: 0.001,
      active: true,
    }
  })
}
