import type { Account } from '../../../../shared/domain/trading'
import { showKeyInputs } from './account-form-actions'
import { askRemoveKeys, checkStoredKeys } from './account-keys-actions'
import { useTradingStore } from '../desk/store'

/**
 * What is known of the stored keys: stored without a check, being checked, accepted or refused by
 * the exchange. "Check keys" asks the exchange with one signed request (stored keys are never read
 * back into this window); refused keys can be replaced right there.
 */
function KeysChecked({ exchangeId, name }: { exchangeId: string; name: string }) {
  const check = useTradingStore((s) => s.keysChecked[exchangeId])
  const checkButton = (label: string) => (
    <button
      type="button"
      className="btn btn-small"
      data-testid="account-check-keys"
      title={`One signed request to ${name} (the balance) with the stored keys`}
      onClick={() => void checkStoredKeys(exchangeId)}
    >
      {label}
    </button>
  )
  switch (check?.state) {
    case 'checking':
      return (
        <span className="tk-muted" data-testid="account-keys-checking">
          checking with {name}…
        </span>
      )
    case 'ok':
      return (
        <span
          className="tk-acc-checked"
          data-testid="account-keys-checked"
          title={`at ${new Date(check.at).toLocaleString()}`}
        >
          ✓ checked with {name}
        </span>
      )
    case 'failed':
      return (
        <span
          className={check.refused ? 'tk-acc-unchecked tk-acc-refused' : 'tk-acc-unchecked'}
          data-testid="account-keys-failed"
        >
          <span data-testid="account-keys-failed-text">
            {check.refused ? '✗ ' : 'could not check: '}
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

/** A live account's stored keys: the masked hint, their check, and replacing or removing them. */
export function StoredKeys({ account, name }: { account: Account; name: string }) {
  return (
    <div className="tk-acc-field" data-field="keys">
      <span className="tk-acc-label">API keys</span>
      <div className="tk-acc-keys">
        <span className="tk-acc-hint-value" data-testid="account-key-hint" title="The API key, masked">
          {account.keyHint ?? 'stored'}
        </span>
        <span className="tk-muted">stored encrypted</span>
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
            onClick={() => askRemoveKeys(account.exchangeId)}
          >
            Remove keys…
          </button>
        </span>
      </div>
      <div className="acc-keys-check">
        <KeysChecked exchangeId={account.exchangeId} name={name} />
      </div>
    </div>
  )
}
