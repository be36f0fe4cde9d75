import type { AppErrorShape } from '../../../../shared/contract/errors'
import type { StartingBalance } from '../../../../shared/domain/starting-balances'
import { client, onReconnected } from '../../connection'
import { slot } from '../../sync/index'
import { type Scope } from '../../sync/scope'
import { notify, reportError } from '../notices/store'
import { usePreferences } from '../settings/store'
import { listsAccount, refreshAll, stopLists, watchLists } from '../blotter/actions'
import { formatQty } from '../desk/format'
import { useTradingStore } from '../desk/store'
import { lookUpLost } from '../ticket/submission'
import { scheduleValidate, stopChecking } from '../ticket/actions'
import { followMarket, unfollowMarket } from './account-market'

const get = useTradingStore.getState
const set = useTradingStore.setState

const ACCOUNT_KEY = 'candlework.trading.account.v1'
/** The built-in paper account (the engine's DEFAULT_ACCOUNT_ID): always there, never deleted. */
export const DEMO_ACCOUNT_ID = 'demo-paper'

/** The trading panel while it is open: answers for an earlier opening are dropped. */
const panel = slot()

/**
 * Opens the trading panel's feeds: the accounts, then the chosen account's orders, fills,
 * positions, balances and reconciliation events, kept current from `trading.updates`.
 * Returns what closes them.
 */
export function openTrading(): () => void {
  const mine = panel.open()
  void loadAccounts(mine)
  // `trading.updates` comes back by itself; what changed while away is fetched again.
  mine.onClose(
    onReconnected(() => {
      refreshAll()
      // Orders whose answer was lost while the link was down are looked up by their ids now.
      lookUpLost()
    }),
  )
  return () => {
    if (!mine.active) return
    panel.close(mine)
    unfollowMarket()
    stopLists()
    stopChecking()
  }
}

export async function loadAccounts(mine: Scope | null = panel.current): Promise<void> {
  if (!mine) return
  set({ accountsState: 'loading' })
  const res = await mine.invoke('trading.accounts', {}, 'accounts')
  if (!res) return
  if (!res.ok) {
    set({ accountsState: 'error' })
    reportError('Could not load the trading accounts', res.error, {
      label: 'Retry',
      run: () => void loadAccounts(),
    })
    return
  }
  const accounts = res.value
  set({ accounts, accountsState: 'ready' })
  // On opening: the default account of Settings if there is one, else the one shown last.
  const wanted = get().accountId ?? usePreferences.getState().prefs.defaultAccountId ?? readAccount()
  const chosen =
    accounts.find((a) => a.id === wanted) ?? accounts.find((a) => a.id === DEMO_ACCOUNT_ID) ?? accounts[0]
  if (chosen) watchAccount(chosen.id)
}

/** Switches the panel to another account (the ticket keeps what was typed). */
export function chooseAccount(accountId: string): void {
  if (listsAccount() === accountId) return
  if (!get().accounts.some((a) => a.id === accountId)) return
  saveAccount(accountId)
  watchAccount(accountId)
}

/** Shows an account: its lists (the blotter), its market (the chart and the ticket), and the ticket's check. */
function watchAccount(accountId: string): void {
  unfollowMarket()
  set({ accountId, outcome: null, confirm: null, resetOpen: false, closing: null })
  watchLists(accountId, accountGone)
  // The account's own market: what the chart view lists and charts, and the ticket trades.
  followMarket(accountId, () => scheduleValidate(0))
  scheduleValidate(0)
}

export function openReset(open: boolean): void {
  set({ resetOpen: open })
}

/**
 * Resets the selected paper account (after the trader confirmed) to `startingBalances`, which it
 * keeps from then on, or to the ones it has. Answers with the engine's refusal, if any, for the
 * dialog to show beside the balances.
 */
export async function resetPaper(startingBalances?: StartingBalance[]): Promise<AppErrorShape | null> {
  const account = get().accounts.find((a) => a.id === get().accountId)
  if (!account || account.mode !== 'paper') {
    set({ resetOpen: false })
    return null
  }
  const res = await client().invoke('trading.resetPaper', {
    accountId: account.id,
    ...(startingBalances ? { startingBalances } : {}),
  })
  if (!res.ok) {
    if (res.error.kind !== 'validation') reportError(`Could not reset "${account.name}"`, res.error)
    return res.error
  }
  set({ resetOpen: false })
  const cash = res.value.map((b) => `${formatQty(b.total, b.decimals)} ${b.asset}`).join(', ')
  notify('info', `"${account.name}" reset`, `Orders and fills cleared; balance ${cash}.`)
  set({ outcome: null })
  refreshAll()
  return null
}

/** An account no longer exists: out of the list, and the panel falls back to Demo paper if it was shown. */
export function accountGone(accountId: string): void {
  set((s) => ({ accounts: s.accounts.filter((a) => a.id !== accountId) }))
  if (get().accountId !== accountId) return
  const fallback = get().accounts.find((a) => a.id === DEMO_ACCOUNT_ID) ?? get().accounts[0]
  if (fallback) {
    saveAccount(fallback.id)
    watchAccount(fallback.id)
  } else {
    void loadAccounts()
  }
}

// ------------------------------------------------------------------ helpers

function readAccount(): string | null {
  try {
    return localStorage.getItem(ACCOUNT_KEY)
  } catch {
    return null
  }
}

function saveAccount(id: string): void {
  try {
    localStorage.setItem(ACCOUNT_KEY, id)
  } catch {
    // Storage may be unavailable; the choice just won't survive a restart.
  }
}
