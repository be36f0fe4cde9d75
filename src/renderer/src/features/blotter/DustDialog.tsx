import { type ReactNode } from 'react'
import { ConfirmForm, Modal } from '../desk/Modal'
import { formatQty } from '../desk/format'
import { useTradingStore } from '../desk/store'
import { dustOutcome, dustVenueOf, exchangeLabel } from './dust'
import { closeDust, confirmDust } from './dust-actions'
import { useDustStore } from './dust-store'

/**
 * The confirmation of a dust conversion: each asset, amount and market it comes from, what the
 * venue does with it, then the result (amount -> received, fee) and the engine's note. A live
 * account's is the explicit kind live orders get (danger tone, LIVE badge, "with real funds").
 */
export function DustDialog() {
  const d = useDustStore((s) => s.dialog)
  const acc = useTradingStore((s) => (d ? s.accounts.find((a) => a.id === d.accountId) : undefined))
  const live = acc?.mode === 'live'
  let body: ReactNode = null
  if (d) {
    const venue = dustVenueOf(acc)
    const quotes = [...new Set(d.rows.map((r) => r.quote))].join(', ')
    const busy = d.state === 'converting'
    const n = d.rows.length
    const what = n === 1 ? `${formatQty(d.rows[0]!.amount)} ${d.rows[0]!.asset}` : `${n} assets`
    body = (
      <ConfirmForm
        onConfirm={() => void (d.state === 'done' ? closeDust() : confirmDust())}
        badge={live ? 'LIVE' : 'PAPER'}
        question={live ? 'Convert dust with real funds?' : 'Convert the dust?'}
      >
        {d.state !== 'done' && (
          <>
            {n === 0 ? (
              <p className="tk-dialog-text">Nothing to convert: no position is below its lot step.</p>
            ) : (
              <ul className="tk-close-list" data-testid="dust-list">
                {d.rows.map((r) => (
                  <li key={r.symbol} data-testid="dust-item" data-asset={r.asset}>
                    <span className="num" title={`${r.amount} ${r.asset}`}>
                      {formatQty(r.amount)} {r.asset}
                    </span>{' '}
                    <span className="tk-muted">from {r.symbol}</span>
                  </li>
                ))}
              </ul>
            )}
            <p className="tk-dialog-text" data-testid="dust-outcome">
              {dustOutcome(venue, quotes)}
            </p>
            <dl className="tk-dialog-kv">
              <dt>Account</dt>
              <dd>
                {acc?.name ?? d.accountId}{' '}
                {acc && <span className="tk-muted">({live ? exchangeLabel(acc.exchangeId) : 'paper'})</span>}
              </dd>
            </dl>
          </>
        )}
        {d.state === 'done' && d.result && (
          <div data-testid="dust-result">
            {d.result.converted.length > 0 && (
              <ul className="tk-close-list">
                {d.result.converted.map((c) => (
                  <li key={c.transferId} data-testid="dust-converted" data-asset={c.asset}>
                    <span className="num">
                      {formatQty(c.amount)} {c.asset} → {formatQty(c.received)} {c.target}
                    </span>{' '}
                    <span className="tk-muted">
                      (fee {formatQty(c.fee)} {c.target})
                    </span>
                  </li>
                ))}
              </ul>
            )}
            {d.result.note !== null && (
              <p className="tk-dialog-text tk-muted" data-testid="dust-note">
                {d.result.note}
              </p>
            )}
          </div>
        )}
        {d.error !== null && (
          <div className="tk-acc-error tk-acc-error-form" role="alert" data-testid="dust-error">
            {d.error}
          </div>
        )}
        <div className="tk-dialog-actions">
          {d.state === 'done' ? (
            <button type="submit" className="btn" data-testid="dust-done" autoFocus>
              Done
            </button>
          ) : (
            <>
              <button type="button" className="btn" onClick={closeDust} disabled={busy}>
                Keep
              </button>
              <button
                type="submit"
                className="btn tk-btn-solid tk-btn-sell"
                data-testid="dust-confirm"
                disabled={busy || n === 0 || venue.kind === 'none'}
                autoFocus
              >
                {busy ? 'Converting…' : live ? `Convert ${what} with real funds` : `Convert ${what}`}
              </button>
            </>
          )}
        </div>
      </ConfirmForm>
    )
  }
  return (
    <Modal
      open={d !== null}
      onCancel={closeDust}
      label="Convert dust"
      tone={live ? 'danger' : 'neutral'}
      testId="dust-dialog"
      className="tk-dialog-wide"
    >
      {body}
    </Modal>
  )
}
