import type { VenueMarket } from './venue'

/**
 * How many decimal places an asset is shown with, from the markets a venue lists (balances and
 * amounts "at the asset's own precision": USDT with 2, not 8):
 * - an asset traded as a base: the places of its finest lot step (BTC at a 0.00001 step: 5);
 * - otherwise, an asset markets are quoted in: the places of the coarsest price tick among those
 *   markets (USDT, with BTC/USDT at a 0.01 tick: 2), the precision its amounts are priced at;
 * - an asset no market names: null (shown as it is, exactly).
 * Display only: balances themselves stay exact, and the blotter shows the exact value on hover.
 */
export function assetDecimals(markets: Iterable<VenueMarket>): (asset: string) => number | null {
  const base = new Map<string, number>()
  const quote = new Map<string, number>()
  for (const m of markets) {
    if (m.amountStep.isPositive()) base.set(m.base, Math.max(base.get(m.base) ?? 0, m.amountStep.decimals))
    if (m.priceTick.isPositive()) {
      const d = m.priceTick.decimals
      quote.set(m.quote, Math.min(quote.get(m.quote) ?? d, d))
    }
  }
  return (asset) => base.get(asset) ?? quote.get(asset) ?? null
}
