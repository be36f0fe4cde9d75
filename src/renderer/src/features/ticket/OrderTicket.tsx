import { useEffect, useRef, type KeyboardEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { Decimal } from '../../../../shared/decimal/decimal'
import type { OrderType } from '../../../../shared/domain/trading'
import { formatPrice } from '../../lib/format'
import { inputLocale, toInputText } from '../../lib/number-input'
import { selectSelectedInfo, useTradeStore } from '../chart/store'
import { blockedVerdict, useTicketMarket } from '../accounts/account-market'
import { importedReason } from '../accounts/AccountList'
import { editTicket, scheduleValidate, submitTicket, ticketSymbolChanged } from './actions'
import { formatMoney, formatQty, formatRate, placesOf, TYPE_NAMES } from '../desk/format'
import {
  buildRequest,
  isOcoRequest,
  parsePositive,
  splitSymbol,
  stopSideProblem,
  ticketVerdict,
  TAKES_BRACKET,
  TAKES_LIMIT,
  TAKES_TRIGGER,
  type NumberFieldName,
  type TicketType,
  type TicketVerdict,
} from './request'
import { selectAccount, selectBalance, useTradingStore } from '../desk/store'
import { TicketOutcomeLine } from './TicketOutcome'
import { RiskPreview } from './RiskPreview'

/** The tabs, as on Binance's ticket; the other conditional types are in the menu beside them. */
const TABS: readonly OrderType[] = ['market', 'limit', 'stop']
const MORE: readonly TicketType[] = ['stop_limit', 'take_profit', 'take_profit_limit', 'trailing_stop', 'oco']
const TYPE_LABELS: Record<TicketType, string> = { ...TYPE_NAMES, stop: 'Stop', oco: 'OCO' }
const TYPE_HELP: Record<TicketType, string> = {
  market: 'Fills at once at the best price (paper: the bid/ask plus slippage)',
  limit: 'Rests at your price or better; fills at once if it is already marketable',
  stop: 'Stop-market: waits until the last price reaches the stop, then fills as a market order',
  stop_limit: 'Waits until the last price reaches the stop, then rests as a limit order at your limit',
  take_profit:
    'Waits until the last price reaches the trigger on the profitable side (a sell above, a buy below), then fills at market',
  take_profit_limit: 'Take-profit trigger, then a limit order at your limit',
  trailing_stop:
    'Follows the best price by a distance (percent or price) and fills at market when the price comes back that far',
  oco: 'One-cancels-the-other: a take-profit limit and a stop-loss for one amount; when one fills or triggers, the other is canceled',
}
const PERCENTS = [25, 50, 75, 100] as const
const MARKET_RECHECK_MS = 3_000

/**
 * The order ticket for the chart's symbol: side, type, size in base or in quote, the price
 * fields the type needs, and the engine's own check of the order as it is typed (the rounded
 * amount and price it will send, the notional and the fee), then submit.
 */
export function OrderTicket() {
  const info = useTradeStore(selectSelectedInfo)
  const symbol = info?.symbol ?? null
  // The account's own market: its precision, tick and price, or why it cannot trade now.
  const market = useTicketMarket()
  const { precision, last } = market
  const { form, submitting, outcome, accountId, check } = useTradingStore(
    useShallow((s) => ({
      form: s.form,
      submitting: s.submitting,
      outcome: s.outcome,
      accountId: s.accountId,
      check: s.check,
    })),
  )
  const account = useTradingStore(selectAccount)
  const { base, quote } = symbol ? splitSymbol(symbol) : { base: '', quote: '' }
  const baseBal = useTradingStore(selectBalance(symbol ? base : null))
  const quoteBal = useTradingStore(selectBalance(symbol ? quote : null))

  useEffect(() => {
    if (symbol !== null) ticketSymbolChanged()
  }, [symbol])

  const buy = form.side === 'buy'
  const live = account?.mode === 'live'
  const built = buildRequest(accountId, symbol, form)
  const { request } = built
  const complete = request !== null
  const imported = account?.mode === 'imported'
  const verdict = imported
    ? blockedVerdict(importedReason(account))
    : market.block !== null
      ? blockedVerdict(market.block)
      : ticketVerdict(built, check, { last, precision, quote })
  const badField: NumberFieldName | undefined =
    built.field ?? fieldOfPathOrUndefined(verdict, check.result?.error?.path)
  const stopIssue =
    request !== null &&
    !isOcoRequest(request) &&
    request.type === 'stop' &&
    request.stopPrice !== undefined &&
    stopSideProblem(form.side, request.stopPrice, last, precision) !== null

  // A market order's estimate follows the price: the engine re-checks it every few seconds.
  useEffect(() => {
    if (form.type !== 'market' || !complete) return
    const h = setInterval(() => scheduleValidate(0), MARKET_RECHECK_MS)
    return () => clearInterval(h)
  }, [form.type, complete])
  const sizeUnit = form.sizeMode === 'amount' ? base : quote

  // A share of the free balance, exactly, rounded down (never more than is free) to the places
  // the market takes: an amount to its lot step's, a total to the quote's.
  const quotePlaces = quoteBal?.decimals ?? 2
  const basePlaces = placesOf(market.market?.amountStep) ?? baseBal?.decimals ?? 8
  const setPercent = (pct: number): void => {
    const share = Decimal.fromUnits(BigInt(pct), 2)
    if (buy) {
      const free = Decimal.parse(quoteBal?.free ?? '0').times(share)
      if (form.sizeMode === 'notional') return editTicket({ size: trimNumber(free, quotePlaces) })
      const price = refPrice(form.type, form.price, form.stopPrice, last)
      if (!price) return
      editTicket({ size: trimNumber(free.div(price, basePlaces, 'down'), basePlaces) })
    } else {
      const free = Decimal.parse(baseBal?.free ?? '0').times(share)
      if (form.sizeMode === 'amount') return editTicket({ size: trimNumber(free, basePlaces) })
      const price = refPrice(form.type, form.price, form.stopPrice, last)
      if (!price) return
      editTicket({ size: trimNumber(free.times(price), quotePlaces) })
    }
  }

  // A limit or stop starts from the last price: the trader adjusts it rather than typing it all.
  const seeded = (type: TicketType): { price: string; stopPrice: string } => {
    const seed = last !== undefined ? toInputText(Decimal.parse(last).toFixed(precision), inputLocale()) : ''
    return {
      price: TAKES_LIMIT.includes(type) && form.price === '' ? seed : form.price,
      stopPrice: TAKES_TRIGGER.includes(type) && form.stopPrice === '' ? seed : form.stopPrice,
    }
  }
  // A type chosen before the market's first price arrived starts from that price when it does
  // (once: a field the trader empties afterwards stays empty).
  const hadLast = useRef(last !== undefined)
  useEffect(() => {
    if (last === undefined) {
      hadLast.current = false
      return
    }
    if (hadLast.current) return
    hadLast.current = true
    const fields = seeded(form.type)
    if (fields.price !== form.price || fields.stopPrice !== form.stopPrice) editTicket(fields)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the first price matters
  }, [last])

  const chooseType = (type: TicketType): void => {
    editTicket({
      type,
      ...seeded(type),
      // An OCO's size is an amount (both legs sell or buy the same amount).
      ...(type === 'oco' && form.sizeMode !== 'amount' ? { sizeMode: 'amount' as const, size: '' } : {}),
    })
  }
  const inMore = MORE.includes(form.type)

  /** Arrow keys move a price by one tick (Shift: ten). */
  const nudge =
    (field: PriceKey) =>
    (e: KeyboardEvent<HTMLInputElement>): void => {
      if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return
      e.preventDefault()
      const now = parsePositive(form[field]) ?? (last !== undefined ? Decimal.parse(last) : undefined)
      if (now === undefined) return
      const tick = Decimal.parse(market.tick)
      const move = e.shiftKey ? tick.times(TEN) : tick
      // On the market's own grid (exactly): a price between ticks moves to the nearest one.
      const next = Decimal.max(
        tick,
        (e.key === 'ArrowUp' ? now.plus(move) : now.minus(move)).roundToStep(tick, 'half_up'),
      )
      editTicket({ [field]: toInputText(next.toFixed(precision), inputLocale()) })
    }

  /** A price input in the quote currency, nudged by ticks with the arrow keys. */
  const priceField = (
    field: PriceKey,
    label: string,
    hint: string,
    options: { invalid?: boolean; placeholder?: string } = {},
  ) => (
    <NumberField
      id={`tk-${PRICE_FIELD_IDS[field]}`}
      label={label}
      unit={quote}
      value={form[field]}
      testId={`ticket-${PRICE_FIELD_IDS[field]}`}
      invalid={options.invalid ?? badField === field}
      onChange={(v) => editTicket({ [field]: v })}
      onKeyDown={nudge(field)}
      hint={hint}
      placeholder={options.placeholder}
    />
  )

  const disabled = symbol === null || accountId === null || imported
  return (
    <form
      className={`tk-form tk-side-${form.side}`}
      data-testid="order-ticket"
      data-side={form.side}
      data-type={form.type}
      aria-label="Order ticket"
      onSubmit={(e) => {
        e.preventDefault()
        submitTicket()
      }}
    >
      <div className="tk-sides" role="group" aria-label="Side">
        <button
          type="button"
          className="tk-side tk-side-buy"
          aria-pressed={buy}
          data-testid="ticket-buy"
          onClick={() => editTicket({ side: 'buy' })}
        >
          Buy
        </button>
        <button
          type="button"
          className="tk-side tk-side-sell"
          aria-pressed={!buy}
          data-testid="ticket-sell"
          onClick={() => editTicket({ side: 'sell' })}
        >
          Sell
        </button>
      </div>

      <div className="tk-types" role="group" aria-label="Order type">
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            className="tk-type"
            aria-pressed={form.type === t}
            data-testid={`ticket-type-${t}`}
            title={TYPE_HELP[t]}
            onClick={() => chooseType(t)}
          >
            {TYPE_LABELS[t]}
          </button>
        ))}
        <select
          className="tk-type tk-type-more"
          aria-label="More order types"
          data-testid="ticket-type-more"
          data-active={inMore || undefined}
          value={inMore ? form.type : ''}
          title={inMore ? TYPE_HELP[form.type] : 'Stop-limit, take-profit, trailing stop, OCO'}
          onChange={(e) => e.target.value !== '' && chooseType(e.target.value as TicketType)}
        >
          <option value="" disabled>
            More ▾
          </option>
          {MORE.map((t) => (
            <option key={t} value={t} title={TYPE_HELP[t]}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </div>

      {form.type === 'market' && (
        <div className="tk-field tk-field-static">
          <span className="tk-field-label">Price</span>
          <span className="tk-field-static-value num" data-testid="ticket-market-price">
            Market <span className="tk-muted">≈ {formatPrice(last, precision)}</span>
          </span>
        </div>
      )}
      {TAKES_TRIGGER.includes(form.type) &&
        priceField(
          'stopPrice',
          form.type === 'take_profit' || form.type === 'take_profit_limit' ? 'Trigger' : 'Stop',
          'Triggers on the last price; ↑/↓ one tick, Shift ten',
          { invalid: badField === 'stopPrice' || stopIssue },
        )}
      {TAKES_LIMIT.includes(form.type) && priceField('price', 'Limit', '↑/↓ one tick, Shift ten')}
      {form.type === 'trailing_stop' && (
        <>
          <div className="tk-field">
            <label className="tk-field-label" htmlFor="tk-trailing">
              Trailing
            </label>
            <div className="tk-input-wrap" title="How far behind the best price the stop follows">
              <input
                id="tk-trailing"
                className="tk-input num"
                data-testid="ticket-trailing"
                inputMode="decimal"
                autoComplete="off"
                spellCheck={false}
                placeholder={form.trailingMode === 'percent' ? '1' : '0.00'}
                aria-invalid={badField === 'trailing' || undefined}
                value={form.trailing}
                onChange={(e) => editTicket({ trailing: e.target.value })}
              />
              <button
                type="button"
                className="tk-unit"
                data-testid="ticket-trailing-unit"
                title={
                  form.trailingMode === 'percent'
                    ? `Distance in ${quote} instead`
                    : 'Distance in percent instead'
                }
                onClick={() =>
                  editTicket({
                    trailingMode: form.trailingMode === 'percent' ? 'amount' : 'percent',
                    trailing: '',
                  })
                }
              >
                {form.trailingMode === 'percent' ? '%' : quote} <span aria-hidden="true">⇄</span>
              </button>
            </div>
          </div>
          {priceField(
            'activation',
            'Activation',
            'Optional: start trailing when the last price reaches this (a sell above, a buy below the market)',
            { placeholder: 'Now' },
          )}
        </>
      )}
      {form.type === 'oco' && (
        <>
          {priceField('tp', 'TP', 'A post-only limit on the profitable side of the market')}
          {priceField('sl', 'SL', 'The stop-loss trigger, on the losing side of the market')}
          {priceField(
            'slLimit',
            'SL limit',
            "Optional: the stop-loss's limit price; empty, it fills at market",
            { placeholder: 'Market' },
          )}
        </>
      )}

      <div className="tk-field">
        <label className="tk-field-label" htmlFor="tk-size">
          {form.sizeMode === 'amount' ? 'Amount' : 'Total'}
        </label>
        <div className="tk-input-wrap">
          <input
            id="tk-size"
            className="tk-input num"
            data-testid="ticket-size"
            inputMode="decimal"
            autoComplete="off"
            spellCheck={false}
            placeholder="0"
            aria-invalid={badField === 'size' || undefined}
            value={form.size}
            onChange={(e) => editTicket({ size: e.target.value })}
          />
          <button
            type="button"
            className="tk-unit"
            data-testid="ticket-unit"
            title={`Size in ${form.sizeMode === 'amount' ? `${quote} instead (notional)` : `${base} instead (amount)`}`}
            onClick={() =>
              editTicket({ sizeMode: form.sizeMode === 'amount' ? 'notional' : 'amount', size: '' })
            }
          >
            {sizeUnit || '—'} <span aria-hidden="true">⇄</span>
          </button>
        </div>
      </div>

      <div className="tk-pcts" role="group" aria-label="Share of the available balance">
        {PERCENTS.map((p) => (
          <button key={p} type="button" className="tk-pct" onClick={() => setPercent(p)}>
            {p}%
          </button>
        ))}
      </div>

      <div className="tk-avail">
        <span className="tk-muted">Available</span>
        <span className="num" data-testid="ticket-available">
          {buy
            ? `${formatMoney(quoteBal?.free ?? '0', quotePlaces)} ${quote}`
            : `${formatQty(baseBal?.free ?? '0', baseBal?.decimals ?? null)} ${base}`}
        </span>
      </div>

      {form.type !== 'oco' && (
        <div className="tk-flags">
          {form.type === 'limit' && (
            <label
              className="tk-check"
              title="Refused rather than take: it only ever adds liquidity (maker fee)"
            >
              <input
                type="checkbox"
                data-testid="ticket-post-only"
                checked={form.postOnly}
                onChange={(e) => editTicket({ postOnly: e.target.checked })}
              />
              Post-only
            </label>
          )}
          <label className="tk-check" title="Refused if it would grow or reverse your position">
            <input
              type="checkbox"
              data-testid="ticket-reduce-only"
              checked={form.reduceOnly}
              onChange={(e) => editTicket({ reduceOnly: e.target.checked })}
            />
            Reduce-only
          </label>
        </div>
      )}
      {TAKES_BRACKET.includes(form.type) && (
        <div className="tk-bracket" data-testid="ticket-bracket">
          <label className="tk-check" title="Placed with the stop-loss as an OCO once this order fills">
            <input
              type="checkbox"
              data-testid="ticket-tp-on"
              checked={form.tpOn}
              onChange={(e) => editTicket({ tpOn: e.target.checked })}
            />
            Take profit
          </label>
          {form.tpOn && priceField('tp', 'TP', 'The take-profit limit price')}
          <label className="tk-check" title="Placed with the take-profit as an OCO once this order fills">
            <input
              type="checkbox"
              data-testid="ticket-sl-on"
              checked={form.slOn}
              onChange={(e) => editTicket({ slOn: e.target.checked })}
            />
            Stop loss
          </label>
          {form.slOn && (
            <>
              {priceField('sl', 'SL', 'The stop-loss trigger price')}
              {priceField(
                'slLimit',
                'SL limit',
                "Optional: the stop-loss's limit price; empty, it fills at market",
                { placeholder: 'Market' },
              )}
            </>
          )}
        </div>
      )}

      <Preview verdict={verdict} precision={precision} base={base} quote={quote} />
      {form.type !== 'oco' && !imported && <RiskPreview />}

      <button
        type="submit"
        className={`tk-submit ${buy ? 'tk-btn-buy' : 'tk-btn-sell'}${live ? ' tk-submit-live' : ''}`}
        data-testid="ticket-submit"
        disabled={disabled || verdict.state !== 'valid' || submitting}
        title={verdict.reason ?? undefined}
        aria-describedby={verdict.reason !== null ? 'tk-reason' : undefined}
      >
        {submitting
          ? 'Sending…'
          : `${live ? 'Review LIVE ' : ''}${buy ? 'Buy' : 'Sell'} ${base || ''}`.trim()}
      </button>

      {outcome && <TicketOutcomeLine outcome={outcome} base={base} precision={precision} />}
    </form>
  )
}

type PriceKey = 'price' | 'stopPrice' | 'activation' | 'tp' | 'sl' | 'slLimit'

/** The element ids and test ids of the price inputs (`tk-<id>`, `ticket-<id>`). */
const PRICE_FIELD_IDS: Record<PriceKey, string> = {
  price: 'price',
  stopPrice: 'stop',
  activation: 'activation',
  tp: 'tp',
  sl: 'sl',
  slLimit: 'sl-limit',
}

function NumberField({
  id,
  label,
  unit,
  value,
  testId,
  hint,
  invalid,
  onChange,
  onKeyDown,
  placeholder = '0.00',
}: {
  id: string
  label: string
  unit: string
  value: string
  testId: string
  hint: string
  invalid: boolean
  onChange: (v: string) => void
  onKeyDown: (e: KeyboardEvent<HTMLInputElement>) => void
  placeholder?: string
}) {
  return (
    <div className="tk-field">
      <label className="tk-field-label" htmlFor={id}>
        {label}
      </label>
      <div className="tk-input-wrap" title={hint}>
        <input
          id={id}
          className="tk-input num"
          data-testid={testId}
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          placeholder={placeholder}
          aria-invalid={invalid || undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <span className="tk-unit tk-unit-static">{unit}</span>
      </div>
    </div>
  )
}

/**
 * The engine's check of the order as typed: what it will send, or why it cannot be sent. The
 * reason is the submit button's description (`tk-reason`), right above it.
 */
function Preview({
  verdict,
  precision,
  base,
  quote,
}: {
  verdict: TicketVerdict
  precision: number
  base: string
  quote: string
}) {
  const check = useTradingStore((s) => s.check)
  const order = verdict.state === 'valid' ? (check.result?.order ?? null) : null
  // The fee the order is expected to pay: its notional times the rate, exactly.
  const fee = order ? Decimal.parse(order.notional).times(Decimal.parse(order.feeRate)) : Decimal.ZERO
  const { state, error, reason } = verdict
  return (
    <div className="tk-preview" data-testid="ticket-preview" data-state={state} aria-live="polite">
      {(state === 'empty' || state === 'checking') && (
        <div className="tk-preview-empty" id="tk-reason" data-testid="ticket-reason">
          {reason}
        </div>
      )}
      {state === 'unavailable' && (
        <div className="tk-preview-unavailable" id="tk-reason" data-testid="ticket-unavailable" role="status">
          {reason}
        </div>
      )}
      {state === 'invalid' && error && (
        <div className="tk-preview-error" id="tk-reason" data-testid="ticket-error" data-kind={error.kind}>
          {error.message}
        </div>
      )}
      {order && (
        <>
          <dl className="tk-kv">
            <dt>Amount</dt>
            <dd className="num" data-testid="preview-amount" data-value={order.amount}>
              {formatQty(order.amount)} {base}
            </dd>
            <dt>{order.type === 'market' ? 'Est. price' : order.price !== null ? 'Limit' : 'Trigger'}</dt>
            <dd className="num" data-testid="preview-price">
              {order.type === 'market' && '≈ '}
              {formatPrice(order.price ?? order.stopPrice ?? order.referencePrice, precision)}
            </dd>
            {order.stopPrice !== null && order.price !== null && (
              <>
                <dt>Trigger</dt>
                <dd className="num">{formatPrice(order.stopPrice, precision)}</dd>
              </>
            )}
            {(order.takeProfit || order.stopLoss) && (
              <>
                <dt>Then</dt>
                <dd className="num" data-testid="preview-legs">
                  {[
                    order.takeProfit && `TP ${formatPrice(order.takeProfit.price, precision)}`,
                    order.stopLoss &&
                      `SL ${formatPrice(order.stopLoss.stopPrice, precision)}${order.stopLoss.price !== null ? ` → ${formatPrice(order.stopLoss.price, precision)}` : ''}`,
                  ]
                    .filter(Boolean)
                    .join(' · ')}{' '}
                  <span className="tk-muted">(OCO once filled)</span>
                </dd>
              </>
            )}
            {order.emulated && (
              <>
                <dt>Held by</dt>
                <dd data-testid="preview-emulated">
                  Candlework <span className="tk-muted">(emulated: the exchange has no such order)</span>
                </dd>
              </>
            )}
            <dt>{order.side === 'buy' ? 'Est. cost' : 'Est. proceeds'}</dt>
            <dd className="num" data-testid="preview-notional">
              {formatMoney(order.notional)} {quote}
            </dd>
            <dt>Est. fee</dt>
            <dd className="num" data-testid="preview-fee">
              {formatMoney(fee, fee.lt(Decimal.ONE) ? 4 : 2)} {quote}{' '}
              <span className="tk-muted">({formatRate(order.feeRate)})</span>
            </dd>
            <dt>Needs free</dt>
            <dd className="num">
              {order.requires.asset === quote
                ? formatMoney(order.requires.amount)
                : formatQty(order.requires.amount)}{' '}
              {order.requires.asset}
            </dd>
          </dl>
          {order.adjustments.length > 0 && (
            <ul className="tk-adjust" data-testid="preview-adjustments">
              {order.adjustments.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  )
}

function refPrice(
  type: TicketType,
  price: string,
  stop: string,
  last: string | undefined,
): Decimal | undefined {
  const lastPrice = last !== undefined ? Decimal.tryParse(last) : undefined
  const known = lastPrice?.isPositive() === true ? lastPrice : undefined
  if (TAKES_LIMIT.includes(type)) return parsePositive(price) ?? known
  if (TAKES_TRIGGER.includes(type)) return parsePositive(stop) ?? known
  return known
}

const PATH_FIELDS: Record<string, NumberFieldName> = {
  'params.amount': 'size',
  'params.notional': 'size',
  'params.price': 'price',
  'params.stopPrice': 'stopPrice',
  'params.trailingPercent': 'trailing',
  'params.trailingAmount': 'trailing',
  'params.activationPrice': 'activation',
  'params.takeProfit.price': 'tp',
  'params.stopLoss.stopPrice': 'sl',
  'params.stopLoss.price': 'slLimit',
}

/** The ticket field an engine refusal names (`params.stopLoss.stopPrice` -> the SL field). */
function fieldOfPathOrUndefined(
  verdict: TicketVerdict,
  path: string | undefined,
): NumberFieldName | undefined {
  return verdict.state === 'invalid' && path !== undefined ? PATH_FIELDS[path] : undefined
}

/**
 * Rounds down to `places` decimals (never more than is free), exactly, written as the trader
 * would type it in their locale (`0,5` in de-DE), without trailing zeros or an exponent.
 */
function trimNumber(v: Decimal, places: number): string {
  const text = v.round(places, 'down').toString()
  return text === '0' || v.isNegative() ? '' : toInputText(text, inputLocale())
}

const TEN = Decimal.parse('10')
