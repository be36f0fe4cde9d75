import type {
  AccountPnl,
  ExitReason,
  OtherFee,
  JournalFill,
  JournalTrade,
  SignalSnapshot,
  Tag,
} from '../../shared/contract/journal'
import { Decimal } from '../../shared/decimal/decimal'
import { nextBucket } from '../../shared/domain/timeframes'
import type { JournalCandles, JournalOrders, JournalSignals, OrderKind, RunIntent } from './ports'
import { priceAt } from './convert'
import { netOf, QUOTIENT_PLACES, type RawTrade } from './round-trips'

/** A trade as journal_trades keeps it: what the fills and the other tables say, without the trader's edits. */
export interface StoredTrade {
  key: string
  accountId: string
  symbol: string
  quote: string
  side: 'long' | 'short'
  status: 'open' | 'closed'
  entryTime: number
  exitTime: number | null
  avgEntry: string
  avgExit: string | null
  size: string
  exitedSize: string
  entryValue: string
  grossPnl: string
  fees: string
  netPnl: string
  otherFees: OtherFee[]
  /** Gross and net P&L in the account's currency (docs/JOURNAL.md "Currencies"). */
  accountPnl: AccountPnl | null
  returnPct: number | null
  holdingMs: number | null
  exitReason: ExitReason | null
  /** The stop of the stop-loss order resting at entry. */
  orderStop: string | null
  mae: { price: string; pct: number } | null
  mfe: { price: string; pct: number } | null
  signal: SignalSnapshot | null
  strategy: string
  fills: JournalFill[]
}

/** What the trader wrote about a trade (journal_edits). */
export interface TraderEdit {
  notes: string
  tags: Tag[]
  rating: number | null
  stopPrice: string | null
}

export const NO_EDIT: TraderEdit = { notes: '', tags: [], rating: null, stopPrice: null }

/**
 * What a Candlework trades file said about a trade that its fills cannot tell again
 * (journal_imported, written by import-trades): used where the journal's own lookups find
 * nothing, as an imported account has no orders, candles or signals of its own.
 */
export interface ImportedFacts {
  exitReason: ExitReason | null
  orderStop: string | null
  mae: { price: string; pct: number } | null
  mfe: { price: string; pct: number } | null
  signal: SignalSnapshot | null
  strategy: string | null
}

export interface EnrichPorts {
  orders: JournalOrders
  candles: JournalCandles
  signals: JournalSignals
}

export interface EnrichContext {
  /** The market source of the account (`demo` or an exchange id). */
  source: string
  /** The trade as stored before, if any: what cannot be looked up any more is kept from it. */
  previous: StoredTrade | undefined
  /** When the previous trade of the same (account, symbol) ended (0 for none): a stop before it was not this trade's. */
  since: number
  /** What an imported trades file said about the trade, if it came from one. */
  imported?: ImportedFacts | undefined
  /** The account's currency (its risk currency, else its paper starting asset); null when unknown. */
  currency?: string | null | undefined
}

const EXIT_REASON: Record<OrderKind, ExitReason> = {
  market: 'manual',
  limit: 'manual',
  stop: 'stop-loss',
  stop_limit: 'stop-loss',
  take_profit: 'take-profit',
  take_profit_limit: 'take-profit',
  trailing_stop: 'trailing',
  liquidation: 'liquidation',
}

/**
 * The exit reason of a close the strategy runner sent, from the reason its intent recorded: its
 * own stop-loss / take-profit / trailing exits by name, the trader's stop-and-close as manual, and
 * everything else the strategy decided (a `signal`, a target entry that reversed) as `strategy`.
 */
const INTENT_EXIT: Record<string, ExitReason> = {
  stop_loss: 'stop-loss',
  'stop-loss': 'stop-loss',
  take_profit: 'take-profit',
  'take-profit': 'take-profit',
  trailing: 'trailing',
  trailing_stop: 'trailing',
  'trailing-stop': 'trailing',
  manual: 'manual',
}

export function intentExitReason(reason: string | null): ExitReason {
  return (reason !== null && INTENT_EXIT[reason]) || 'strategy'
}

/** The run behind one of the trade's fills (only runner client order ids are looked up). */
function runOf(orders: JournalOrders, accountId: string, clientOrderId: string | null): RunIntent | null {
  if (clientOrderId === null || !clientOrderId.startsWith('sr-') || !orders.intentOf) return null
  return orders.intentOf(accountId, clientOrderId)
}

const ratio = (a: Decimal, b: Decimal): number =>
  b.isZero() ? 0 : Number(a.div(b, QUOTIENT_PLACES, 'half_even').toString())

/** Turns a trade the fills made into the stored trade, looking up what the other domains know. */
export function enrich(raw: RawTrade, ports: EnrichPorts, ctx: EnrichContext): StoredTrade {
  const avgEntry = raw.entryValue.div(raw.size, QUOTIENT_PLACES, 'half_even')
  const avgExit = raw.exitedSize.isZero()
    ? null
    : raw.exitValue.div(raw.exitedSize, QUOTIENT_PLACES, 'half_even')
  const closed = raw.status === 'closed'
  const prev = ctx.previous
  const otherFees = convertOtherFees(raw, ports.candles, ctx.source)
  let fees = raw.fees
  for (const f of otherFees) if (f.converted !== null) fees = fees.plus(Decimal.parse(f.converted))
  const net = netOf(raw).minus(fees.minus(raw.fees))
  const facts = ctx.imported
  const closingSide = raw.side === 'long' ? 'sell' : 'buy'
  const lastExit = closed ? raw.parts.findLast((p) => p.role === 'exit') : undefined
  const exitRun = lastExit ? runOf(ports.orders, raw.accountId, lastExit.clientOrderId) : null
  const kind =
    lastExit && !exitRun
      ? ports.orders.kindOf(raw.accountId, raw.symbol, lastExit.orderId, lastExit.clientOrderId)
      : null
  const exitReason: ExitReason | null = !closed
    ? null
    : exitRun
      ? intentExitReason(exitRun.reason)
      : lastExit?.clientOrderId?.startsWith('sr-') && prev?.exitReason
        ? prev.exitReason // a runner's order whose run is gone: what was found while it existed
        : kind
          ? EXIT_REASON[kind]
          : (prev?.exitReason ?? facts?.exitReason ?? 'manual')
  // The strategy whose run placed the trade's first entry; kept from before when the run is gone.
  const entryRun = raw.parts[0] ? runOf(ports.orders, raw.accountId, raw.parts[0].clientOrderId) : null
  const orderStop =
    ports.orders.restingStop(raw.accountId, raw.symbol, closingSide, raw.entryTime, ctx.since) ??
    prev?.orderStop ??
    facts?.orderStop ??
    null
  const signal =
    prev?.signal ?? ports.signals.atTime(ctx.source, raw.symbol, raw.entryTime) ?? facts?.signal ?? null
  const excursion = closed ? excursions(raw, avgEntry, ports.candles, ctx.source) : null
  const grossText = raw.grossPnl.toString()
  const netText = net.toString()
  const currency = ctx.currency ?? prev?.accountPnl?.currency ?? null
  return {
    key: raw.key,
    accountId: raw.accountId,
    symbol: raw.symbol,
    quote: raw.quote,
    side: raw.side,
    status: raw.status,
    entryTime: raw.entryTime,
    exitTime: raw.exitTime,
    avgEntry: avgEntry.toString(),
    avgExit: avgExit?.toString() ?? null,
    size: raw.size.toString(),
    exitedSize: raw.exitedSize.toString(),
    entryValue: raw.entryValue.toString(),
    grossPnl: grossText,
    fees: fees.toString(),
    netPnl: netText,
    otherFees,
    // The account's currency is the quote for most trades: the same text, nothing looked up.
    accountPnl:
      currency === raw.quote
        ? { currency, rate: '1', grossPnl: grossText, netPnl: netText, note: null }
        : accountPnlOf(raw, net, ports.candles, ctx.source, currency),
    returnPct: closed ? ratio(net, raw.entryValue) * 100 : null,
    holdingMs: closed && raw.exitTime !== null ? raw.exitTime - raw.entryTime : null,
    exitReason,
    orderStop,
    mae: excursion?.mae ?? (closed ? (prev?.mae ?? facts?.mae ?? null) : null),
    mfe: excursion?.mfe ?? (closed ? (prev?.mfe ?? facts?.mfe ?? null) : null),
    signal,
    strategy: entryRun?.strategyId ?? facts?.strategy ?? prev?.strategy ?? 'manual',
    fills: raw.parts.map((p) => ({
      tradeId: p.tradeId,
      orderId: p.orderId,
      clientOrderId: p.clientOrderId,
      side: p.side,
      role: p.role,
      amount: p.amount.toString(),
      price: p.price.toString(),
      fee: p.fee.toString(),
      realized: p.realized?.toString() ?? null,
      time: p.time,
    })),
  }
}

/** When a price was looked for, as the notes say it. */
const at = (time: number) => new Date(time).toISOString()

/**
 * Third-currency fees (BNB) in the quote: each fill's fee times the price of its currency in the
 * quote at the fill's time (convert.ts). A currency any of whose fills has no known price is not
 * converted at all (null, with a note naming the market and time), never counted as zero.
 */
export function convertOtherFees(
  raw: Pick<RawTrade, 'quote' | 'otherFees' | 'parts'>,
  candles: JournalCandles,
  source: string,
): OtherFee[] {
  if (raw.otherFees.size === 0) return []
  const out: OtherFee[] = []
  for (const [currency, cost] of [...raw.otherFees].sort(([a], [b]) => a.localeCompare(b))) {
    let converted: Decimal | null = Decimal.ZERO
    let note: string | null = null
    for (const p of raw.parts) {
      if (p.otherFee?.currency !== currency) continue
      const price = priceAt(candles, source, currency, raw.quote, p.time)
      if (!price) {
        converted = null
        note = `no ${currency}/${raw.quote} price at ${at(p.time)}: not in fees or net P&L`
        break
      }
      converted = converted!.plus(p.otherFee.cost.times(price.price))
    }
    out.push({ currency, cost: cost.toString(), converted: converted?.toString() ?? null, note })
  }
  return out
}

/**
 * The trade's gross and net P&L in the account's currency: as they are when that is the quote;
 * else times the price of the quote in it at the exit (an open trade: at its latest fill).
 */
export function accountPnlOf(
  raw: Pick<RawTrade, 'quote' | 'exitTime' | 'parts' | 'grossPnl'>,
  net: Decimal,
  candles: JournalCandles,
  source: string,
  currency: string | null,
): AccountPnl | null {
  if (currency === null) return null
  if (currency === raw.quote)
    return { currency, rate: '1', grossPnl: raw.grossPnl.toString(), netPnl: net.toString(), note: null }
  const time = raw.exitTime ?? raw.parts[raw.parts.length - 1]!.time
  const price = priceAt(candles, source, raw.quote, currency, time)
  if (!price)
    return {
      currency,
      rate: null,
      grossPnl: null,
      netPnl: null,
      note: `no ${raw.quote}/${currency} price at ${at(time)}`,
    }
  return {
    currency,
    rate: price.price.toString(),
    grossPnl: raw.grossPnl.times(price.price).toString(),
    netPnl: net.times(price.price).toString(),
    note: null,
  }
}

/**
 * MAE and MFE: the lowest and highest prices while the trade was open, from the bars of the
 * finest stored timeframe that overlap it and had closed by the exit (the first may hold prices
 * from before the entry within that bar; the one still forming at the exit is left out, so the
 * figures never change later) and the trade's own fill prices. For a long the adverse side is the low,
 * for a short the high; the % is from the average entry. Null when the market has no stored bars.
 */
export function excursions(
  raw: Pick<RawTrade, 'side' | 'symbol' | 'entryTime' | 'exitTime' | 'parts'>,
  avgEntry: Decimal,
  candles: JournalCandles,
  source: string,
): { mae: { price: string; pct: number }; mfe: { price: string; pct: number } } | null {
  const window = candles.finest(source, raw.symbol, raw.entryTime, raw.exitTime ?? raw.entryTime)
  if (!window) return null
  let low = raw.parts[0]!.price
  let high = low
  for (const p of raw.parts) {
    if (p.price.lt(low)) low = p.price
    if (p.price.gt(high)) high = p.price
  }
  const end = raw.exitTime ?? raw.entryTime
  for (const c of window.candles) {
    // Only bars closed by the exit: the trade's figures do not change as later bars come in.
    const close = nextBucket(c.time, window.timeframe)
    if (close > end || close <= raw.entryTime) continue
    const l = Decimal.fromNumber(c.low)
    const h = Decimal.fromNumber(c.high)
    if (l.lt(low)) low = l
    if (h.gt(high)) high = h
  }
  const long = raw.side === 'long'
  const adverse = long ? low : high
  const favourable = long ? high : low
  return {
    mae: { price: adverse.toString(), pct: pctFrom(avgEntry, adverse) },
    mfe: { price: favourable.toString(), pct: pctFrom(avgEntry, favourable) },
  }
}

/** `price` as a % from `base`. */
function pctFrom(base: Decimal, price: Decimal): number {
  return ratio(price.minus(base), base) * 100
}

/** The trade as the contract sends it: stored facts, the trader's edits, and R from the stop in force. */
export function present(t: StoredTrade, edit: TraderEdit | null, accountName: string): JournalTrade {
  const e = edit ?? NO_EDIT
  const stopPrice = e.stopPrice ?? t.orderStop
  const stopSource = e.stopPrice !== null ? 'trader' : t.orderStop !== null ? 'order' : null
  return {
    key: t.key,
    accountId: t.accountId,
    accountName,
    symbol: t.symbol,
    quote: t.quote,
    side: t.side,
    status: t.status,
    entryTime: t.entryTime,
    exitTime: t.exitTime,
    avgEntry: t.avgEntry,
    avgExit: t.avgExit,
    size: t.size,
    exitedSize: t.exitedSize,
    grossPnl: t.grossPnl,
    fees: t.fees,
    netPnl: t.netPnl,
    otherFees: t.otherFees,
    accountPnl: t.accountPnl,
    returnPct: t.returnPct,
    holdingMs: t.holdingMs,
    exitReason: t.exitReason,
    stopPrice,
    stopSource,
    r: t.status === 'closed' && stopPrice !== null ? rMultiple(t, stopPrice) : null,
    mae: t.mae,
    mfe: t.mfe,
    signal: t.signal,
    strategy: t.strategy,
    notes: e.notes,
    tags: e.tags,
    rating: e.rating,
    fillCount: t.fills.length,
  }
}

/** Net P&L over the initial risk: |avg entry - stop| x size. Null when the stop is at the entry (no risk). */
export function rMultiple(t: Pick<StoredTrade, 'avgEntry' | 'size' | 'netPnl'>, stop: string): number | null {
  const risk = Decimal.parse(t.avgEntry).minus(Decimal.parse(stop)).abs().times(Decimal.parse(t.size))
  if (risk.isZero()) return null
  return ratio(Decimal.parse(t.netPnl), risk)
}
