import { systemClock } from '../src/main/clock'
import { createDemoMarket } from '../src/main/demo'
import { databaseFile } from '../src/main/paths'
import { closeDatabase, openDatabase } from '../src/main/storage/database'
import { ceilTo, dec, roundTo } from '../src/main/trading/decimal'
import { demoPaperMarkets, demoPriceSource } from '../src/main/trading/demo-prices'

const HALF = dec('0.5')
const SIX = dec('6')
import { DEFAULT_ACCOUNT_ID, TradingService } from '../src/main/trading/service'
import type { OrderRequest } from '../src/shared/domain/trading'

/**
 * A data folder as a busy paper trader's looks after months: `fills` market buys filled (one fill
 * each; buys only, so no sell ever meets a balance short by a rounding) and `open` limit buys resting far below the market, spread
 * over the demo symbols. Written through the real order path (`placeOrders`, batches of 1,000),
 * so the rows are what the app itself writes; the host started on the folder afterwards uses
 * the same demo market (its default seed), so the paper book's prices agree.
 */
export async function seedPaperHistory(dir: string, counts: { open: number; fills: number }): Promise<void> {
  const db = openDatabase(databaseFile(dir))
  const demo = createDemoMarket({})
  const svc = new TradingService({
    db,
    clock: systemClock,
    prices: demoPriceSource(demo, systemClock),
    paperMarkets: () => demoPaperMarkets(demo, systemClock),
    timers: false,
  })
  try {
    svc.resetPaper(DEFAULT_ACCOUNT_ID, { startingBalance: '1000000000000', asset: 'USDT' })
    const symbols = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT']
    const markets = new Map(demoPaperMarkets(demo, systemClock).map((m) => [m.symbol, m]))
    const prices = demoPriceSource(demo, systemClock)
    const batch = async (reqs: Omit<OrderRequest, 'accountId'>[]): Promise<void> => {
      const out = svc.placeOrders(DEFAULT_ACCOUNT_ID, reqs)
      const failed = out.find((o) => o instanceof Error)
      if (failed) throw failed
      // Lets the event loop breathe between batches (nothing else runs, but it keeps this honest).
      await new Promise((r) => setImmediate(r))
    }
    let reqs: Omit<OrderRequest, 'accountId'>[] = []
    // The resting orders first: the same rows either way, and a faster seed on older code.
    for (let i = 0; i < counts.open; i++) {
      const symbol = symbols[i % symbols.length]!
      const m = markets.get(symbol)!
      const last = prices.quote(symbol)!.last
      const price = roundTo(last.times(HALF), m.priceTick)
      const amount = ceilTo(SIX.div(price, 18, 'up'), m.amountStep)
      reqs.push({ symbol, side: 'buy', type: 'limit', amount: amount.toString(), price: price.toString() })
      if (reqs.length === 1000) {
        await batch(reqs)
        reqs = []
      }
    }
    for (let i = 0; i < counts.fills; i++) {
      const symbol = symbols[i % symbols.length]!
      const m = markets.get(symbol)!
      const last = prices.quote(symbol)!.last
      // Just over the minimum notional, a whole number of steps.
      const amount = ceilTo(SIX.div(last, 18, 'up'), m.amountStep)
      reqs.push({ symbol, side: 'buy', type: 'market', amount: amount.toString() })
      if (reqs.length === 1000) {
        await batch(reqs)
        reqs = []
      }
    }
    if (reqs.length > 0) await batch(reqs)
  } finally {
    svc.close()
    closeDatabase(db)
  }
}
