import { useEffect, type KeyboardEvent } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ORDER_TYPES, type OrderType } from '../../../../shared/domain/trading'
import { formatPrice } from '../../lib/format'
import { inputLocale, toInputText } from '../../lib/number-input'
import { selectSelectedInfo, symbolKey, useTradeStore } from '../trade/store'
import { editTicket, scheduleValidate, submitTicket, ticketSymbolChanged } from './actions'
import { formatMoney, formatQty, formatRate } from './format'
import {
  buildRequest,
  parseNumber,
  selectAccount,
  selectBalance,
  splitSymbol,
  stopSideProblem,
  ticketVerdict,
  useTradingStore,
  type NumberFieldName,
  type TicketVerdict,
} from './store'
import { TicketOutcomeLine } from './TicketOutcome'

const TYPE_LABELS: Record<OrderType, string> = { market: 'Market', limit: 'Limit', stop: 'Stop' }
const TYPE_HELP: Record<OrderType, string> = {
  market: 'Fills at once at the best price (paper: the bid/ask plus slippage)',
  limit: 'Rests at your price or better; fills at once if it is already marketable',
  stop: 'Stop-market: waits until the last price reaches the stop, then fills as a market order',
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
  const precision = info?.pricePrecision ?? 2
  const last = useTradeStore((s) => {
    const sel = s.selected
    return sel ? s.tickers[symbolKey(sel.source, sel.symbol)]?.last : undefined
  })
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
  const live = account?.venue === 'live'
  const built = buildRequest(accountId, symbol, form)
  const { request } = built
  const complete = request !== null
  const verdict = ticketVerdict(built, check, { last, precision, quote })
  const badField: NumberFieldName | undefined = built.field
  const stopIssue =
    request?.stopPrice !== undefined &&
    stopSideProblem(form.side, request.stopPrice, last, precision) !== null

  // A market order's estimate follows the price: the engine re-checks it every few seconds.
  useEffect(() => {
    if (form.type !== 'market' || !complete) return
    const h = setInterval(() => scheduleValidate(0), MARKET_RECHECK_MS)
    return () => clearInterval(h)
  }, [form.type, complete])
  const sizeUnit = form.sizeMode === 'amount' ? base : quote

  const setPercent = (pct: number): void => {
    if (buy) {
      const free = quoteBal?.free ?? 0
      if (form.sizeMode === 'notional') return editTicket({ size: trimNumber(free * (pct / 100), 2) })
      const price = refPrice(form.type, form.price, form.stopPrice, last)
      if (!price) return
      editTicket({ size: trimNumber((free * (pct / 100)) / price, 8) })
    } else {
      const free = baseBal?.free ?? 0
      if (form.sizeMode === 'amount') return editTicket({ size: trimNumber(free * (pct / 100), 8) })
      const price = refPrice(form.type, form.price, form.stopPrice, last)
      if (!price) return
      editTicket({ size: trimNumber(free * (pct / 100) * price, 2) })
    }
  }

  const chooseType = (type: OrderType): void => {
    // A limit or stop starts from the last price: the trader adjusts it rather than typing it all.
    const seed = last !== undefined ? toInputText(last.toFixed(precision), inputLocale()) : ''
    editTicket({
      type,
      price: type === 'limit' && form.price === '' ? seed : form.price,
      stopPrice: type === 'stop' && form.stopPrice === '' ? seed : form.stopPrice,
    })
  }

  /** Arrow keys move a price by one tick (Shift: ten). */
  const nudge =
    (field: 'price' | 'stopPrice') =>
    (e: KeyboardEvent<HTMLInputElement>): void => {
      if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return
      e.preventDefault()
      const now = parseNumber(form[field]) ?? last
      if (now === undefined) return
      const tick = 10 ** -precision * (e.shiftKey ? 10 : 1)
      const next = Math.max(tick, now + (e.key === 'ArrowUp' ? tick : -tick))
      editTicket({ [field]: toInputText(next.toFixed(precision), inputLocale()) })
    }

  const disabled = symbol === null || accountId === null
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
        {ORDER_TYPES.map((t) => (
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
      </div>

      {form.type === 'market' && (
        <div className="tk-field tk-field-static">
          <span className="tk-field-label">Price</span>
          <span className="tk-field-static-value num">
            Market <span className="tk-muted">≈ {formatPrice(last, precision)}</span>
          </span>
        </div>
      )}
      {form.type === 'limit' && (
        <NumberField
          id="tk-price"
          label="Limit"
          unit={quote}
          value={form.price}
          testId="ticket-price"
          invalid={badField === 'price'}
          onChange={(v) => editTicket({ price: v })}
          onKeyDown={nudge('price')}
          hint="↑/↓ one tick, Shift ten"
        />
      )}
      {form.type === 'stop' && (
        <NumberField
          id="tk-stop"
          label="Stop"
          unit={quote}
          value={form.stopPrice}
          testId="ticket-stop"
          invalid={badField === 'stopPrice' || stopIssue}
          onChange={(v) => editTicket({ stopPrice: v })}
          onKeyDown={nudge('stopPrice')}
          hint="Triggers on the last price; ↑/↓ one tick, Shift ten"
        />
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
          {buy ? `${formatMoney(quoteBal?.free ?? 0)} ${quote}` : `${formatQty(baseBal?.free ?? 0)} ${base}`}
        </span>
      </div>

      <Preview verdict={verdict} precision={precision} base={base} quote={quote} />

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
          placeholder="0.00"
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
  const { state, error, reason } = verdict
  return (
    <div className="tk-preview" data-testid="ticket-preview" data-state={state} aria-live="polite">
      {(state === 'empty' || state === 'checking') && (
        <div className="tk-preview-empty" id="tk-reason" data-testid="ticket-reason">
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
            <dt>{order.type === 'limit' ? 'Limit' : order.type === 'stop' ? 'Stop' : 'Est. price'}</dt>
            <dd className="num" data-testid="preview-price">
              {order.type === 'market' && '≈ '}
              {formatPrice(order.price ?? order.stopPrice ?? order.referencePrice, precision)}
            </dd>
            <dt>{order.side === 'buy' ? 'Est. cost' : 'Est. proceeds'}</dt>
            <dd className="num" data-testid="preview-notional">
              {formatMoney(order.notional)} {quote}
            </dd>
            <dt>Est. fee</dt>
            <dd className="num" data-testid="preview-fee">
              {formatMoney(order.notional * order.feeRate, order.notional * order.feeRate < 1 ? 4 : 2)}{' '}
              {quote} <span className="tk-muted">({formatRate(order.feeRate)})</span>
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
  type: OrderType,
  price: string,
  stop: string,
  last: number | undefined,
): number | undefined {
  if (type === 'limit') return parseNumber(price) ?? last
  if (type === 'stop') return parseNumber(stop) ?? last
  return last
}

/**
 * Rounds down to `digits` decimals and drops trailing zeros (never more than is free), written
 * as the trader would type it in their locale (`0,5` in de-DE), never with an exponent.
 */
function trimNumber(v: number, digits: number): string {
  if (!Number.isFinite(v) || v <= 0) return ''
  const f = 10 ** digits
  const text = (Math.floor(v * f + 1e-9) / f).toFixed(digits).replace(/\.?0+$/, '')
  return text === '0' || text === '' ? '' : toInputText(text, inputLocale())
}
