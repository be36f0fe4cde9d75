import { type ReactNode } from 'react'
import { Decimal } from '../../../../shared/decimal/decimal'
import { formatPrice } from '../../lib/format'
import { cancelConfirm, confirmLive, pricePrecision } from './actions'
import type { NormalizedOrder } from '../../../../shared/domain/trading'
import { formatMoney, formatQty, TYPE_NAMES } from '../desk/format'
import { isOcoRequest, splitSymbol, type TicketRequest } from './request'
import { selectAccount, useTradingStore } from '../desk/store'

import { ConfirmForm, Modal } from '../desk/Modal'

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
