import { type ReactNode } from 'react'
import { Decimal } from '../../../../shared/decimal/decimal'
import { formatPrice } from '../../lib/format'
import { pricePrecision } from './actions'
import { cancelClose, confirmClose, openClose, setCloseCancel } from './close-actions'
import { formatQty, TYPE_NAMES } from '../desk/format'
import { splitSymbol } from './request'
import { useTradingStore } from '../desk/store'

import { ConfirmForm, Modal } from '../desk/Modal'

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
