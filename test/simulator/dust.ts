import { divUnits, feeOf, formatUnits, mulUnits, type Units } from './decimal'
import { err } from './errors'
import { requireAccount, type RouteContext } from './route'

/** Binance's small-balance conversion fee: 2% of the BNB the balance is worth. */
const DUST_FEE_BPS = 200n
/** The most a balance may be worth to convert: 0.001 BTC (-5004 above). */
const DUST_MAX_BTC: Units = 100_000n

/** BNB's price in USDT where BNBUSDT is not listed: Binance converts at its own rate whatever we list. */
const BNB_RATE_UNLISTED: Units = 60_000_000_000n

let nextTranId = 150_000_000_000

/**
 * POST /sapi/v1/asset/dust (`asset` repeated, one per asset): converts each asset's whole free
 * balance into BNB, as Binance's "Convert small balances to BNB" does. Each balance is valued at
 * its `<asset>USDT` bid, must be worth at most 0.001 BTC (at BTCUSDT's bid; -5004 otherwise) and
 * becomes BNB at BNBUSDT's bid (listed only when the test asks: `BNB_USDT` in markets.ts; else
 * at 600 USDT, the exchange's own rate that the client cannot see), rounded down to 1e-8, less a 2% fee. An asset not held is -5003; one without a USDT market,
 * or BNB itself, -5009. Every asset is checked before any balance moves: all or nothing.
 */
export function convertDust(ctx: RouteContext): unknown {
  const account = requireAccount(ctx)
  const assets = ctx.params.repeats('asset')
  if (assets.length === 0) throw err.mandatory('asset')
  const bid = (symbol: string): Units => {
    if (!ctx.data.market(symbol)) throw err.noSuchProduct()
    return ctx.data.quotes(symbol, ctx.now).bid
  }
  const plan = [...new Set(assets)].map((asset) => {
    if (asset === 'BNB') throw err.noSuchProduct()
    const free = account.get(asset).free
    if (free <= 0n) throw err.noSuchAsset()
    const usdt = mulUnits(free, bid(`${asset}USDT`))
    if (divUnits(usdt, bid('BTCUSDT')) > DUST_MAX_BTC) throw err.dustTooLarge(asset)
    const gross = divUnits(usdt, ctx.data.market('BNBUSDT') ? bid('BNBUSDT') : BNB_RATE_UNLISTED)
    const fee = feeOf(gross, DUST_FEE_BPS)
    return { asset, free, fee, transfered: gross - fee }
  })
  let totalFee = 0n
  let totalTransfered = 0n
  const transferResult = plan.map(({ asset, free, fee, transfered }) => {
    account.debit(asset, free, ctx.now)
    account.credit('BNB', transfered, ctx.now)
    totalFee += fee
    totalTransfered += transfered
    return {
      amount: formatUnits(free),
      fromAsset: asset,
      operateTime: ctx.now,
      serviceChargeAmount: formatUnits(fee),
      tranId: nextTranId++,
      transferedAmount: formatUnits(transfered),
    }
  })
  return {
    totalServiceCharge: formatUnits(totalFee),
    totalTransfered: formatUnits(totalTransfered),
    transferResult,
  }
}
