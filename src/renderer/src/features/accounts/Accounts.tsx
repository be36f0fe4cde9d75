import { cancelLiveOn, confirmLiveOn } from './account-keys-actions'
import { closeAccounts } from './account-form-actions'
import { AccountForm } from './AccountForm'
import { AccountList } from './AccountList'
import { ConfirmForm, Modal } from '../desk/Modal'
import { useTradingStore } from '../desk/store'
import './accounts.css'

/** Adds paper and live accounts, edits and deletes them, and switches live trading on and off. */
export function AccountsDialog() {
  const dialog = useTradingStore((s) => s.accountsDialog)
  const editor = dialog?.editor ?? null
  return (
    <Modal
      open={dialog !== null}
      onCancel={closeAccounts}
      label="Accounts"
      tone="neutral"
      testId="accounts-dialog"
      className="tk-dialog-wide"
    >
      {editor ? (
        <AccountForm key={editor.id ?? `new-${editor.mode}`} editor={editor} />
      ) : (
        <div className="tk-acc">
          <div className="tk-dialog-head">
            <span>Accounts</span>
          </div>
          <AccountList />
        </div>
      )}
    </Modal>
  )
}

/**
 * Confirms switching a live account's trading on: from then on its orders are real. The engine
 * checks the keys first (one signed request) and keeps it off, saying why, if they do not check.
 */
export function LiveOnDialog() {
  const id = useTradingStore((s) => s.accountsDialog?.liveOn ?? null)
  const account = useTradingStore((s) => (id === null ? undefined : s.accounts.find((a) => a.id === id)))
  const name = useTradingStore((s) =>
    account ? (s.exchanges.find((x) => x.id === account.exchangeId)?.name ?? account.exchangeId) : '',
  )
  return (
    <Modal
      open={id !== null}
      onCancel={cancelLiveOn}
      label="Turn on live trading"
      tone="danger"
      testId="live-on-confirm"
    >
      <ConfirmForm
        onConfirm={() => confirmLiveOn()}
        badge="LIVE"
        question={`Turn on live trading for “${account?.name ?? ''}”?`}
      >
        <p className="tk-dialog-text" data-testid="live-on-text">
          Real orders will be sent to <strong>{name}</strong>
          {account?.apiUrl ? ` (${account.apiUrl})` : ''} with real funds. Its keys are checked first; each
          order still asks for your confirmation before it is sent, and switching live trading off again takes
          effect at once.
        </p>
        <div className="tk-dialog-actions">
          <button type="button" className="btn" onClick={cancelLiveOn} autoFocus>
            Keep it off
          </button>
          <button type="submit" className="btn tk-btn-solid tk-btn-live" data-testid="live-on-confirm-button">
            Turn on live trading
          </button>
        </div>
      </ConfirmForm>
    </Modal>
  )
}
