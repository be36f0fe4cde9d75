import { Decimal } from '../../../../shared/decimal/decimal'
import type { SymbolInfo } from '../../../../shared/contract/market'
import type { AccountMarket, TradingMarket } from '../../../../shared/domain/account-market'
import type { Account } from '../../../../shared/domain/trading'
import { useShallow } from 'zustand/react/shallow'
import { keepLast } from '../../sync/shared-streams'
import { slot } from '../../sync/index'
import { setMarketScope } from '../chart/actions'
import { reasonWithRetry, useNow } from '../chart/market-scope'
import { findSymbol, useTradeStore, type MarketScope, type Selection } from '../chart/store'
import { useTradingStore } from '../desk/store'
import { type TicketVerdict } from '../ticket/request'

/**
 * The selected account's own market, from the engine (`trading.market`, `trading.quote`): what
 * the symbol list and the chart show (an exchange's symbols, or the demo market's), and what the
 * ticket trades and prices with. The ticket never guesses: until the engine says the account's
 * markets are loaded, it is disabled with the engine's reason.
 */

const get = useTradingStore.getState
const set = useTradingStore.setState

/** The followed account's market (`trading.market`) and the chart's selection it watches. */
const marketFeed = slot()
/** The price of the chart's symbol on that market (`trading.quote`), keyed by account and symbol. */
const quoteFeed = slot()

/**
 * Follows the market of `accountId` (one at a time): the trade view lists and charts it, and
 * `changed` runs after every change (the ticket checks its order again).
 */
export function followMarket(accountId: string, changed: () => void): void {
  quoteFeed.close()
  const mine = marketFeed.open(accountId)
  set({ market: null, marketAt: 0, quote: null })
  // An account on another exchange than the one shown: nothing is shown until its own market
  // arrives (not the demo market, nor the last exchange's, for a moment).
  const account = get().accounts.find((a) => a.id === accountId)
  const shown = useTradeStore.getState().scope
  if (account && !onDemoMarket(account) && shown?.exchangeId !== account.exchangeId) {
    setMarketScope({
      accountId,
      exchangeId: account.exchangeId,
      source: '',
      label: account.exchangeId,
      state: 'loading',
      reason: `Loading ${account.exchangeId} markets…`,
      detail: null,
      retryAt: null,
      symbols: [],
    })
  }
  mine.follow(
    'trading.market',
    { accountId },
    (market) => {
      const marketAt = Date.now()
      set({ market, marketAt })
      setMarketScope(toScope(market, marketAt))
      followQuote()
      changed()
    },
    { endTitle: 'The account’s market stopped updating', join: keepLast },
  )
  // The chart's symbol is the ticket's: its price follows it.
  mine.onClose(
    useTradeStore.subscribe((s, prev) => {
      if (s.selected !== prev.selected) followQuote()
    }),
  )
}

export function unfollowMarket(): void {
  marketFeed.close()
  quoteFeed.close()
}

/** Subscribes to the price of the chart's symbol on the account's market, when it is on that market. */
function followQuote(): void {
  const market = get().market
  const sel = useTradeStore.getState().selected
  const on = market !== null && market.state === 'ready' && sel !== null && sel.source === market.source
  const key = on ? `${market.accountId}\u0000${sel.symbol}` : null
  if (key === quoteFeed.key) return
  set({ quote: null })
  if (!on) {
    quoteFeed.close()
    return
  }
  quoteFeed
    .open(key)
    .follow('trading.quote', { accountId: market.accountId, symbol: sel.symbol }, (quote) => set({ quote }), {
      endTitle: `The price of ${sel.symbol} stopped updating`,
      join: keepLast,
    })
}

/** An exchange's market as the trade view's scope; null for the demo market (every symbol is listed). */
export function toScope(m: AccountMarket, receivedAt: number): MarketScope | null {
  if (m.simulated) return null
  // `binance:custom` (a custom API URL, such as the simulator) reads `Binance (custom)`.
  const sourceLabel =
    m.source === m.exchangeId ? m.label : `${m.label} (${m.source.split(':')[1] ?? m.source})`
  const symbols: SymbolInfo[] = m.markets
    .filter((t) => t.active)
    .map((t) => ({
      source: m.source,
      sourceLabel,
      symbol: t.symbol,
      simulated: false,
      live: true,
      timeframes: m.timeframes,
      last: null,
      change24h: null,
      pricePrecision: t.pricePrecision,
    }))
  return {
    accountId: m.accountId,
    exchangeId: m.exchangeId,
    source: m.source,
    label: m.label,
    state: m.state,
    reason: m.reason,
    detail: m.detail,
    retryAt: localRetryAt(m, receivedAt),
    symbols,
  }
}

/** The engine's next try on this page's clock: the wait it announced, from when it arrived. */
export function localRetryAt(m: AccountMarket, receivedAt: number): number | null {
  return m.retryAt === null ? null : receivedAt + Math.max(0, m.retryAt - m.now)
}

/** What the ticket trades on now: the market of the chart's symbol, its price, or why it cannot. */
export interface TicketMarket {
  /** The symbol's market on the account's market, when the chart shows one of its symbols. */
  market: TradingMarket | undefined
  /** Decimals prices are shown and typed with. */
  precision: number
  /** The price increment as decimal text (arrow keys move a price by it). */
  tick: string
  /**
   * The symbol's last price on the account's market, as decimal text; undefined when it has none
   * (never another market's).
   */
  last: string | undefined
  /**
   * Why nothing can be traded now that is not the trader's input (the market is not loaded, the
   * chart shows another market's symbol): the ticket is disabled with this sentence; else null.
   */
  block: string | null
  /** The engine's wording of the exchange's error behind `block`, for a tooltip. */
  detail: string | null
}

export interface TicketMarketInput {
  account: Pick<Account, 'id' | 'name'> | undefined
  market: AccountMarket | null
  marketAt: number
  quote: { accountId: string; symbol: string; last: string | null } | null
  selected: Selection | null
  symbols: readonly SymbolInfo[]
  now: number
}

/** The ticket's market, from the account's market as the engine sent it (pure; see `TicketMarket`). */
export function ticketMarket(i: TicketMarketInput): TicketMarket {
  const info = i.selected ? findSymbol(i.symbols, i.selected) : undefined
  const fallback = info?.pricePrecision ?? 2
  const none = (block: string | null, detail: string | null = null): TicketMarket => ({
    market: undefined,
    precision: fallback,
    tick: Decimal.fromUnits(1n, Math.max(0, fallback)).toString(),
    last: undefined,
    block,
    detail,
  })
  if (!i.account) return none(null)
  const m = i.market
  if (!m || m.accountId !== i.account.id) return none('Loading the account’s market…')
  if (m.state !== 'ready') {
    const reason = m.reason ?? `${m.label} markets not loaded`
    return none(reasonWithRetry(reason, localRetryAt(m, i.marketAt), i.now), m.detail)
  }
  if (!i.selected) return none(null)
  const { symbol, source } = i.selected
  if (source !== m.source) {
    const shown = info?.sourceLabel ?? source
    return none(
      `“${i.account.name}” trades on ${m.label}: the chart shows ${symbol} from ${shown}; pick a ${m.label} symbol`,
    )
  }
  const market = m.markets.find((t) => t.symbol === symbol)
  if (!market) return none(`${symbol} is not listed on ${m.label}`)
  const q = i.quote
  const last = q && q.accountId === m.accountId && q.symbol === symbol ? (q.last ?? undefined) : undefined
  return {
    market,
    precision: market.pricePrecision,
    tick: market.priceTick,
    last,
    block: market.active ? null : `${symbol} is not trading on ${m.label} right now`,
    detail: null,
  }
}

/** The ticket's market now, from both stores (for actions outside React). */
export function ticketMarketNow(): TicketMarket {
  const t = get()
  const trade = useTradeStore.getState()
  return ticketMarket({
    account: t.accounts.find((a) => a.id === t.accountId),
    market: t.market,
    marketAt: t.marketAt,
    quote: t.quote,
    selected: trade.selected,
    symbols: trade.symbols,
    now: Date.now(),
  })
}

/** The verdict of a ticket its market blocks: disabled, with the market's reason. */
export function blockedVerdict(block: string): TicketVerdict {
  return { state: 'unavailable', reason: block, error: null }
}

/** Whether an account trades (or, imported, is marked) on the demo market: it names no exchange. */
export const onDemoMarket = (a: Pick<Account, 'mode' | 'exchangeId'> | undefined): boolean =>
  a !== undefined && a.mode !== 'live' && a.exchangeId === 'paper'

/** The ticket's market (see `ticketMarket`), re-rendered as the stores change and, while a retry is counted down, every second. */
export function useTicketMarket(): TicketMarket {
  const t = useTradingStore(
    useShallow((s) => ({
      account: s.accounts.find((a) => a.id === s.accountId),
      market: s.market,
      marketAt: s.marketAt,
      quote: s.quote,
    })),
  )
  const trade = useTradeStore(useShallow((s) => ({ selected: s.selected, symbols: s.symbols })))
  const now = useNow(t.market?.state === 'unavailable' && t.market.retryAt !== null)
  return ticketMarket({ ...t, ...trade, now })
}
