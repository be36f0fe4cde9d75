import {
  type OcoRequest,
  type OrderRequest,
  type OrderSide,
  type OrderType,
  type OrderValidation,
} from '../../../../shared/domain/trading'
import { Decimal } from '../../../../shared/decimal/decimal'
import { MAX_DECIMAL_TEXT } from '../../../../shared/decimal/schema'
import { formatPrice } from '../../lib/format'
import { inputLocale, isZero, parseDecimal } from '../../lib/number-input'

/**
 * The order ticket's form and what it makes of it: the request it would send (an order, a
 * bracket, an OCO), read exactly from what the trader typed, and the verdict that enables or
 * disables the submit button. Pure: no store, no engine.
 */

/** Size in base (`amount`) or in quote (`notional`). */
export type SizeMode = 'amount' | 'notional'

/** What the ticket places: an order type, or an OCO (two legs, `trading.placeOco`). */
export type TicketType = OrderType | 'oco'

/** What the trader typed, as text (validated by the engine, not by the ticket). */
export interface TicketForm {
  side: OrderSide
  type: TicketType
  sizeMode: SizeMode
  size: string
  /** Limit price (limit, stop-limit, take-profit-limit). */
  price: string
  /** Trigger price (stop, stop-limit, take-profit, take-profit-limit). */
  stopPrice: string
  /** Trailing stop: its distance, in percent or in quote units, and an optional activation price. */
  trailingMode: 'percent' | 'amount'
  trailing: string
  activation: string
  postOnly: boolean
  reduceOnly: boolean
  /** Take-profit and stop-loss: a bracket's legs on market and limit orders, an OCO's two legs. */
  tpOn: boolean
  tp: string
  slOn: boolean
  sl: string
  /** Stop-loss limit price; empty: the stop-loss sells (or buys) at market. */
  slLimit: string
}

/** What the ticket asks the engine: one order (a bracket included), or an OCO. */
export type TicketRequest = OrderRequest | OcoRequest

export const isOcoRequest = (r: TicketRequest): r is OcoRequest => !('type' in r)

export interface TicketCheck {
  state: 'idle' | 'checking' | 'done'
  /** The form the answer is for, so a late answer never shows against newer input. */
  sig: string
  result: OrderValidation | null
}

export const EMPTY_FORM: TicketForm = {
  side: 'buy',
  type: 'market',
  sizeMode: 'amount',
  size: '',
  price: '',
  stopPrice: '',
  trailingMode: 'percent',
  trailing: '',
  activation: '',
  postOnly: false,
  reduceOnly: false,
  tpOn: false,
  tp: '',
  slOn: false,
  sl: '',
  slLimit: '',
}

/** A stable text key of what the ticket would ask the engine, for stale-answer checks. */
export function requestSig(req: TicketRequest | null): string {
  return req === null ? '' : JSON.stringify(req)
}

/** `BASE/QUOTE` -> its two assets (`BTC/USDT:USDT` style suffixes dropped). */
export function splitSymbol(symbol: string): { base: string; quote: string } {
  const [base = symbol, rest = ''] = symbol.split('/')
  return { base, quote: rest.split(':')[0] ?? rest }
}

/** A field of the ticket that holds a number. */
export type NumberFieldName =
  'size' | 'price' | 'stopPrice' | 'trailing' | 'activation' | 'tp' | 'sl' | 'slLimit'

/**
 * A positive number from the trader's text, read by the locale-aware rule of
 * `lib/number-input` (`0,1` and `0.1` are one tenth; `1,234` in en-US is refused as
 * ambiguous), as the exact decimal text the contract carries (`"0.1"`), or why not. Refused
 * too: zero, and text longer than the contract takes (every digit is kept, none rounded).
 */
export function readPositive(
  text: string,
  locale: string = inputLocale(),
): { ok: true; value: string } | { ok: false; empty: boolean; message: string } {
  const r = parseDecimal(text, locale)
  if (!r.ok) return r
  if (isZero(r.value)) return { ok: false, empty: false, message: 'Must be more than 0' }
  if (r.value.length > MAX_DECIMAL_TEXT) {
    return { ok: false, empty: false, message: `Too long: at most ${MAX_DECIMAL_TEXT} digits` }
  }
  return { ok: true, value: r.value }
}

/** A positive number from the trader's text as an exact Decimal, or undefined (see `readPositive`). */
export function parsePositive(text: string, locale: string = inputLocale()): Decimal | undefined {
  const r = readPositive(text, locale)
  return r.ok ? Decimal.parse(r.value) : undefined
}

export interface BuiltRequest {
  request: TicketRequest | null
  /** Why there is no request yet (a field to fill or fix), else null. */
  missing: string | null
  /** The field that is wrong (not merely empty), for the ticket to mark. */
  field?: NumberFieldName
}

/** Which price fields each type takes (the engine refuses the others). */
export const TAKES_LIMIT: readonly TicketType[] = ['limit', 'stop_limit', 'take_profit_limit']
export const TAKES_TRIGGER: readonly TicketType[] = ['stop', 'stop_limit', 'take_profit', 'take_profit_limit']
/** Types a take-profit and stop-loss can be attached to (a bracket's entry). */
export const TAKES_BRACKET: readonly TicketType[] = ['market', 'limit']

/** A required positive number from a field, or the sentence that says what is wrong with it. */
function required(
  form: TicketForm,
  field: NumberFieldName,
  label: string,
  locale: string,
): { ok: true; value: string } | { ok: false; built: BuiltRequest } {
  const r = readPositive(form[field], locale)
  if (r.ok) return { ok: true, value: r.value }
  return {
    ok: false,
    built: r.empty
      ? { request: null, missing: `Enter ${label.replace(/^[A-Z]/, (c) => c.toLowerCase())}` }
      : {
          request: null,
          missing: `${label.replace(/^(a|an|the) /i, '').replace(/^./, (c) => c.toUpperCase())}: ${r.message}`,
          field,
        },
  }
}

/**
 * The request the ticket's form describes (an order, a bracket, or an OCO), or null while a
 * required field is empty or not a number (the ticket says which and why). The engine does
 * every other check.
 */
export function buildRequest(
  accountId: string | null,
  symbol: string | null,
  form: TicketForm,
  locale: string = inputLocale(),
): BuiltRequest {
  if (accountId === null) return { request: null, missing: 'Choose an account' }
  if (symbol === null) return { request: null, missing: 'Choose a symbol' }
  const size = readPositive(form.size, locale)
  if (!size.ok) {
    return size.empty
      ? { request: null, missing: 'Enter a size' }
      : {
          request: null,
          missing: `${form.sizeMode === 'amount' ? 'Amount' : 'Total'}: ${size.message}`,
          field: 'size',
        }
  }
  if (form.type === 'oco') {
    if (form.sizeMode !== 'amount') return { request: null, missing: 'An OCO takes its size as an amount' }
    const tp = required(form, 'tp', 'a take-profit price', locale)
    if (!tp.ok) return tp.built
    const sl = required(form, 'sl', 'a stop-loss trigger', locale)
    if (!sl.ok) return sl.built
    const oco: OcoRequest = {
      accountId,
      symbol,
      side: form.side,
      amount: size.value,
      takeProfit: { price: tp.value },
      stopLoss: { stopPrice: sl.value },
    }
    if (form.slLimit.trim() !== '') {
      const limit = required(form, 'slLimit', 'a stop-loss limit', locale)
      if (!limit.ok) return limit.built
      oco.stopLoss.price = limit.value
    }
    return { request: oco, missing: null }
  }
  const req: OrderRequest = { accountId, symbol, side: form.side, type: form.type }
  if (form.sizeMode === 'amount') req.amount = size.value
  else req.notional = size.value
  if (TAKES_TRIGGER.includes(form.type)) {
    const stop = required(form, 'stopPrice', 'a stop price', locale)
    if (!stop.ok) return stop.built
    req.stopPrice = stop.value
  }
  if (TAKES_LIMIT.includes(form.type)) {
    const price = required(form, 'price', 'a limit price', locale)
    if (!price.ok) return price.built
    req.price = price.value
  }
  if (form.type === 'trailing_stop') {
    const t = required(form, 'trailing', 'a trailing distance', locale)
    if (!t.ok) return t.built
    if (form.trailingMode === 'percent') req.trailingPercent = t.value
    else req.trailingAmount = t.value
    if (form.activation.trim() !== '') {
      const a = required(form, 'activation', 'an activation price', locale)
      if (!a.ok) return a.built
      req.activationPrice = a.value
    }
  }
  if (form.type === 'limit' && form.postOnly) req.postOnly = true
  if (form.reduceOnly) req.reduceOnly = true
  if (TAKES_BRACKET.includes(form.type)) {
    if (form.tpOn) {
      const tp = required(form, 'tp', 'a take-profit price', locale)
      if (!tp.ok) return tp.built
      req.takeProfit = { price: tp.value }
    }
    if (form.slOn) {
      const sl = required(form, 'sl', 'a stop-loss trigger', locale)
      if (!sl.ok) return sl.built
      req.stopLoss = { stopPrice: sl.value }
      if (form.slLimit.trim() !== '') {
        const limit = required(form, 'slLimit', 'a stop-loss limit', locale)
        if (!limit.ok) return limit.built
        req.stopLoss.price = limit.value
      }
    }
  }
  return { request: req, missing: null }
}

/**
 * A stop on the wrong side of the last price would trigger at once, and the engine refuses it
 * when it is placed (Binance does too): a buy stop must be above the last price, a sell stop
 * below. Said while typing, with both prices at the market's precision.
 */
export function stopSideProblem(
  side: OrderSide,
  stopPrice: string,
  last: string | undefined,
  precision: number,
): string | null {
  if (last === undefined) return null
  const stop = Decimal.tryParse(stopPrice)
  const lastPrice = Decimal.tryParse(last)
  if (stop === undefined || lastPrice === undefined) return null
  const shown = `${formatPrice(stopPrice, precision)} is at or ${side === 'buy' ? 'below' : 'above'} ${formatPrice(last, precision)}`
  if (side === 'buy' && stop.lte(lastPrice)) {
    return `A buy stop must be above the last price: ${shown} and would trigger at once`
  }
  if (side === 'sell' && stop.gte(lastPrice)) {
    return `A sell stop must be below the last price: ${shown} and would trigger at once`
  }
  return null
}

/** Whether the ticket can be sent now, and if not, the one sentence that says why. */
export interface TicketVerdict {
  /** `unavailable`: the account's market cannot take the order now (not loaded, another market's symbol). */
  state: 'empty' | 'checking' | 'invalid' | 'valid' | 'unavailable'
  /** Shown next to the disabled submit button and as its title; null when it can be sent. */
  reason: string | null
  /** The error the preview shows (the engine's, or the ticket's own stop check). */
  error: { kind: string; message: string } | null
}

/**
 * Puts together what the ticket knows: the request built from the form, the ticket's own stop
 * check, and the engine's answer to `trading.validateOrder` for exactly this request. Submit is
 * possible only when the engine said valid for the request as it stands.
 */
export function ticketVerdict(
  built: BuiltRequest,
  check: TicketCheck,
  ctx: { last: string | undefined; precision: number; quote: string },
): TicketVerdict {
  const req = built.request
  if (req === null) {
    // A field typed wrong (not merely empty) is an error the trader has to fix.
    return built.field !== undefined && built.missing !== null
      ? { state: 'invalid', reason: built.missing, error: { kind: 'validation', message: built.missing } }
      : { state: 'empty', reason: built.missing, error: null }
  }
  if (!isOcoRequest(req) && req.type === 'stop' && req.stopPrice !== undefined) {
    const problem = stopSideProblem(req.side, req.stopPrice, ctx.last, ctx.precision)
    if (problem !== null) {
      return { state: 'invalid', reason: problem, error: { kind: 'invalid_order', message: problem } }
    }
  }
  const result = check.sig === requestSig(req) ? check.result : null
  if (result === null) return { state: 'checking', reason: 'Checking the order…', error: null }
  if (!result.valid || result.error !== null) {
    const message = formatEngineMessage(
      result.error?.message ?? 'The engine refused the order',
      ctx.quote,
      ctx.precision,
    )
    return {
      state: 'invalid',
      reason: message,
      error: { kind: result.error?.kind ?? 'invalid_order', message },
    }
  }
  return { state: 'valid', reason: null, error: null }
}

/**
 * The engine's sentence with its numbers in the ticket's format: thousands grouped, and amounts
 * of the quote currency (prices, notionals) with at least the market's decimals. Digits are
 * only ever added (grouping, trailing zeros), never dropped: no number changes value.
 */
export function formatEngineMessage(message: string, quote: string, precision: number): string {
  return message.replace(
    /(?<![\w.,])(\d+)(?:\.(\d+))?(?![\w]|\.\d)( [A-Z0-9]+)?/g,
    (_m, w: string, f, unit) => {
      let frac = (f as string | undefined) ?? ''
      const u = (unit as string | undefined) ?? ''
      if (u === ` ${quote}` && frac.length < precision) frac = frac.padEnd(precision, '0')
      const whole = w.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
      return `${whole}${frac === '' ? '' : `.${frac}`}${u}`
    },
  )
}
