import type { AccountEditor } from '../desk/store'

/**
 * New keys being checked before they are stored, or why they did not check, in the engine's words
 * (nothing was saved then). The trader can try again, or choose to store them unchecked: the
 * account is saved with live trading off, and the switch stays off until the keys check.
 */
export function NewKeysCheck({ editor, name }: { editor: AccountEditor; name: string }) {
  const check = editor.keysCheck
  if (check === null) return null
  if (check.state === 'checking') {
    return (
      <div className="acc-check acc-check-busy" role="status" data-testid="account-check-running">
        Checking the keys with {name}: one signed request for the balance…
      </div>
    )
  }
  return (
    <div className="acc-check acc-check-failed" role="alert" data-testid="account-check-failed">
      <div className="acc-check-title">
        {check.refused ? 'The keys did not check' : 'The keys could not be checked'}: nothing was saved
      </div>
      <div className="acc-check-text" data-testid="account-check-failed-text">
        {check.message}
      </div>
      <div className="acc-check-actions">
        <button type="submit" name="intent" value="check" className="btn btn-small" disabled={editor.saving}>
          Check again
        </button>
        <button
          type="submit"
          name="intent"
          value="unchecked"
          className="btn btn-small tk-acc-delete"
          data-testid="account-save-unchecked"
          disabled={editor.saving}
          title="Stores the keys as typed; live trading stays off until they check"
        >
          Save without checking
        </button>
      </div>
      <div className="acc-check-note">
        Saved unchecked, the account keeps live trading off until its keys check.
      </div>
    </div>
  )
}
