import { AppError } from '../../shared/contract/errors'
import type { AccountMarket, AccountQuote, TradingMarket } from '../../shared/domain/account-market'
import { TIMEFRAMES } from '../../shared/domain/timeframes'
import type { Clock } from '../clock'
import { DEMO_SOURCE, DEMO_SOURCE_LABEL } from '../demo'
import type { Logger } from '../log'
import { toOptionalText } from './decimal'
import type { ExchangeMarketData, MarketsStatus } from './exchange-prices'
import type { StoredAccount } from './store'
import type { PriceSource, Quote, VenueMarket } from './venue'

export interface AccountMarketsDeps {
  clock: Clock
  log?: Logger | undefined
  /** The stored account; throws `not_found` once it is gone. */
  account(id: string): Pick<StoredAccount, 'id' | 'mode' | 'exchangeId'>
  /** The demo market: what paper accounts on it trade, and its prices. */
  demo: { markets(): Iterable<VenueMarket>; prices: PriceSource }
  /** An exchange's public data (markets and prices), one per exchange id, shared with paper accounts on it. */
  exchange(exchangeId: string): ExchangeMarketData
  /** How often a follower of an account's market looks again (1 s): account edits, a new API URL. */
  pollMs?: number
  /** How often a follower of a quote looks for a new price (250 ms: the demo market's tick). */
  quotePollMs?: number
}

export interface Sink<E> {
  emit(event: E): void
  end(error: AppError): void
}

/** Whether an account trades (or, imported, is marked) on the demo market: it names no exchange. */
export const onDemoMarket = (a: Pick<StoredAccount, 'mode' | 'exchangeId'>): boolean =>
  a.mode !== 'live' && a.exchangeId === 'paper'

/**
 * The market each account trades on, for the order ticket, the symbol list and the chart
 * (`trading.market`, `trading.quote`): the demo market for paper accounts on it; otherwise the
 * account's exchange's own markets and public prices, through the same `ExchangePrices` its paper
 * accounts fill on (the hub's connection: its breaker, health, retries). A live account and a
 * paper account on an exchange are never given the demo market's symbols or prices: until their
 * exchange's markets have loaded, their market says why not and when the next try is.
 */
export class AccountMarkets {
  private readonly pollMs: number
  private readonly quotePollMs: number

  constructor(private readonly deps: AccountMarketsDeps) {
    this.pollMs = deps.pollMs ?? 1_000
    this.quotePollMs = deps.quotePollMs ?? 250
  }

  /** The account's market now. */
  market(accountId: string): AccountMarket {
    const account = this.deps.account(accountId)
    return this.build(account, this.head(account))
  }

  /**
   * Follows an account's market: sent at once, then whenever it changes (state, reason, retry
   * time, source, the markets). Ends with `not_found` when the account is deleted.
   */
  watch(accountId: string, sink: Sink<AccountMarket>): () => void {
    // Throws not_found for an unknown account before anything is set up.
    this.deps.account(accountId)
    let lastSig = ''
    let followed: string | null = null
    let unfollow: (() => void) | undefined
    let stopped = false
    const stop = (): void => {
      stopped = true
      clearInterval(timer)
      unfollow?.()
      unfollow = undefined
    }
    const check = (): void => {
      if (stopped) return
      let account: Pick<StoredAccount, 'id' | 'mode' | 'exchangeId'>
      try {
        account = this.deps.account(accountId)
      } catch (err) {
        stop()
        sink.end(err instanceof AppError ? err : new AppError('internal', 'The account could not be read'))
        return
      }
      // An account moved to another exchange (or to the demo market) follows that one from now on.
      const exchangeId = onDemoMarket(account) ? null : account.exchangeId
      if (exchangeId !== followed) {
        unfollow?.()
        followed = exchangeId
        const data = exchangeId === null ? null : this.data(exchangeId)
        unfollow = data instanceof AppError || data === null ? undefined : data.onMarketsChange(check)
      }
      const head = this.head(account)
      const sig = JSON.stringify({ ...head, now: 0 })
      if (sig === lastSig) return
      lastSig = sig
      sink.emit(this.build(account, head))
    }
    const timer = setInterval(check, this.pollMs)
    timer.unref?.()
    check()
    return stop
  }

  /**
   * Follows the price of one symbol on the account's market, sent when it changes: the demo
   * market's, or the exchange's public price while it is fresh; otherwise nulls and the reason.
   */
  watchQuote(accountId: string, symbol: string, sink: Sink<AccountQuote>): () => void {
    this.deps.account(accountId)
    let lastSig = ''
    const check = (): void => {
      let q: AccountQuote
      try {
        q = this.quote(accountId, symbol)
      } catch (err) {
        clearInterval(timer)
        sink.end(err instanceof AppError ? err : new AppError('internal', 'The price could not be read'))
        return
      }
      const sig = JSON.stringify([q.bid, q.ask, q.last, q.reason])
      if (sig === lastSig) return
      lastSig = sig
      sink.emit(q)
    }
    const timer = setInterval(check, this.quotePollMs)
    timer.unref?.()
    check()
    return () => clearInterval(timer)
  }

  /** The price of one symbol on the account's market now. */
  quote(accountId: string, symbol: string): AccountQuote {
    const account = this.deps.account(accountId)
    const at = this.deps.clock.now()
    const none = (reason: string): AccountQuote => ({
      accountId,
      symbol,
      bid: null,
      ask: null,
      last: null,
      at,
      reason,
    })
    if (onDemoMarket(account)) {
      const q = this.deps.demo.prices.quote(symbol)
      if (!q) return none(`${symbol} is not on the demo market`)
      return { accountId, symbol, ...quoteText(q), at, reason: null }
    }
    const data = this.data(account.exchangeId)
    if (data instanceof AppError) return none(`${account.exchangeId} markets not loaded: ${data.message}`)
    const status = data.marketsStatus()
    if (status.state !== 'ready') return none(marketReason(data.label(), status) ?? 'No price yet')
    const q = data.quote(symbol)
    if (!q) return none(data.whyNoQuote(symbol) ?? `No ${data.label()} price for ${symbol} right now`)
    return { accountId, symbol, ...quoteText(q), at, reason: null }
  }

  /** The exchange's public data, or why there is none (no exchange connections in this engine). */
  private data(exchangeId: string): ExchangeMarketData | AppError {
    try {
      return this.deps.exchange(exchangeId)
    } catch (err) {
      return err instanceof AppError ? err : new AppError('internal', String(err))
    }
  }

  /** Everything of the account's market but its list of markets (cheap: compared every poll). */
  private head(account: Pick<StoredAccount, 'id' | 'mode' | 'exchangeId'>): Omit<AccountMarket, 'markets'> & {
    count: number
  } {
    const now = this.deps.clock.now()
    if (onDemoMarket(account)) {
      return {
        accountId: account.id,
        exchangeId: 'paper',
        label: DEMO_SOURCE_LABEL,
        source: DEMO_SOURCE,
        simulated: true,
        state: 'ready',
        reason: null,
        detail: null,
        retryAt: null,
        now,
        timeframes: [...TIMEFRAMES],
        count: -1,
      }
    }
    const data = this.data(account.exchangeId)
    if (data instanceof AppError) {
      // No exchange connections in this engine: nothing will change, so no retry is announced.
      return {
        accountId: account.id,
        exchangeId: account.exchangeId,
        label: account.exchangeId,
        source: account.exchangeId,
        simulated: false,
        state: 'unavailable',
        reason: `${account.exchangeId} markets not loaded: ${data.message}`,
        detail: null,
        retryAt: null,
        now,
        timeframes: [],
        count: 0,
      }
    }
    const status = data.marketsStatus()
    const ready = status.state === 'ready'
    return {
      accountId: account.id,
      exchangeId: account.exchangeId,
      label: data.label(),
      source: data.chartSource(),
      simulated: false,
      state: status.state,
      reason: marketReason(data.label(), status),
      detail: status.state === 'unavailable' ? status.error.message : null,
      retryAt: status.state === 'unavailable' ? status.retryAt : null,
      now,
      timeframes: data.timeframes(),
      count: ready ? countOf(data.markets()) : 0,
    }
  }

  private build(
    account: Pick<StoredAccount, 'mode' | 'exchangeId'>,
    head: Omit<AccountMarket, 'markets'> & { count: number },
  ): AccountMarket {
    const { count: _count, ...rest } = head
    let markets: TradingMarket[] = []
    if (onDemoMarket(account)) markets = [...this.deps.demo.markets()].map(toTradingMarket)
    else if (head.state === 'ready') {
      const data = this.data(account.exchangeId)
      if (!(data instanceof AppError)) markets = [...data.markets()].map(toTradingMarket)
    }
    markets.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
    return { ...rest, markets }
  }
}

function countOf(it: Iterable<unknown>): number {
  let n = 0
  for (const _ of it) n++
  return n
}

export function toTradingMarket(m: VenueMarket): TradingMarket {
  return {
    symbol: m.symbol,
    base: m.base,
    quote: m.quote,
    priceTick: m.priceTick.toString(),
    pricePrecision: m.priceTick.decimals,
    amountStep: m.amountStep.toString(),
    minAmount: m.minAmount.toString(),
    maxAmount: toOptionalText(m.maxAmount),
    minNotional: m.minNotional.toString(),
    maxNotional: toOptionalText(m.maxNotional),
    active: m.active,
  }
}

/** A quote as the contract sends it: decimal text. */
function quoteText(q: Quote): { bid: string; ask: string; last: string } {
  return { bid: q.bid.toString(), ask: q.ask.toString(), last: q.last.toString() }
}

/** Network failures, as ccxt and Node word them: the exchange could not be reached at all. */
const UNREACHABLE =
  /unreachable|fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|socket hang up|network ?error|circuit open/i

/**
 * Why an exchange's markets are not there, in the words the ticket shows
 * (`Binance markets not loaded: exchange unreachable`); null once they are.
 */
export function marketReason(label: string, status: MarketsStatus): string | null {
  if (status.state === 'ready') return null
  if (status.state === 'loading') return `Loading ${label} markets…`
  const { error } = status
  let why: string
  switch (error.kind) {
    case 'rate_limited':
      why = 'rate limited by the exchange'
      break
    case 'auth_failed':
      why = 'the exchange refused the API key'
      break
    case 'validation':
      why = `the connection's settings are refused (${error.message})`
      break
    case 'not_found':
      why = 'the exchange is not known to ccxt'
      break
    case 'internal':
      why = "the exchange's answer could not be read"
      break
    default:
      why =
        status.breakerOpen || UNREACHABLE.test(error.message)
          ? 'exchange unreachable'
          : /maintenance/i.test(error.message)
            ? 'exchange under maintenance'
            : 'exchange unavailable'
  }
  return `${label} markets not loaded: ${why}`
}
