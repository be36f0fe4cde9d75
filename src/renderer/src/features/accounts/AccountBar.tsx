import type { Account } from '../../../../shared/domain/trading'
import { MODE_WORD, paperNote } from './AccountList'
import { openAccounts } from './account-form-actions'
import { chooseAccount, loadAccounts } from './actions'
import { reconcileNow } from '../blotter/actions'
import { selectAccount, useTradingStore } from '../desk/store'

/** What the selector says about an account: where its orders go. */
export function accountLabel(a: Account): string {
  if (a.mode === 'live') return `${a.name} — LIVE`
  if (a.mode === 'imported') return `${a.name} — imported`
  return /\bpaper\b/i.test(a.name) ? a.name : `${a.name} — paper`
}

function whereNote(a: Account): string {
  if (a.mode === 'paper') return paperNote(a)
  if (a.mode === 'imported') return 'Imported trades; places no orders'
  const where = a.apiUrl ? `${a.exchangeId} via ${a.apiUrl}` : a.exchangeId
  return a.hasKeys ? `${where} · key ${a.keyHint ?? 'stored'}` : `${where} · no API keys`
}

/**
 * The account the ticket trades and the blotter shows. A live account is marked LIVE in red,
 * with its live-trading switch (set in the account's settings) visible next to it.
 */
export function AccountBar() {
  const accounts = useTradingStore((s) => s.accounts)
  const state = useTradingStore((s) => s.accountsState)
  const account = useTradingStore(selectAccount)
  const live = account?.mode === 'live'
  return (
    <div className={`tk-account${live ? ' tk-account-live' : ''}`} data-testid="trading-account">
      <div className="tk-account-row">
        <label className="tk-account-label" htmlFor="tk-account">
          Account
        </label>
        {account && (
          <span
            className={`badge ${live ? 'badge-live' : 'badge-paper'}`}
            data-testid="account-mode"
            title={
              live
                ? 'Orders go to the exchange with real funds'
                : account.mode === 'imported'
                  ? 'Trades imported from a file: no orders are placed'
                  : 'Orders are simulated: no real funds'
            }
          >
            {MODE_WORD[account.mode]}
          </span>
        )}
        <button
          type="button"
          className="tk-icon-btn"
          title="Reconcile orders and fills with the venue now"
          aria-label="Reconcile now"
          disabled={!account}
          onClick={() => void reconcileNow()}
        >
          ⟳
        </button>
      </div>
      {state === 'error' ? (
        <button type="button" className="btn btn-small" onClick={() => void loadAccounts()}>
          Retry loading accounts
        </button>
      ) : (
        <div className="tk-account-pick">
          <select
            id="tk-account"
            className="tk-select"
            data-testid="account-select"
            value={account?.id ?? ''}
            disabled={accounts.length === 0}
            onChange={(e) => chooseAccount(e.target.value)}
          >
            {accounts.length === 0 && <option value="">Loading accounts…</option>}
            {accounts.map((a) => (
              <option key={a.id} value={a.id} className={a.mode === 'live' ? 'tk-opt-live' : undefined}>
                {accountLabel(a)}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn-small tk-accounts-btn"
            data-testid="accounts-open"
            title="Add or edit paper and live accounts, API keys and the live-trading switch"
            onClick={openAccounts}
          >
            Accounts…
          </button>
        </div>
      )}
      {account && (
        <div className="tk-account-note">
          <span className="tk-account-where">{whereNote(account)}</span>
          {live && (
            <span
              className={`tk-live-switch ${account.liveEnabled ? 'on' : 'off'}`}
              data-testid="live-switch"
              data-enabled={account.liveEnabled}
              title={
                account.liveEnabled
                  ? 'Live trading is enabled for this account: every order still asks for confirmation'
                  : 'Live trading is switched off for this account: orders will be refused'
              }
            >
              <span className="tk-live-dot" aria-hidden="true" />
              {account.liveEnabled ? 'Live trading enabled' : 'Live trading off'}
            </span>
          )}
        </div>
      )}
    </div>
  )
}
