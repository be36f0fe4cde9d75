import { useEffect, useRef, type ReactNode } from 'react'
import { Decimal } from '../../../../shared/decimal/decimal'
import { formatPrice } from '../../lib/format'
import { cancelConfirm, confirmLive, pricePrecision } from './actions'
import type { NormalizedOrder } from '../../../../shared/domain/trading'
import { cancelClose, confirmClose, openClose, setCloseCancel } from './close-actions'
import { formatMoney, formatQty, TYPE_NAMES } from './format'
import { isOcoRequest, selectAccount, splitSymbol, useTradingStore, type TicketRequest } from './store'

/**
 * A modal dialog on the native `<dialog>`: focus stays inside, Escape cancels, and the
 * element to focus first is the one marked `autoFocus`.
 */
export function Modal({
  open,
  onCancel,
  label,
  tone,
  testId,
  className,
  children,
}: {
  open: boolean
  onCancel: () => void
  label: string
  tone: 'danger' | 'neutral'
  testId: string
  className?: string
  children: ReactNode
}) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    if (!d) return
    if (open && !d.open) d.showModal()
    if (!open && d.open) d.close()
  }, [open])
  return (
    <dialog
      ref={ref}
      className={`tk-dialog tk-dialog-${tone}${className ? ` ${className}` : ''}`}
      aria-label={label}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault()
        onCancel()
      }}
    >
      {open && children}
    </dialog>
  )
}

/**
 * The body of a confirmation: a form whose submit (the button marked `type="submit"`) confirms,
 * under a badge and the question; `children` say what happens and hold the buttons.
 */
export function ConfirmForm({
  onConfirm,
  badge,
  question,
  children,
}: {
  onConfirm: () => void
  badge: 'LIVE' | 'PAPER' | 'KEYS'
  question: string
  children: ReactNode
}) {
  return (
    <form
      method="dialog"
      onSubmit={(e) => {
        e.preventDefault()
        onConfirm()
      }}
    >
      <div className="tk-dialog-head">
        <span className={`badge ${badge === 'PAPER' ? 'badge-paper' : 'badge-live'}`}>{badge}</span>
        <span>{question}</span>
      </div>
      {children}
    </form>
  )
}

/** What the confirmation says of the price: the type's own words, and a bracket's or OCO's legs. */
function confirmPriceText(
  req: TicketRequest,
  normalized: NormalizedOrder | null,
  last: string | undefined,
  precision: number,
): string {
  const px = (v: string | null | undefined) => formatPrice(v, precision)
  const legs = (r: {
    takeProfit?: { price: string } | undefined
    stopLoss?: { stopPrice: string; price?: string | undefined } | undefined
  }) =>
    [
      r.takeProfit ? `take profit ${px(r.takeProfit.price)}` : '',
      r.stopLoss
        ? `stop loss ${px(r.stopLoss.stopPrice)}${r.stopLoss.price !== undefined ? ` (limit ${px(r.stopLoss.price)})` : ''}`
        : '',
    ]
      .filter((t) => t !== '')
      .join(', ')
  if (isOcoRequest(req)) return `OCO: ${legs(req)}`
  const withLegs = (text: string) => (req.takeProfit || req.stopLoss ? `${text}; then ${legs(req)}` : text)
  switch (req.type) {
    case 'market':
      return withLegs(`Market (≈ ${px(normalized?.referencePrice ?? last)})`)
    case 'limit':
      return withLegs(`Limit ${px(normalized?.price ?? req.price)}${req.postOnly ? ', post-only' : ''}`)
    case 'trailing_stop':
      return `Trailing stop ${req.trailingPercent !== undefined ? `${req.trailingPercent}%` : px(req.trailingAmount)}${req.activationPrice !== undefined ? ` from ${px(req.activationPrice)}` : ''}, then market`
    default:
      return `${TYPE_NAMES[req.type]}: trigger ${px(normalized?.stopPrice ?? req.stopPrice)}${req.price !== undefined ? `, then limit ${px(normalized?.price ?? req.price)}` : ', then market'}`
  }
}

/** The explicit confirmation a live account's order needs before it is sent with `confirm: true`. */
export function LiveConfirmDialog() {
  const req = useTradingStore((s) => s.confirm)
  const account = useTradingStore(selectAccount)
  const check = useTradingStore((s) => s.check)
  // The price on the account's own market (`trading.quote`), never the chart's other markets.
  const last = useTradingStore((s) =>
    s.quote && s.confirm && s.quote.symbol === s.confirm.symbol && s.quote.accountId === s.confirm.accountId
      ? (s.quote.last ?? undefined)
      : undefined,
  )
  const open = req !== null
  const normalized = check.result?.order ?? null
  let body: ReactNode = null
  if (req && account) {
    const { base, quote } = splitSymbol(req.symbol)
    const precision = pricePrecision(req.symbol)
    const notional = isOcoRequest(req) ? undefined : req.notional
    // A total with no checked amount yet is shown at the last price (an estimate, rounded down).
    const amount =
      normalized?.amount ??
      req.amount ??
      (notional !== undefined && last !== undefined && Decimal.parse(last).isPositive()
        ? Decimal.parse(notional).div(Decimal.parse(last), 8, 'down').toString()
        : undefined)
    const priceText = confirmPriceText(req, normalized, last, precision)
    const buy = req.side === 'buy'
    body = (
      <ConfirmForm onConfirm={() => confirmLive()} badge="LIVE" question="Send a live order with real funds?">
        <dl className="tk-dialog-kv">
          <dt>Side</dt>
          <dd className={buy ? 'up' : 'down'} data-testid="confirm-side">
            {buy ? 'BUY' : 'SELL'}
          </dd>
          <dt>Amount</dt>
          <dd className="num" data-testid="confirm-amount">
            {amount !== undefined ? `${formatQty(amount)} ${base}` : '—'}
            {notional !== undefined && (
              <span className="tk-muted">
                {' '}
                (for {formatMoney(notional)} {quote})
              </span>
            )}
          </dd>
          <dt>Symbol</dt>
          <dd data-testid="confirm-symbol">{req.symbol}</dd>
          <dt>Price</dt>
          <dd className="num" data-testid="confirm-price">
            {priceText}
          </dd>
          {normalized && (
            <>
              <dt>Notional</dt>
              <dd className="num">
                ≈ {formatMoney(normalized.notional)} {quote}
              </dd>
            </>
          )}
          <dt>Account</dt>
          <dd data-testid="confirm-account">
            {account.name} <span className="tk-muted">({account.exchangeId})</span>
          </dd>
        </dl>
        <div className="tk-dialog-actions">
          <button type="button" className="btn" onClick={cancelConfirm}>
            Cancel
          </button>
          <button
            type="submit"
            className={`btn tk-btn-solid ${buy ? 'tk-btn-buy' : 'tk-btn-sell'}`}
            data-testid="confirm-send"
            autoFocus
          >
            Send live {buy ? 'buy' : 'sell'}
          </button>
        </div>
      </ConfirmForm>
    )
  }
  return (
    <Modal
      open={open}
      onCancel={cancelConfirm}
      label="Confirm live order"
      tone="danger"
      testId="live-confirm"
    >
      {body}
    </Modal>
  )
}

/**
 * Close… of a position: the order that closes it (its whole size, at market) and the resting
 * orders on that side that hold it (a protective stop holds the very coins the close sells),
 * canceled with the close on one confirm. The engine's plan comes first (a dry run), so the
 * dialog says what will happen before anything does.
 */
export function ClosePositionDialog() {
  const c = useTradingStore((s) => s.closing)
  const account = useTradingStore((s) => s.accounts.find((a) => a.id === s.closing?.accountId))
  const live = account?.mode === 'live'
  let body: ReactNode = null
  if (c) {
    const { base } = splitSymbol(c.symbol)
    const precision = pricePrecision(c.symbol)
    const plan = c.plan
    const sell = plan?.side !== 'buy'
    const n = plan?.resting.length ?? 0
    const busy = c.state === 'closing'
    const verb = sell ? 'sell' : 'buy'
    const size = plan ? `${formatQty(plan.amount)} ${base}` : base
    const label = busy
      ? 'Closing…'
      : c.cancelResting && n > 0
        ? `Cancel ${n === 1 ? '1 order' : `${n} orders`} and ${verb} ${size}`
        : `${sell ? 'Sell' : 'Buy'} ${size}`
    body = (
      <ConfirmForm
        onConfirm={() => void confirmClose()}
        badge={live ? 'LIVE' : 'PAPER'}
        question={`Close the ${c.symbol} position?`}
      >
        {c.state === 'checking' && <p className="tk-dialog-text">Checking what closing it takes…</p>}
        {plan && (
          <dl className="tk-dialog-kv">
            <dt>Order</dt>
            <dd className="num" data-testid="close-order">
              <span className={sell ? 'down' : 'up'}>{sell ? 'SELL' : 'BUY'}</span> {size} at market
            </dd>
            {Decimal.tryParse(plan.dust)?.isPositive() === true && (
              <>
                <dt>Left</dt>
                <dd className="num tk-muted" data-testid="close-dust">
                  {plan.dust} {base}: dust below the lot step, which no order can trade
                </dd>
              </>
            )}
            <dt>Account</dt>
            <dd>
              {account?.name ?? c.accountId}{' '}
              {account && <span className="tk-muted">({live ? account.exchangeId : 'paper'})</span>}
            </dd>
          </dl>
        )}
        {plan && n > 0 && (
          <div className="tk-close-resting" data-testid="close-resting">
            <p className="tk-dialog-text">
              {plan.needsCancel
                ? `${n === 1 ? 'This resting order holds' : `These ${n} resting orders hold`} the ${sell ? base : 'funds'} the close needs; ${n === 1 ? 'it is' : 'they are'} canceled first, in the same action:`
                : `${n === 1 ? 'This resting order' : `These ${n} resting orders`} would ${verb} against a position that is gone:`}
            </p>
            <ul className="tk-close-list">
              {plan.resting.map((o) => (
                <li key={o.clientOrderId} data-testid="close-resting-order" data-id={o.clientOrderId}>
                  <span className={o.side === 'buy' ? 'up' : 'down'}>
                    {o.side === 'buy' ? 'Buy' : 'Sell'}
                  </span>{' '}
                  {(TYPE_NAMES[o.type] ?? o.type).toLowerCase()}{' '}
                  {formatQty(Decimal.parse(o.amount).minus(Decimal.parse(o.filled)))} {base}
                  {o.type === 'stop' && o.stopPrice !== null && (
                    <>, triggers at {formatPrice(o.stopPrice, precision)}</>
                  )}
                  {o.type !== 'stop' && o.price !== null && <> at {formatPrice(o.price, precision)}</>}
                </li>
              ))}
            </ul>
            <label className="tk-acc-check">
              <input
                type="checkbox"
                data-testid="close-cancel-resting"
                checked={c.cancelResting}
                disabled={plan.needsCancel || busy}
                onChange={(e) => setCloseCancel(e.target.checked)}
              />
              <span>
                Cancel {n === 1 ? 'it' : 'them'} with the close
                {plan.needsCancel && (
                  <span className="tk-muted"> (needed: the close cannot be sent otherwise)</span>
                )}
              </span>
            </label>
          </div>
        )}
        {plan?.problem && (
          <div className="tk-acc-error tk-acc-error-form" role="alert" data-testid="close-problem">
            {plan.problem.message}
          </div>
        )}
        {c.error !== null && (
          <div className="tk-acc-error tk-acc-error-form" role="alert" data-testid="close-error">
            {c.error}
          </div>
        )}
        <div className="tk-dialog-actions">
          <button type="button" className="btn" onClick={cancelClose} disabled={busy}>
            Keep
          </button>
          {c.state === 'failed' ? (
            <button
              type="button"
              className="btn"
              data-testid="close-recheck"
              onClick={() => void openClose(c)}
            >
              Check again
            </button>
          ) : (
            <button
              type="submit"
              className={`btn tk-btn-solid ${sell ? 'tk-btn-sell' : 'tk-btn-buy'}`}
              data-testid="close-confirm"
              disabled={c.state !== 'ready' || (plan?.problem ?? null) !== null}
              autoFocus
            >
              {label}
            </button>
          )}
        </div>
      </ConfirmForm>
    )
  }
  return (
    <Modal
      open={c !== null}
      onCancel={cancelClose}
      label="Close position"
      tone={live ? 'danger' : 'neutral'}
      testId="close-dialog"
      className="tk-dialog-wide"
    >
      {body}
    </Modal>
  )
}
