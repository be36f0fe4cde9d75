import { useEffect, useRef, type ReactNode } from 'react'
import { formatPrice } from '../../lib/format'
import { useTradeStore, symbolKey } from '../trade/store'
import { cancelConfirm, confirmLive, pricePrecision } from './actions'
import { formatMoney, formatQty } from './format'
import { selectAccount, splitSymbol, useTradingStore } from './store'

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

/** The explicit confirmation a live account's order needs before it is sent with `confirm: true`. */
export function LiveConfirmDialog() {
  const req = useTradingStore((s) => s.confirm)
  const account = useTradingStore(selectAccount)
  const check = useTradingStore((s) => s.check)
  const last = useTradeStore((s) => {
    const sel = s.selected
    return sel ? s.tickers[symbolKey(sel.source, sel.symbol)]?.last : undefined
  })
  const open = req !== null
  const normalized = check.result?.order ?? null
  let body: ReactNode = null
  if (req && account) {
    const { base, quote } = splitSymbol(req.symbol)
    const precision = pricePrecision(req.symbol)
    const amount =
      normalized?.amount ??
      req.amount ??
      (req.notional !== undefined && last ? req.notional / last : undefined)
    const priceText =
      req.type === 'market'
        ? `Market (≈ ${formatPrice(normalized?.referencePrice ?? last, precision)})`
        : req.type === 'limit'
          ? `Limit ${formatPrice(normalized?.price ?? req.price, precision)}`
          : `Stop ${formatPrice(normalized?.stopPrice ?? req.stopPrice, precision)}, then market`
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
            {req.notional !== undefined && (
              <span className="tk-muted">
                {' '}
                (for {formatMoney(req.notional)} {quote})
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
