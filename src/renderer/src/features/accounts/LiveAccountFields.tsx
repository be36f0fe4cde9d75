import type { Account } from '../../../../shared/domain/trading'
import type { Credential } from '../../../../shared/domain/credentials'
import { editAccountField, showKeyInputs } from './account-form-actions'
import { AccountField } from './AccountField'
import { CredentialInputs } from './CredentialInputs'
import { ExchangePicker } from './ExchangePicker'
import { LiveSwitch } from './LiveSwitch'
import { NewKeysCheck } from './NewKeysCheck'
import { StoredKeys } from './StoredKeys'
import { useTradingStore, type AccountEditor } from '../desk/store'

/** Until the list has loaded: what most exchanges' keys consist of. */
const DEFAULT_CREDENTIALS: readonly Credential[] = ['apiKey', 'secret']

/**
 * A live account's part of the editor: its exchange (from the picker), its API URL, its keys (the
 * credentials the exchange requires, checked before they are stored, or the stored ones' masked
 * hint) and its live switch.
 */
export function LiveAccountFields({
  editor,
  account,
  onKeysTyped,
}: {
  editor: AccountEditor
  account: Account | undefined
  onKeysTyped: (any: boolean) => void
}) {
  const exchangeId = editor.exchangeId
  const info = useTradingStore((s) => s.exchanges.find((x) => x.id === exchangeId))
  const name = info?.name ?? exchangeId
  const required = info?.credentials ?? DEFAULT_CREDENTIALS
  const keysShown = editor.replaceKeys || !account?.hasKeys
  const e = editor.errors
  return (
    <>
      <AccountField label="Exchange" error={e.exchangeId} field="exchangeId">
        {(id) => (
          <ExchangePicker
            id={id}
            value={exchangeId}
            invalid={e.exchangeId !== undefined}
            onChange={(x) => editAccountField({ exchangeId: x })}
          />
        )}
      </AccountField>
      <AccountField label="API URL" hint="testnet or local simulator" error={e.apiUrl} field="apiUrl">
        {(id) => (
          <input
            id={id}
            className="tk-acc-input"
            data-testid="account-api-url"
            value={editor.apiUrl}
            placeholder={`${name || 'The exchange'}’s own`}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={e.apiUrl !== undefined}
            onChange={(ev) => editAccountField({ apiUrl: ev.target.value })}
          />
        )}
      </AccountField>
      {editor.keysRemoved.map((reason) => (
        <div key={reason} className="tk-acc-removed" role="status" data-testid="account-keys-removed">
          {reason}
        </div>
      ))}
      {keysShown ? (
        <>
          {exchangeId === '' ? (
            <p className="tk-dialog-text">Choose the exchange to enter its API keys.</p>
          ) : (
            <CredentialInputs
              key={exchangeId}
              editor={editor}
              exchange={name}
              required={required}
              replacing={account?.hasKeys === true}
              onTyped={onKeysTyped}
            />
          )}
          <NewKeysCheck editor={editor} name={name} />
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
        account && <StoredKeys account={account} name={name} />
      )}
      {account && account.mode === 'live' && (
        <div className="tk-acc-field" data-field="liveEnabled">
          <span className="tk-acc-label">Live trading</span>
          <div className="tk-acc-keys">
            <LiveSwitch account={account} />
          </div>
          {e.liveEnabled && (
            <div className="tk-acc-error" role="alert" data-testid="account-error-liveEnabled">
              {e.liveEnabled}
            </div>
          )}
        </div>
      )}
      {!account && editor.keysCheck === null && (
        <p className="tk-dialog-text">
          Keys are checked with {name || 'the exchange'} (one signed balance request) before anything is
          saved. Live trading starts switched off; it can be turned on once the keys check.
        </p>
      )}
    </>
  )
}
