import type { OcoRequest } from '../../shared/domain/trading'
import { validateOco, type NormalizedOco } from './oco-validation'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import { Decimal, toDecimal, toOptionalDecimal } from './decimal'
import type { ApplyResult } from './order-adopt'
import { orderKey } from './order-key'
import { splitSymbol } from './positions'
import type { StoredAccount } from './store'
import { needsLastPrice } from './triggers'
import { validateOrder, type CheckedOrder, type OrderInput } from './validation'
import { BASIC_FEATURES } from './venue-features'
import { isLocalVenue, type Quote, type TradingVenue, type VenueBalance } from './venue'

/**
 * Pre-trade checks of an order against its venue's market, a quote and the free balance.
 *
 * Remote quotes and balances are cached for a short while so a burst of orders does not cost
 * a round trip each; a local (paper) venue answers from memory and is never cached.
 */
export class PretradeChecks {
  private readonly quotes = new Map<string, { at: number; quote: Quote }>()
  private readonly balanceCache = new Map<string, { at: number; balances: Map<string, VenueBalance> }>()

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger | undefined,
    /** How old a remote quote or balance may be. */
    private readonly quoteTtl: number,
    private readonly balanceTtl: number,
  ) {}

  /**
   * Validates and rounds an order (validation.ts) with what the venue knows. `position` gives
   * the account's position in a symbol, read only for reduce-only orders.
   */
  async validate(
    account: StoredAccount,
    venue: TradingVenue,
    req: OrderInput,
    position?: (symbol: string) => Decimal,
  ): Promise<CheckedOrder> {
    const markets = await venue.loadMarkets()
    const market = markets.get(req.symbol)
    let quote: Quote | undefined
    if (market && needsLastPrice(req)) {
      // Market orders cannot be checked without a price, nor can a trigger's side of the market.
      quote = await this.quoteFor(venue, account.id, req.symbol)
    } else if (market) {
      // Limit and stop orders can: a quote only sharpens the fee estimate, so a remote one is not fetched for it.
      quote = isLocalVenue(venue)
        ? await venue.fetchQuote(req.symbol).catch(() => undefined)
        : this.cachedQuote(account.id, req.symbol, this.clock.now())
    }
    let balances: ReadonlyMap<string, VenueBalance> | undefined
    try {
      balances = await this.balancesFor(venue, account.id)
    } catch (err) {
      // The exchange checks balances itself; ours is a courtesy.
      this.log?.warn(`balance check skipped for ${account.id}`, err)
    }
    return validateOrder(req, {
      market,
      quote,
      balances,
      venue: venue.id,
      features: venue.features ?? BASIC_FEATURES,
      position: req.reduceOnly === true && position ? position(req.symbol) : undefined,
    })
  }

  /** Checks an OCO (oco-validation.ts) with the venue's market, last price and balances. */
  async validateOco(
    account: StoredAccount,
    venue: TradingVenue,
    req: Omit<OcoRequest, 'accountId' | 'confirm'>,
  ): Promise<NormalizedOco> {
    const market = (await venue.loadMarkets()).get(req.symbol)
    const quote = market ? await this.quoteFor(venue, account.id, req.symbol) : undefined
    let balances: ReadonlyMap<string, VenueBalance> | undefined
    try {
      balances = await this.balancesFor(venue, account.id)
    } catch (err) {
      this.log?.warn(`balance check skipped for ${account.id}`, err)
    }
    return validateOco(req, {
      market,
      quote,
      balances,
      venue: venue.id,
      features: venue.features ?? BASIC_FEATURES,
    })
  }

  private async quoteFor(venue: TradingVenue, accountId: string, symbol: string): Promise<Quote> {
    if (isLocalVenue(venue)) return venue.fetchQuote(symbol)
    const now = this.clock.now()
    const hit = this.cachedQuote(accountId, symbol, now)
    if (hit) return hit
    const quote = await venue.fetchQuote(symbol)
    this.quotes.set(orderKey(accountId, symbol), { at: now, quote })
    return quote
  }

  private cachedQuote(accountId: string, symbol: string, now: number): Quote | undefined {
    const hit = this.quotes.get(orderKey(accountId, symbol))
    return hit && now - hit.at <= this.quoteTtl ? hit.quote : undefined
  }

  private async balancesFor(venue: TradingVenue, accountId: string): Promise<Map<string, VenueBalance>> {
    if (isLocalVenue(venue)) return venue.fetchBalance()
    const hit = this.balanceCache.get(accountId)
    const now = this.clock.now()
    if (hit && now - hit.at <= this.balanceTtl) return hit.balances
    const balances = await venue.fetchBalance()
    this.balanceCache.set(accountId, { at: now, balances })
    return balances
  }

  /** Seeds the balance cache (after a balance fetch elsewhere). */
  rememberBalances(accountId: string, balances: Map<string, VenueBalance>): void {
    this.balanceCache.set(accountId, { at: this.clock.now(), balances })
  }

  /** Forgets an account's balances: something moved them in a way not worth modelling. */
  invalidateBalances(accountId: string): void {
    this.balanceCache.delete(accountId)
  }

  /**
   * Keeps the cached balances (pre-trade checks of remote venues) in step with a new order
   * without asking the exchange again: its fills move base and quote, and what rests reserves
   * quote (buys, at the limit price) or base (sells). The exchange remains the judge.
   */
  adjustCachedBalances(r: ApplyResult): void {
    const cached = this.balanceCache.get(r.order.accountId)?.balances
    if (!cached) return
    const { base, quote } = splitSymbol(r.order.symbol)
    const move = (asset: string, dFree: Decimal, dUsed = Decimal.ZERO) => {
      const b = cached.get(asset) ?? { free: Decimal.ZERO, used: Decimal.ZERO, total: Decimal.ZERO }
      const free = b.free.plus(dFree)
      const used = b.used.plus(dUsed)
      cached.set(asset, { free, used, total: free.plus(used) })
    }
    for (const f of r.newFills) {
      const fee = f.fee ? toDecimal(f.fee.cost) : Decimal.ZERO
      const feeBase = f.fee?.currency === base ? fee : Decimal.ZERO
      const feeQuote = f.fee?.currency === quote ? fee : Decimal.ZERO
      const amount = toDecimal(f.amount)
      const cost = toDecimal(f.cost)
      if (f.side === 'buy') {
        move(quote, cost.plus(feeQuote).neg())
        move(base, amount.minus(feeBase))
      } else {
        move(base, amount.plus(feeBase).neg())
        move(quote, cost.minus(feeQuote))
      }
    }
    if (r.order.status === 'open' || r.order.status === 'partially_filled') {
      const remaining = toDecimal(r.order.amount).minus(toDecimal(r.order.filled))
      if (r.order.side === 'buy') {
        const price = toOptionalDecimal(r.order.price ?? r.order.stopPrice) ?? Decimal.ZERO
        const reserved = remaining.times(price)
        move(quote, reserved.neg(), reserved)
      } else move(base, remaining.neg(), remaining)
    }
  }
}
