import { join } from 'node:path'
import { AppError } from '../../src/shared/contract/errors'
import type { Fill } from '../../src/shared/domain/trading'
import type { Clock } from '../../src/main/clock'
import { closeDatabase, openDatabase, type Db } from '../../src/main/storage/database'
import { Decimal, dec } from '../../src/main/trading/decimal'
import { PaperVenue, type PaperSettings } from '../../src/main/trading/paper-venue'
import type { PositionFill } from '../../src/main/trading/positions'
import { saveAccount as saveAccountRow } from '../../src/main/trading/store'
import { TradingService, type TradingServiceOptions } from '../../src/main/trading/service'
import { ExchangeHub } from '../../src/main/exchange/hub'
import type { ConnectionOptions } from '../../src/main/exchange/connection'
import { silentLogger } from '../../src/main/log'
import { memorySecretStore, type SecretStore } from '../../src/main/secrets/store'
import {
  type PriceSource,
  type Quote,
  type TradingVenue,
  type VenueMarket,
  type VenueOrder,
  type VenueOrderRequest,
} from '../../src/main/trading/venue'

/** Opens (or reopens) the test database in `dir`, migrated, as the engine opens it. */
export function openTradingDb(dir: string): Db {
  return openDatabase(join(dir, 'candlework.db'))
}

export { closeDatabase }

export class ManualClock {
  constructor(public t = Date.UTC(2025, 0, 6, 12)) {}
  now = (): number => this.t
  advance(ms: number): void {
    this.t += ms
  }
}

/** A test's number as a decimal: text as it is, a number as the decimal it is written as. */
export function d(v: number | string | Decimal): Decimal {
  return v instanceof Decimal ? v : typeof v === 'string' ? dec(v) : Decimal.fromNumber(v)
}

/** What a test may give for a number: a number literal (as written), decimal text or a Decimal. */
export type Num = number | string | Decimal

/** Recorded fills (the wire's text) as position arithmetic takes them, in the order given. */
export function positionFills(fills: readonly Fill[]): PositionFill[] {
  return fills.map((f) => ({
    symbol: f.symbol,
    side: f.side,
    amount: dec(f.amount),
    price: dec(f.price),
    fee: f.fee && { cost: dec(f.fee.cost), currency: f.fee.currency },
    time: f.time,
  }))
}

/** A value with every Decimal in it as its text (what the wire would carry), for comparing. */
export type Texted<T> = T extends Decimal
  ? string
  : T extends readonly (infer U)[]
    ? Texted<U>[]
    : T extends Map<infer K, infer V>
      ? Map<K, Texted<V>>
      : T extends object
        ? { [K in keyof T]: Texted<T[K]> }
        : T

export function text<T>(v: T): Texted<T> {
  if (v instanceof Decimal) return v.toString() as Texted<T>
  if (Array.isArray(v)) return v.map((x: unknown) => text(x)) as Texted<T>
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, text(x)])) as Texted<T>
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, text(x)])) as Texted<T>
  }
  return v as Texted<T>
}

type MoneyKey = 'amount' | 'price' | 'stopPrice' | 'trailingPercent' | 'trailingAmount' | 'activationPrice'

/** A venue request written with numbers or text for its amounts and prices. */
export function venueRequest(
  r: Omit<VenueOrderRequest, MoneyKey> & { amount: Num } & Partial<Record<Exclude<MoneyKey, 'amount'>, Num>>,
): VenueOrderRequest {
  const out = { ...r, amount: d(r.amount) } as VenueOrderRequest
  for (const k of ['price', 'stopPrice', 'trailingPercent', 'trailingAmount', 'activationPrice'] as const) {
    const v = r[k]
    if (v !== undefined) out[k] = d(v)
  }
  return out
}

export class Prices implements PriceSource {
  private readonly quotes = new Map<string, Quote>()
  /** Bid and ask (numbers or decimal text); last defaults to the mid. */
  set(symbol: string, q: { bid: Num; ask: Num; last?: Num }): this {
    const bid = d(q.bid)
    const ask = d(q.ask)
    const last = q.last !== undefined ? d(q.last) : bid.plus(ask).times(dec('0.5'))
    this.quotes.set(symbol, { bid, ask, last })
    return this
  }
  quote(symbol: string): Quote | undefined {
    return this.quotes.get(symbol)
  }
}

export const BTC: VenueMarket = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  amountStep: dec('0.00001'),
  priceTick: dec('0.01'),
  minAmount: dec('0.00001'),
  maxAmount: dec('9000'),
  minNotional: dec('5'),
  maxNotional: dec('9000000'),
  makerFee: dec('0.001'),
  takerFee: dec('0.001'),
  active: true,
}

export const ETH: VenueMarket = {
  ...BTC,
  symbol: 'ETH/USDT',
  base: 'ETH',
  amountStep: dec('0.0001'),
  minAmount: dec('0.0001'),
}

export const MARKETS = [BTC, ETH]

export const ZERO_FEES: Partial<PaperSettings> = { makerFeeBps: 0, takerFeeBps: 0, slippageBps: 0 }

export function paperVenue(
  db: Db,
  clock: ManualClock,
  prices: PriceSource,
  settings: Partial<PaperSettings> = {},
  accountId = 'demo-paper',
): PaperVenue {
  return new PaperVenue({ db, accountId, clock, prices, markets: () => MARKETS, settings })
}

/** The exchange connections live accounts trade through, as the engine makes them. */
export function exchangeHub(
  db: Db,
  clock: Clock,
  opts: { secrets?: SecretStore; connectionOptions?: ConnectionOptions } = {},
): ExchangeHub {
  return new ExchangeHub({
    db,
    clock,
    log: silentLogger,
    secrets: opts.secrets ?? memorySecretStore(),
    ...(opts.connectionOptions ? { connectionOptions: opts.connectionOptions } : {}),
  })
}

export function service(
  db: Db,
  clock: Clock,
  prices: PriceSource,
  extra: Partial<TradingServiceOptions> = {},
): TradingService {
  return new TradingService({
    db,
    clock,
    prices,
    paperMarkets: () => MARKETS,
    exchanges: extra.exchanges ?? exchangeHub(db, clock),
    timers: false,
    outcomeMarginMs: 1_000,
    ...extra,
  })
}

export type Fault =
  /** The request never reaches the exchange; the caller sees a timeout. */
  | 'lost'
  /** The exchange executes the request; the answer is lost (timeout). */
  | 'answer-lost'
  /** The exchange executes the request; the caller sees a 5xx. */
  | 'accepted-5xx'
  /** Refused before reaching the matching engine: 429. */
  | 'rate-limited'
  /** The exchange is unreachable. */
  | 'unavailable'
  /** The request reaches the exchange, the caller never hears back (a crash while waiting). */
  | 'hang'
  /** Delivered twice: the second copy's answer ("Duplicate order sent.") is the one we see. */
  | 'duplicate'

/**
 * A remote-looking venue over another one (usually a PaperVenue that is not used as a local
 * venue): injects faults per call and counts how many times each client order id was sent.
 */
export class FaultyVenue implements TradingVenue {
  readonly id = 'faulty'
  readonly canFetchByClientOrderId = true
  readonly sent = new Map<string, number>()
  /** Faults for the next createOrder calls, in order; then for lookups. */
  createFaults: Fault[] = []
  lookupFaults: Fault[] = []
  /** Every call made, by method. */
  readonly calls: string[] = []

  constructor(
    readonly inner: TradingVenue,
    readonly recvWindowMs = 5_000,
  ) {}

  loadMarkets() {
    return this.inner.loadMarkets()
  }
  fetchQuote(symbol: string) {
    return this.inner.fetchQuote(symbol)
  }
  async createOrder(r: VenueOrderRequest): Promise<VenueOrder> {
    this.calls.push('createOrder')
    this.sent.set(r.clientOrderId, (this.sent.get(r.clientOrderId) ?? 0) + 1)
    return this.withFault(this.createFaults.shift(), () => this.inner.createOrder(r))
  }
  async fetchOrder(ref: { symbol: string; id?: string; clientOrderId?: string }) {
    this.calls.push('fetchOrder')
    return this.withFault(this.lookupFaults.shift(), () => this.inner.fetchOrder(ref))
  }
  fetchOpenOrders(symbol?: string) {
    this.calls.push('fetchOpenOrders')
    return this.inner.fetchOpenOrders(symbol)
  }
  fetchMyTrades(symbol: string, since?: number, limit?: number) {
    this.calls.push('fetchMyTrades')
    return this.inner.fetchMyTrades(symbol, since, limit)
  }
  cancelOrder(ref: { symbol: string; id: string }) {
    this.calls.push('cancelOrder')
    return this.inner.cancelOrder(ref)
  }
  fetchBalance() {
    return this.inner.fetchBalance()
  }

  private async withFault<T>(fault: Fault | undefined, run: () => Promise<T>): Promise<T> {
    switch (fault) {
      case undefined:
        return run()
      case 'lost':
        throw new AppError('outcome_unknown', 'faulty RequestTimeout (request lost)')
      case 'answer-lost':
        await run()
        throw new AppError('outcome_unknown', 'faulty RequestTimeout (answer lost)')
      case 'accepted-5xx':
        await run()
        throw new AppError('unavailable', 'faulty 503 Service Unavailable')
      case 'rate-limited':
        throw new AppError('rate_limited', 'faulty 429 Too Many Requests', undefined, 2)
      case 'unavailable':
        throw new AppError('unavailable', 'faulty ECONNREFUSED')
      case 'hang':
        await run()
        return new Promise<T>(() => undefined)
      case 'duplicate':
        await run()
        throw new AppError('invalid_order', 'faulty Duplicate order sent.')
    }
  }
}

/** A stand-in exchange: a PaperVenue in its own database, as a remote exchange keeps its own book. */
export function fakeExchange(
  dir: string,
  clock: ManualClock,
  prices: PriceSource,
  settings: Partial<PaperSettings> = ZERO_FEES,
): { db: Db; venue: PaperVenue } {
  const db = openTradingDb(dir)
  saveAccountRow(
    db,
    { id: 'exchange', name: 'exchange', mode: 'paper', exchangeId: 'paper', liveEnabled: false },
    clock.now(),
  )
  const venue = new PaperVenue({ db, accountId: 'exchange', clock, prices, markets: () => MARKETS, settings })
  return { db, venue }
}
