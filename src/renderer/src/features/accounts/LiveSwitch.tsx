import type { Account } from '../../../../shared/domain/trading'
import { liveSwitchBlocked, setLiveTrading } from './account-keys-actions'
import { useTradingStore } from '../desk/store'

/**
 * The live-trading switch of a live account: off refuses every order; turning it on asks for a
 * confirmation first (`LiveOnDialog`), after which the engine checks the keys with a signed
 * request and refuses with the reason if they do not check. Without keys, or with keys this
 * window saw fail or stored unchecked, it cannot be turned on and says why.
 */
export function LiveSwitch({ account }: { account: Account }) {
  const busy = useTradingStore((s) => s.accountsDialog?.switching.includes(account.id) ?? false)
  const blocked = useTradingStore((s) => liveSwitchBlocked(s, account.id))
  const on = account.liveEnabled
  return (
    <span className="acc-switch">
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-label={`Live trading for ${account.name}`}
        className={`tk-switch${on ? ' on' : ''}`}
        data-testid="account-live-toggle"
        data-account={account.id}
        disabled={busy || blocked !== null}
        title={
          blocked ??
          (on
            ? 'Live trading is on: orders are sent with real funds'
            : 'Live trading is off: orders are refused')
        }
        onClick={() => setLiveTrading(account.id, !on)}
      >
        <span className="tk-switch-track" aria-hidden="true">
          <span className="tk-switch-knob" />
        </span>
        <span>{busy && !on ? 'Checking keys…' : on ? 'Live trading on' : 'Live trading off'}</span>
      </button>
      {blocked !== null && (
        <span className="acc-switch-why" data-testid="account-live-blocked">
          {blocked}
        </span>
      )}
    </span>
  )
}
