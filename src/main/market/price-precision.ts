import { DEMO_SOURCE, type DemoMarket } from '../demo'
import type { Db } from '../storage/database'
import { importedSymbols } from './imported-series'

/**
 * A symbol's price decimals as the chart shows them (`market.symbols`' `pricePrecision`): the demo
 * market's own, an imported or exchange series' guessed from its newest close; null when unknown.
 */
export function pricePrecisionOf(db: Db, demo: DemoMarket, source: string, symbol: string): number | null {
  if (source === DEMO_SOURCE) return demo.symbols.find((s) => s.symbol === symbol)?.pricePrecision ?? null
  return importedSymbols(db).find((s) => s.source === source && s.symbol === symbol)?.pricePrecision ?? null
}
