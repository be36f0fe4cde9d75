import { AppError } from '../../shared/contract/errors'
import type { DustConversionResult, DustConversions } from '../../shared/contract/trading'
import type { Fill, Position } from '../../shared/domain/trading'
import { Decimal, toDecimal } from './decimal'
import { assertLiveAllowed } from './live-gate'
import type { OrderPath } from './order-path'
import { DUST_FILL_PREFIX, insertFill, type StoredAccount } from './store'
import { isLocalVenue, type DustConversion, type TradingVenue, type VenueMarket } from './venue'
import { positionLedgers } from './position-book'

/**
 * Converting dust (`trading.convertDust`): positions below their market's lot step, which no
 * order can trade, handed to the venue's small-balance conversion (the `dust_conversion`
 * feature), and each conversion recorded as a fill so the position goes flat.
 *
 * The record: a `sell` of the amount the venue took, in the position's symbol, with trade id
 * `dust:<transfer id>` (its own namespace; how the fill is known as a conversion,
 * `reason: 'dust_conversion'`, without a column of its own), no order, no taker/maker. A sell fill
 * is what positions, realized P&L and the journal already read as an exit, so none of them needs
 * to know about conversions. Its price and fee, exact:
 * - paper converts at a market's bid (`valuedAt`) into that market's quote: the fill is that
 *   sale, at the bid, with the conversion's fee in the quote. It moves the balances exactly as
 *   the venue did, so a paper balance stays its start plus its fills, to the last unit.
 * - Binance converts into BNB at its own rate. The fill is at the position's market bid (the
 *   price the dust was worth), and its fee, in the quote, is what the conversion cost against
 *   that: amount × bid − BNB received × BNB's bid in the quote (Binance's 2% and its rate). So
 *   realized P&L gains exactly the BNB received, valued at BNB's bid, no quotient and no rounding
 *   (a price made as value / amount would not terminate). Where that value cannot be known
 *   (no BNB market in the quote, no price now), the fill is at the position's own lot prices,
 *   one fill per lot, so the position goes flat and realized P&L is left as it was; Binance's fee
 *   is kept on it in BNB (listed apart from P&L, as every fee in a third currency), and `note`
 *   says so. The BNB itself is in the exchange's balances, which live accounts read from it.
 * Only long dust converts (a short below the step owes coins; there is nothing to convert).
 */

export interface DustOptions {
  assets?: readonly string[] | undefined
  confirm?: boolean | undefined
}

/** What the position's quote is worth: the conversion's value and the bid to book it at, when known. */
interface Valuation {
  value: Decimal | null
  bid: Decimal | null
}

export async function convertDust(
  path: OrderPath,
  account: StoredAccount,
  venue: TradingVenue,
  opts: DustOptions,
  /** The stored account, read again just before anything is sent (its live switch may have changed). */
  current: () => StoredAccount,
): Promise<DustConversions> {
  liveGate(account, opts.confirm)
  if (venue.features?.has('dust_conversion') !== true || venue.convertDust === undefined) {
    throw new AppError(
      'invalid_order',
      `${label(account.exchangeId)} does not convert small balances; sell them when they reach the lot step`,
      'params.accountId',
    )
  }
  const markets = await venue.loadMarkets()
  const byAsset = dustByAsset(path, account.id, markets)
  const assets = [...new Set(opts.assets ?? byAsset.keys())]
  for (const asset of assets) {
    if (!byAsset.has(asset)) {
      throw new AppError(
        'validation',
        `${asset} is not dust in "${account.name}": none of its positions is below its lot step`,
        'params.assets',
      )
    }
  }
  if (assets.length === 0) {
    return {
      accountId: account.id,
      converted: [],
      fills: [],
      note: `Nothing to convert: "${account.name}" holds no dust (no position below its lot step)`,
    }
  }

  if (isLocalVenue(venue)) {
    return path.tx(() => {
      const done = venue.runBatch(() => venue.convertDustSync(assets))
      return record(path, account.id, done, byAsset, new Map())
    })
  }
  liveGate(current(), opts.confirm)
  const done = await venue.convertDust(assets)
  const valuations = new Map<string, Valuation>()
  for (const c of done) {
    const position = byAsset.get(c.asset)?.[0]
    if (position) valuations.set(c.transferId, await valuationOf(venue, markets, position, c))
  }
  return path.tx(() => record(path, account.id, done, byAsset, valuations))
}

/** The live gate of orders, in the words of a conversion. */
function liveGate(account: StoredAccount, confirm: boolean | undefined): void {
  try {
    assertLiveAllowed(account, { confirm })
  } catch (err) {
    if (err instanceof AppError && err.path === 'params.confirm') {
      throw new AppError(
        'invalid_order',
        'Converting dust on a live account needs confirm: true (the app asks first)',
        'params.confirm',
      )
    }
    throw err
  }
}

/** The account's long dust positions, by base asset (several where one asset has dust in two markets). */
function dustByAsset(
  path: OrderPath,
  accountId: string,
  markets: ReadonlyMap<string, VenueMarket>,
): Map<string, Position[]> {
  const positions = [...positionLedgers(path.db, accountId).values()].map((l) =>
    l.position(accountId, null, markets.get(l.symbol) ?? null),
  )
  const out = new Map<string, Position[]>()
  for (const p of positions) {
    if (p.side !== 'dust' || !toDecimal(p.amount).isPositive()) continue
    const list = out.get(p.base) ?? []
    list.push(p)
    out.set(p.base, list)
  }
  return out
}

/** The target received, valued in the position's quote at the target's bid, and the position's bid. */
async function valuationOf(
  venue: TradingVenue,
  markets: ReadonlyMap<string, VenueMarket>,
  position: Position,
  c: DustConversion,
): Promise<Valuation> {
  const bidOf = async (symbol: string): Promise<Decimal | null> => {
    if (!markets.has(symbol)) return null
    const q = await venue.fetchQuote(symbol).catch(() => null)
    return q && q.bid.isPositive() ? q.bid : null
  }
  const targetBid = c.target === position.quote ? Decimal.ONE : await bidOf(`${c.target}/${position.quote}`)
  return { value: targetBid && c.received.times(targetBid), bid: await bidOf(position.symbol) }
}

function record(
  path: OrderPath,
  accountId: string,
  done: readonly DustConversion[],
  byAsset: ReadonlyMap<string, Position[]>,
  valuations: ReadonlyMap<string, Valuation>,
): DustConversions {
  const now = path.clock.now()
  const converted: DustConversionResult[] = []
  const fills: Fill[] = []
  const notes: string[] = []
  for (const c of done) {
    const position = byAsset.get(c.asset)?.[0]
    const made = position ? fillsOf(accountId, c, position, valuations.get(c.transferId)) : null
    const result: DustConversionResult = {
      asset: c.asset,
      amount: c.amount.toString(),
      target: c.target,
      received: c.received.toString(),
      fee: c.fee.toString(),
      transferId: c.transferId,
      symbol: made?.symbol ?? null,
      value: made?.value?.toString() ?? null,
    }
    converted.push(result)
    if (!made) {
      notes.push(`${c.asset} had no dust position here; nothing was recorded for it`)
      continue
    }
    if (made.value === null) {
      notes.push(
        `${c.amount.toString()} ${c.asset} became ${c.received.toString()} ${c.target}, which could not be valued in ${position!.quote} (no ${c.target}/${position!.quote} price): ${made.symbol} was closed at its entry prices, adding no P&L`,
      )
    }
    for (const fill of made.fills) {
      if (!insertFill(path.db, fill, now)) continue
      fills.push(fill)
      path.emit({ type: 'fill', fill })
    }
  }
  if (fills.length > 0) path.emit({ type: 'balance', accountId })
  return { accountId, converted, fills, note: notes.length > 0 ? notes.join('; ') : null }
}

/** The fills recording one conversion (see the module comment), with what it was worth in the quote. */
function fillsOf(
  accountId: string,
  c: DustConversion,
  position: Position,
  valuation: Valuation | undefined,
): { symbol: string; value: Decimal | null; fills: Fill[] } {
  const id = `${DUST_FILL_PREFIX}${c.transferId}`
  const fill = (
    symbol: string,
    n: number | null,
    price: Decimal,
    amount: Decimal,
    fee: Fill['fee'],
  ): Fill => ({
    accountId,
    tradeId: n === null ? id : `${id}:${n}`,
    exchangeOrderId: id,
    clientOrderId: null,
    symbol,
    side: 'sell',
    amount: amount.toString(),
    price: price.toString(),
    cost: amount.times(price).toString(),
    fee,
    takerOrMaker: null,
    time: c.time,
    reason: 'dust_conversion',
  })
  if (c.valuedAt) {
    // The venue sold it at that market's bid into its quote (paper): the fill is that sale.
    const { symbol, price } = c.valuedAt
    const value = c.amount.times(price).minus(c.fee)
    return {
      symbol,
      value,
      fills: [fill(symbol, null, price, c.amount, { cost: c.fee.toString(), currency: c.target })],
    }
  }
  if (valuation?.value && valuation.bid) {
    const fee = c.amount.times(valuation.bid).minus(valuation.value)
    return {
      symbol: position.symbol,
      value: valuation.value,
      fills: [
        fill(position.symbol, null, valuation.bid, c.amount, {
          cost: fee.toString(),
          currency: position.quote,
        }),
      ],
    }
  }
  // Not valued: closed at its own lots' prices (oldest first, as FIFO closes them), no P&L.
  const fills: Fill[] = []
  let left = c.amount
  const lots = position.lots.filter((l) => toDecimal(l.amount).isPositive())
  lots.forEach((lot, i) => {
    const last = i === lots.length - 1
    const take = last ? left : Decimal.min(left, toDecimal(lot.amount))
    if (!take.isPositive()) return
    const fee = fills.length === 0 ? { cost: c.fee.toString(), currency: c.target } : null
    fills.push(fill(position.symbol, i, toDecimal(lot.price), take, fee))
    left = left.minus(take)
  })
  return { symbol: position.symbol, value: null, fills }
}

/** `binance` -> `Binance`: the exchange as the trader reads it. */
function label(exchangeId: string): string {
  return exchangeId === 'paper' ? 'Paper' : exchangeId.charAt(0).toUpperCase() + exchangeId.slice(1)
}
