import { useId, type ReactNode } from 'react'
import type { Account } from '../../../../shared/domain/trading'
import {
  DEMO_ACCOUNT_ID,
  askDeleteAccount,
  askRemoveKeys,
  backToAccounts,
  checkStoredKeys,
  cancelLiveOn,
  closeAccounts,
  confirmLiveOn,
  editAccount,
  editAccountField,
  newAccount,
  saveAccountForm,
  setLiveTrading,
  setVerifyKeys,
  showKeyInputs,
} from './actions'
import { ConfirmForm, Modal } from './Dialogs'
import { useTradingStore, type AccountEditor, type EditorField } from './store'

function VenueBadge({ account }: { account: Pick<Account, 'venue'> }) {
  const live = account.venue === 'live'
  return <span className={`badge ${live ? 'badge-live' : 'badge-paper'}`}>{live ? 'LIVE' : 'PAPER'}</span>
}

/** What a paper account's fills are priced on. */
export function paperNote(a: Pick<Account, 'exchangeId'>): string {
  return a.exchangeId === 'paper'
    ? 'Simulated fills on demo prices'
    : `Simulated fills on ${a.exchangeId} public prices`
}

/** Where a live account's orders go, and whether it has keys (only their masked hint). */
function whereNote(a: Account): string {
  if (a.venue === 'paper') return paperNote(a)
  const where = a.apiUrl ? `${a.exchangeId} via ${a.apiUrl}` : a.exchangeId
  return a.hasKeys ? `${where} · key ${a.keyHint ?? 'stored'}` : `${where} · no API keys`
}

/**
 * The live-trading switch of a live account: off refuses every order; turning it on asks for
 * a confirmation first (see `LiveOnDialog`), turning it off is immediate.
 */
function LiveSwitch({ account }: { account: Account }) {
  const busy = useTradingStore((s) => s.accountsDialog?.switching.includes(account.id) ?? false)
  const on = account.liveEnabled
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      aria-label={`Live trading for ${account.name}`}
      className={`tk-switch${on ? ' on' : ''}`}
      data-testid="account-live-toggle"
      data-account={account.id}
      disabled={busy}
      title={
        on ? 'Live trading is on: orders are sent with real funds' : 'Live trading is off: orders are refused'
      }
      onClick={() => setLiveTrading(account.id, !on)}
    >
      <span className="tk-switch-track" aria-hidden="true">
        <span className="tk-switch-knob" />
      </span>
      <span>{on ? 'Live trading on' : 'Live trading off'}</span>
    </button>
  )
}

function AccountList() {
  const accounts = useTradingStore((s) => s.accounts)
  const selected = useTradingStore((s) => s.accountId)
  return (
    <div className="tk-acc-body">
      <ul className="tk-acc-list" data-testid="accounts-list">
        {accounts.map((a) => (
          <li
            key={a.id}
            className={`tk-acc-row${a.venue === 'live' ? ' tk-acc-row-live' : ''}`}
            data-testid="accounts-row"
            data-account={a.id}
            data-venue={a.venue}
          >
            <div className="tk-acc-row-main">
              <VenueBadge account={a} />
              <span className="tk-acc-name">{a.name}</span>
              {a.id === selected && <span className="tk-muted">· in use</span>}
              <span className="tk-acc-row-actions">
                <button
                  type="button"
                  className="btn btn-small"
                  data-testid="accounts-edit"
                  onClick={() => editAccount(a.id)}
                >
                  Edit
                </button>
                {a.id !== DEMO_ACCOUNT_ID && (
                  <button
                    type="button"
                    className="btn btn-small tk-acc-delete"
                    data-testid="accounts-delete"
                    aria-label={`Delete ${a.name}`}
                    onClick={() => void askDeleteAccount(a.id)}
                  >
                    Delete…
                  </button>
                )}
              </span>
            </div>
            <div className="tk-acc-row-note">
              <span className="tk-acc-where">{whereNote(a)}</span>
              {a.venue === 'live' && <LiveSwitch account={a} />}
            </div>
          </li>
        ))}
      </ul>
      <div className="tk-dialog-actions">
        <button
          type="button"
          className="btn"
          data-testid="accounts-add-paper"
          onClick={() => newAccount('paper')}
        >
          Add paper account
        </button>
        <button
          type="button"
          className="btn"
          data-testid="accounts-add-live"
          onClick={() => newAccount('live')}
        >
          Add live account
        </button>
        <span className="tk-acc-spacer" />
        <button type="button" className="btn" onClick={closeAccounts} autoFocus>
          Close
        </button>
      </div>
    </div>
  )
}

/** One labelled field of the editor, with the engine's message for it underneath. */
function Field({
  label,
  hint,
  error,
  field,
  children,
}: {
  label: string
  hint?: string
  error: string | undefined
  field: EditorField
  children: (id: string) => ReactNode
}) {
  const id = useId()
  return (
    <div className={`tk-acc-field${error ? ' tk-acc-field-invalid' : ''}`} data-field={field}>
      <label className="tk-acc-label" htmlFor={id}>
        {label}
        {hint && <span className="tk-acc-hint"> — {hint}</span>}
      </label>
      {children(id)}
      {error && (
        <div className="tk-acc-error" role="alert" data-testid={`account-error-${field}`}>
          {error}
        </div>
      )}
    </div>
  )
}

/** An exchange id, with every id `exchange.list` knows offered as suggestions. */
function ExchangeInput({
  id,
  value,
  placeholder,
  invalid,
}: {
  id: string
  value: string
  placeholder: string
  invalid: boolean
}) {
  const exchanges = useTradingStore((s) => s.exchanges)
  const listId = useId()
  return (
    <>
      <input
        id={id}
        className="tk-acc-input"
        data-testid="account-exchange"
        list={listId}
        value={value}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={invalid}
        onChange={(ev) => editAccountField({ exchangeId: ev.target.value })}
      />
      <datalist id={listId}>
        {exchanges.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name}
          </option>
        ))}
      </datalist>
    </>
  )
}

/**
 * What is known of the stored keys: stored without a check, being checked, accepted or refused
 * by the exchange. "Check keys" asks the exchange with one signed request (stored keys are never
 * read back into this window); refused keys can be replaced right there.
 */
function KeysChecked({ exchangeId }: { exchangeId: string }) {
  const check = useTradingStore((s) => s.keysChecked[exchangeId])
  const checkButton = (label: string) => (
    <button
      type="button"
      className="btn btn-small"
      data-testid="account-check-keys"
      title={`One signed request to ${exchangeId} (the balance) with the stored keys`}
      onClick={() => void checkStoredKeys(exchangeId)}
    >
      {label}
    </button>
  )
  switch (check?.state) {
    case 'checking':
      return (
        <span className="tk-muted" data-testid="account-keys-checking">
          checking with {exchangeId}…
        </span>
      )
    case 'ok':
      return (
        <span
          className="tk-acc-checked"
          data-testid="account-keys-checked"
          title={`at ${new Date(check.at).toLocaleString()}`}
        >
          ✓ checked with {exchangeId}
        </span>
      )
    case 'failed':
      return (
        <span
          className={check.refused ? 'tk-acc-unchecked tk-acc-refused' : 'tk-acc-unchecked'}
          data-testid="account-keys-failed"
        >
          <span data-testid="account-keys-failed-text">
            {check.refused ? `✗ refused by ${exchangeId}: ` : `could not check: `}
            {check.message}
          </span>
          {checkButton('Check again')}
        </span>
      )
    case 'unchecked':
      return (
        <span className="tk-acc-unchecked" data-testid="account-keys-unchecked">
          not checked
          {checkButton('Check keys')}
        </span>
      )
    default:
      return checkButton('Check keys')
  }
}

function AccountForm({ editor }: { editor: AccountEditor }) {
  const account = useTradingStore((s) =>
    editor.id === null ? undefined : s.accounts.find((a) => a.id === editor.id),
  )
  const live = editor.venue === 'live'
  const adding = editor.id === null
  const keysShown = editor.replaceKeys || !account?.hasKeys
  const e = editor.errors
  return (
    <form
      method="dialog"
      className="tk-acc-form"
      data-testid="account-form"
      data-venue={editor.venue}
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault()
        const data = new FormData(ev.currentTarget)
        const text = (k: string): string => {
          const v = data.get(k)
          return typeof v === 'string' ? v : ''
        }
        void saveAccountForm({ apiKey: text('apiKey'), secret: text('secret') })
      }}
    >
      <div className="tk-dialog-head">
        <VenueBadge account={editor} />
        <span>
          {adding ? `New ${live ? 'live' : 'paper'} account` : `Edit “${account?.name ?? editor.name}”`}
        </span>
      </div>
      <Field label="Name" error={e.name} field="name">
        {(id) => (
          <input
            id={id}
            className="tk-acc-input"
            data-testid="account-name"
            value={editor.name}
            maxLength={80}
            autoFocus
            aria-invalid={e.name !== undefined}
            onChange={(ev) => editAccountField({ name: ev.target.value })}
          />
        )}
      </Field>
      {live ? (
        <>
          <Field label="Exchange" hint="ccxt id" error={e.exchangeId} field="exchangeId">
            {(id) => (
              <ExchangeInput
                id={id}
                value={editor.exchangeId}
                placeholder="binance"
                invalid={e.exchangeId !== undefined}
              />
            )}
          </Field>
          <Field label="API URL" hint="testnet or local simulator" error={e.apiUrl} field="apiUrl">
            {(id) => (
              <input
                id={id}
                className="tk-acc-input"
                data-testid="account-api-url"
                value={editor.apiUrl}
                placeholder="The exchange’s own"
                spellCheck={false}
                autoComplete="off"
                aria-invalid={e.apiUrl !== undefined}
                onChange={(ev) => editAccountField({ apiUrl: ev.target.value })}
              />
            )}
          </Field>
          {editor.keysRemoved.map((reason) => (
            <div key={reason} className="tk-acc-removed" role="status" data-testid="account-keys-removed">
              {reason}
            </div>
          ))}
          {keysShown ? (
            <>
              <Field label="API key" error={e.apiKey} field="apiKey">
                {(id) => (
                  <input
                    id={id}
                    name="apiKey"
                    type="password"
                    className="tk-acc-input"
                    data-testid="account-api-key"
                    autoComplete="off"
                    spellCheck={false}
                    placeholder={account?.hasKeys ? 'New API key' : 'Optional until you trade'}
                    aria-invalid={e.apiKey !== undefined}
                  />
                )}
              </Field>
              <Field label="Secret" error={e.secret} field="secret">
                {(id) => (
                  <input
                    id={id}
                    name="secret"
                    type="password"
                    className="tk-acc-input"
                    data-testid="account-secret"
                    autoComplete="off"
                    spellCheck={false}
                    placeholder={account?.hasKeys ? 'New secret' : 'Stored encrypted, never shown again'}
                    aria-invalid={e.secret !== undefined}
                  />
                )}
              </Field>
              <label className="tk-acc-check">
                <input
                  type="checkbox"
                  data-testid="account-verify-keys"
                  checked={editor.verifyKeys}
                  onChange={(ev) => setVerifyKeys(ev.target.checked)}
                />
                <span>
                  Check them with {editor.exchangeId.trim() || 'the exchange'} before storing (a signed
                  balance request; nothing is stored if it fails)
                </span>
              </label>
              {account?.hasKeys && (
                <button
                  type="button"
                  className="btn btn-small tk-acc-keys-btn"
                  onClick={() => showKeyInputs(false)}
                >
                  Keep the stored keys
                </button>
              )}
            </>
          ) : (
            <div className="tk-acc-field" data-field="keys">
              <span className="tk-acc-label">API keys</span>
              <div className="tk-acc-keys">
                <span
                  className="tk-acc-hint-value"
                  data-testid="account-key-hint"
                  title="The API key, masked"
                >
                  {account?.keyHint ?? 'stored'}
                </span>
                <span className="tk-muted">secret stored encrypted</span>
                <KeysChecked exchangeId={account?.exchangeId ?? editor.exchangeId} />
                <span className="tk-acc-keys-btns">
                  <button
                    type="button"
                    className="btn btn-small"
                    data-testid="account-replace-keys"
                    onClick={() => showKeyInputs(true)}
                  >
                    Replace keys
                  </button>
                  <button
                    type="button"
                    className="btn btn-small tk-acc-delete"
                    data-testid="account-remove-keys"
                    onClick={() => askRemoveKeys(account?.exchangeId ?? editor.exchangeId)}
                  >
                    Remove keys…
                  </button>
                </span>
              </div>
            </div>
          )}
          {account && account.venue === 'live' && (
            <div className="tk-acc-field" data-field="liveEnabled">
              <span className="tk-acc-label">Live trading</span>
              <div className="tk-acc-keys">
                <LiveSwitch account={account} />
              </div>
              {e.liveEnabled && <div className="tk-acc-error">{e.liveEnabled}</div>}
            </div>
          )}
          {adding && (
            <p className="tk-dialog-text">
              Live trading starts switched off; turn it on here once the account is saved.
            </p>
          )}
        </>
      ) : (
        <>
          <Field
            label="Prices"
            hint="optional: an exchange’s public prices"
            error={e.exchangeId}
            field="exchangeId"
          >
            {(id) => (
              <ExchangeInput
                id={id}
                value={editor.exchangeId}
                placeholder="Demo market"
                invalid={e.exchangeId !== undefined}
              />
            )}
          </Field>
          <p className="tk-dialog-text">
            Simulated fills: no keys, no real funds, no order ever leaves Candlework. Reset its balance from
            the blotter.
          </p>
        </>
      )}
      {(e.form ?? e.venue) && (
        <div className="tk-acc-error tk-acc-error-form" role="alert" data-testid="account-error-form">
          {e.form ?? e.venue}
        </div>
      )}
      <div className="tk-dialog-actions">
        {editor.saved && (
          <span className="tk-acc-saved" data-testid="account-saved">
            Saved
          </span>
        )}
        <span className="tk-acc-spacer" />
        <button type="button" className="btn" data-testid="account-back" onClick={backToAccounts}>
          {adding ? 'Cancel' : 'Back'}
        </button>
        <button
          type="submit"
          className={`btn tk-btn-solid ${live ? 'tk-btn-live' : 'tk-btn-primary'}`}
          data-testid="account-save"
          disabled={editor.saving}
        >
          {editor.saving ? 'Saving…' : adding ? 'Add account' : 'Save'}
        </button>
      </div>
    </form>
  )
}

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
        <AccountForm key={editor.id ?? `new-${editor.venue}`} editor={editor} />
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

/** Confirms switching a live account's trading on: from then on its orders are real. */
export function LiveOnDialog() {
  const id = useTradingStore((s) => s.accountsDialog?.liveOn ?? null)
  const account = useTradingStore((s) => (id === null ? undefined : s.accounts.find((a) => a.id === id)))
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
          Real orders will be sent to <strong>{account?.exchangeId}</strong>
          {account?.apiUrl ? ` (${account.apiUrl})` : ''} with real funds. Each order still asks for your
          confirmation before it is sent; switching live trading off again takes effect at once.
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
