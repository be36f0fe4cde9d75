import type { NormalizedOrder, OcoRequest } from '../../shared/domain/trading'
import { validateOco, type NormalizedOco } from './oco-validation'
import type { Clock } from '../clock'
import type { Logger } from '../log'
import { clean } from './decimal'
import type { ApplyResult } from './order-adopt'
import { orderKey } from './order-key'
import { splitSymbol } from './positions'
import type { StoredAccount } from './store'
import { needsLastPrice } from './triggers'
import { validateOrder, type OrderInput } from './validation'
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
    position?: (symbol: string) => number,
  ): Promise<NormalizedOrder> {
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
    const move = (asset: string, dFree: number, dUsed = 0) => {
      const b = cached.get(asset) ?? { free: 0, used: 0, total: 0 }
      const free = clean(b.free + dFree)
      const used = clean(b.used + dUsed)
      cached.set(asset, { free, used, total: clean(free + used) })
    }
    for (const f of r.newFills) {
      const feeBase = f.fee?.currency === base ? f.fee.cost : 0
      const feeQuote = f.fee?.currency === quote ? f.fee.cost : 0
      if (f.side === 'buy') {
        move(quote, -(f.cost + feeQuote))
        move(base, f.amount - feeBase)
      } else {
        move(base, -(f.amount + feeBase))
        move(quote, f.cost - feeQuote)
      }
    }
    if (r.order.status === 'open' || r.order.status === 'partially_filled') {
      const remaining = r.order.amount - r.order.filled
      if (r.order.side === 'buy') {
        const reserved = remaining * (r.order.price ?? r.order.stopPrice ?? 0)
        move(quote, -reserved, reserved)
      } else move(base, -remaining, remaining)
    }
  }
}
