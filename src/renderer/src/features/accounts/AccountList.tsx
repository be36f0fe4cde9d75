import type { Account, AccountMode } from '../../../../shared/domain/trading'
import { DEMO_ACCOUNT_ID } from './actions'
import { closeAccounts, editAccount, newAccount } from './account-form-actions'
import { askDeleteAccount } from './account-keys-actions'
import { LiveSwitch } from './LiveSwitch'
import { useTradingStore, type TradingStateShape } from '../desk/store'

/** The word each account's badge shows: LIVE (real money, in red) only for live accounts. */
export const MODE_WORD: Record<AccountMode, string> = { paper: 'PAPER', live: 'LIVE', imported: 'IMPORTED' }

export function ModeBadge({ account }: { account: Pick<Account, 'mode'> }) {
  const live = account.mode === 'live'
  return <span className={`badge ${live ? 'badge-live' : 'badge-paper'}`}>{MODE_WORD[account.mode]}</span>
}

/** Why an imported account's ticket is off (the engine refuses its orders in the same words). */
export const importedReason = (a: Pick<Account, 'name'>): string =>
  `${a.name} holds imported trades; it cannot place orders`

const nameOf = (s: Pick<TradingStateShape, 'exchanges'>, id: string): string =>
  s.exchanges.find((x) => x.id === id)?.name ?? id

/** What a paper account's fills are priced on. */
export function paperNote(a: Pick<Account, 'exchangeId'>, name: string = a.exchangeId): string {
  return a.exchangeId === 'paper'
    ? 'Simulated fills on demo prices'
    : `Simulated fills on ${name} public prices`
}

/** Where a live account's orders go, and whether it has keys (only their masked hint). */
function whereNote(a: Account, name: string): string {
  if (a.mode === 'paper') return paperNote(a, name)
  if (a.mode === 'imported')
    return `Imported trades${a.exchangeId === 'paper' ? '' : ` from ${name}`}; places no orders`
  const where = a.apiUrl ? `${name} via ${a.apiUrl}` : name
  return a.hasKeys ? `${where} · key ${a.keyHint ?? 'stored'}` : `${where} · no API keys`
}

function AccountRow({ a, selected }: { a: Account; selected: boolean }) {
  const name = useTradingStore((s) => nameOf(s, a.exchangeId))
  return (
    <li
      className={`tk-acc-row${a.mode === 'live' ? ' tk-acc-row-live' : ''}`}
      data-testid="accounts-row"
      data-account={a.id}
      data-mode={a.mode}
    >
      <div className="tk-acc-row-main">
        <ModeBadge account={a} />
        <span className="tk-acc-name">{a.name}</span>
        {selected && <span className="tk-muted">· in use</span>}
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
        <span className="tk-acc-where">{whereNote(a, name)}</span>
        {a.mode === 'live' && <LiveSwitch account={a} />}
      </div>
    </li>
  )
}

/** Every account, with its live switch, and the buttons that add one. */
export function AccountList() {
  const accounts = useTradingStore((s) => s.accounts)
  const selected = useTradingStore((s) => s.accountId)
  return (
    <div className="tk-acc-body">
      <ul className="tk-acc-list" data-testid="accounts-list">
        {accounts.map((a) => (
          <AccountRow key={a.id} a={a} selected={a.id === selected} />
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
