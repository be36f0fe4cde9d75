import {
  cancelDeleteAccount,
  cancelRemoveKeys,
  confirmDeleteAccount,
  confirmRemoveKeys,
} from './account-keys-actions'
import { ConfirmForm, Modal } from '../desk/Modal'
import { useTradingStore } from '../desk/store'

const count = (n: number, word: string): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`

/**
 * Confirms deleting an account. The engine checked it first (a dry run): the dialog says what
 * will be lost, or shows the engine's reason for refusing (open orders, the built-in account).
 */
export function DeleteAccountDialog() {
  const d = useTradingStore((s) => s.accountsDialog?.deleting ?? null)
  const account = useTradingStore((s) => (d ? s.accounts.find((a) => a.id === d.accountId) : undefined))
  const name = d?.preview?.name ?? account?.name ?? ''
  const live = (d?.preview?.mode ?? account?.mode) === 'live'
  const p = d?.preview
  return (
    <Modal
      open={d !== null}
      onCancel={cancelDeleteAccount}
      label="Delete account"
      tone="danger"
      testId="delete-account-confirm"
    >
      <ConfirmForm
        onConfirm={() => void confirmDeleteAccount()}
        badge={live ? 'LIVE' : 'PAPER'}
        question={`Delete “${name}”?`}
      >
        {d?.state === 'checking' && <p className="tk-dialog-text tk-muted">Checking the account…</p>}
        {p && d?.state !== 'refused' && (
          <div className="tk-dialog-text" data-testid="delete-account-text">
            <p>
              Its history is deleted from this computer for good:{' '}
              <strong data-testid="delete-account-counts">
                {count(p.orders, 'order')}, {count(p.fills, 'fill')}
                {p.reconciliationEvents > 0
                  ? `, ${count(p.reconciliationEvents, 'reconciliation notice')}`
                  : ''}
              </strong>
              {live ? ' and its last balances.' : ', its positions and its paper balance.'}
            </p>
            <p>
              Nothing is sent to the exchange.
              {live &&
                ` The ${account?.exchangeId ?? 'exchange'} connection and its API keys are kept; remove the keys separately if you no longer need them.`}
            </p>
          </div>
        )}
        {d?.state === 'refused' && (
          <div className="tk-acc-error tk-acc-error-form" role="alert" data-testid="delete-account-error">
            {d.error}
          </div>
        )}
        <div className="tk-dialog-actions">
          <button type="button" className="btn" onClick={cancelDeleteAccount} autoFocus>
            {d?.state === 'refused' ? 'Close' : 'Keep it'}
          </button>
          {d?.state !== 'refused' && (
            <button
              type="submit"
              className="btn tk-btn-solid tk-btn-live"
              data-testid="delete-account-confirm-button"
              disabled={d?.state !== 'ready'}
            >
              {d?.state === 'deleting' ? 'Deleting…' : 'Delete account'}
            </button>
          )}
        </div>
      </ConfirmForm>
    </Modal>
  )
}

/** Confirms removing an exchange connection's stored API keys (`exchange.removeKeys`). */
export function RemoveKeysDialog() {
  const r = useTradingStore((s) => s.accountsDialog?.removeKeys ?? null)
  const accounts = useTradingStore((s) => s.accounts)
  const users = r ? accounts.filter((a) => a.mode === 'live' && a.exchangeId === r.exchangeId) : []
  const x = r?.exchangeId ?? ''
  return (
    <Modal
      open={r !== null}
      onCancel={cancelRemoveKeys}
      label="Remove API keys"
      tone="danger"
      testId="remove-keys-confirm"
    >
      <ConfirmForm
        onConfirm={() => void confirmRemoveKeys()}
        badge="KEYS"
        question={`Remove the ${x} API keys?`}
      >
        <p className="tk-dialog-text" data-testid="remove-keys-text">
          The encrypted key and secret are deleted from this computer.{' '}
          {users.length > 0 ? `${users.map((a) => `“${a.name}”`).join(', ')} can` : 'Accounts on it can'} no
          longer place or check live orders on {x} until keys are entered again. Nothing is changed on {x}:
          the keys stay valid there until you revoke them on the exchange.
        </p>
        {r?.error && (
          <div className="tk-acc-error tk-acc-error-form" role="alert" data-testid="remove-keys-error">
            {r.error}
          </div>
        )}
        <div className="tk-dialog-actions">
          <button type="button" className="btn" onClick={cancelRemoveKeys} autoFocus>
            Keep them
          </button>
          <button
            type="submit"
            className="btn tk-btn-solid tk-btn-live"
            data-testid="remove-keys-confirm-button"
            disabled={r?.busy ?? true}
          >
            {r?.busy ? 'Removing…' : 'Remove keys'}
          </button>
        </div>
      </ConfirmForm>
    </Modal>
  )
}
