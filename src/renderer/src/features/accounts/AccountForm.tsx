import { useState } from 'react'
import { CREDENTIALS, type Credentials } from '../../../../shared/domain/credentials'
import { backToAccounts, editAccountField, saveAccountForm } from './account-form-actions'
import { AccountField } from './AccountField'
import { ModeBadge } from './AccountList'
import { LiveAccountFields } from './LiveAccountFields'
import { PaperAccountFields } from './PaperAccountFields'
import { useTradingStore, type AccountEditor } from '../desk/store'

/** The credentials typed into the form (only those with an input, and only when saved). */
function typedCredentials(form: HTMLFormElement): Credentials {
  const data = new FormData(form)
  const out: Credentials = {}
  for (const c of CREDENTIALS) {
    const v = data.get(c)
    if (typeof v === 'string') out[c] = v
  }
  return out
}

/** Adds or edits one account: its name, then a live or a paper account's own fields. */
export function AccountForm({ editor }: { editor: AccountEditor }) {
  const account = useTradingStore((s) =>
    editor.id === null ? undefined : s.accounts.find((a) => a.id === editor.id),
  )
  const [keysTyped, setKeysTyped] = useState(false)
  const live = editor.mode === 'live'
  const adding = editor.id === null
  const keysShown = live && (editor.replaceKeys || !account?.hasKeys)
  const checking = keysShown && keysTyped
  const e = editor.errors
  const saveLabel = editor.saving
    ? editor.keysCheck?.state === 'checking'
      ? 'Checking keys…'
      : 'Saving…'
    : checking
      ? adding
        ? 'Check keys and add'
        : 'Check keys and save'
      : adding
        ? 'Add account'
        : 'Save'
  return (
    <form
      method="dialog"
      className="tk-acc-form"
      data-testid="account-form"
      data-mode={editor.mode}
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault()
        const submitter = (ev.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null
        const intent = submitter?.value === 'unchecked' ? 'unchecked' : 'check'
        void saveAccountForm(typedCredentials(ev.currentTarget), intent)
      }}
    >
      <div className="tk-dialog-head">
        <ModeBadge account={editor} />
        <span>
          {adding ? `New ${live ? 'live' : 'paper'} account` : `Edit “${account?.name ?? editor.name}”`}
        </span>
      </div>
      <AccountField label="Name" error={e.name} field="name">
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
      </AccountField>
      {live ? (
        <LiveAccountFields editor={editor} account={account} onKeysTyped={setKeysTyped} />
      ) : (
        <PaperAccountFields editor={editor} />
      )}
      {(e.form ?? e.mode ?? e.checkKeys) && (
        <div className="tk-acc-error tk-acc-error-form" role="alert" data-testid="account-error-form">
          {e.form ?? e.mode ?? e.checkKeys}
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
          name="intent"
          value="check"
          className={`btn tk-btn-solid ${live ? 'tk-btn-live' : 'tk-btn-primary'}`}
          data-testid="account-save"
          disabled={editor.saving}
        >
          {saveLabel}
        </button>
      </div>
    </form>
  )
}
