import { client } from '../../connection'
import { notify, reportError } from '../notices/store'
import { accountGone, DEMO_ACCOUNT_ID } from './actions'
import { backToAccounts, showKeyInputs } from './account-form-actions'
import {
  currentEditor,
  exchangeName,
  fieldMessage,
  forgetKeysCheck,
  get,
  keysGone,
  markKeys,
  mergeAccount,
  plural,
  set,
  setConnectionKeys,
  setDialog,
  setEditor,
} from './account-state'
import type { TradingStateShape } from '../desk/store'

/** Asks the exchange whether the stored keys still work (one signed request; nothing changes). */
export async function checkStoredKeys(exchangeId: string): Promise<void> {
  if (get().keysChecked[exchangeId]?.state === 'checking') return
  markKeys(exchangeId, { state: 'checking' })
  const res = await client().invoke('exchange.checkKeys', { exchange: exchangeId })
  markKeys(
    exchangeId,
    res.ok
      ? { state: 'ok', at: res.value.checkedAt }
      : { state: 'failed', refused: res.error.kind === 'auth_failed', message: res.error.message },
  )
}

/**
 * Why a live account's switch cannot be turned on from this window, or null. The engine has the
 * last word (it checks the keys with a signed request before switching on); this only spares the
 * trader a confirmation that cannot succeed: no keys, or keys this window saw fail or stored
 * unchecked.
 */
export function liveSwitchBlocked(
  s: Pick<TradingStateShape, 'accounts' | 'keysChecked'>,
  accountId: string,
): string | null {
  const account = s.accounts.find((a) => a.id === accountId)
  if (!account || account.mode !== 'live' || account.liveEnabled) return null
  if (!account.hasKeys) return 'Add API keys that check first'
  const check = s.keysChecked[account.exchangeId]
  if (check?.state === 'unchecked') return 'The keys were stored unchecked: check them first'
  if (check?.state === 'failed') return 'The keys did not check: check them again, or replace them'
  if (check?.state === 'checking') return 'Checking the keys…'
  return null
}

/**
 * The live-trading switch of a live account. Off takes effect at once; on first asks the trader
 * to confirm that real orders will be sent (`confirmLiveOn`), and the engine then checks the keys.
 */
export function setLiveTrading(accountId: string, on: boolean): void {
  const d = get().accountsDialog
  if (!d || d.switching.includes(accountId)) return
  if (on) {
    if (liveSwitchBlocked(get(), accountId) !== null) return
    set({ accountsDialog: { ...d, liveOn: accountId } })
    return
  }
  void writeLive(accountId, false)
}

export function confirmLiveOn(): void {
  const d = get().accountsDialog
  const id = d?.liveOn
  if (!d || id == null) return
  set({ accountsDialog: { ...d, liveOn: null } })
  void writeLive(id, true)
}

export function cancelLiveOn(): void {
  set((s) => (s.accountsDialog ? { accountsDialog: { ...s.accountsDialog, liveOn: null } } : {}))
}

async function writeLive(accountId: string, liveEnabled: boolean): Promise<void> {
  const account = get().accounts.find((a) => a.id === accountId)
  if (!account || account.mode !== 'live') return
  const switching = (f: (ids: string[]) => string[]): void =>
    set((s) =>
      s.accountsDialog
        ? { accountsDialog: { ...s.accountsDialog, switching: f(s.accountsDialog.switching) } }
        : {},
    )
  switching((ids) => [...ids, accountId])
  if (liveEnabled) markKeys(account.exchangeId, { state: 'checking' })
  // No exchange id: the engine keeps the account's connection as it is.
  const res = await client().invoke('trading.saveAccount', {
    id: account.id,
    name: account.name,
    mode: 'live',
    liveEnabled,
  })
  switching((ids) => ids.filter((x) => x !== accountId))
  const ed = currentEditor()
  if (!res.ok) {
    if (liveEnabled) {
      // Refused: what the check said about the keys (or that it could not be made).
      markKeys(account.exchangeId, {
        state: 'failed',
        refused: res.error.kind === 'auth_failed',
        message: fieldMessage(res.error).replace(/^Live trading stays off: /, ''),
      })
    }
    if (ed?.id === accountId)
      setEditor({ ...ed, errors: { ...ed.errors, liveEnabled: fieldMessage(res.error) } })
    reportError(
      `Could not switch live trading ${liveEnabled ? 'on' : 'off'} for “${account.name}”`,
      res.error,
    )
    return
  }
  if (liveEnabled) markKeys(account.exchangeId, { state: 'ok', at: Date.now() })
  if (ed?.id === accountId && ed.errors.liveEnabled !== undefined) {
    const errors = { ...ed.errors }
    delete errors.liveEnabled
    setEditor({ ...ed, errors })
  }
  const { keysRemoved, ...saved } = res.value
  mergeAccount(saved)
  keysGone(keysRemoved)
  notify(
    liveEnabled ? 'warning' : 'info',
    liveEnabled ? 'Live trading enabled' : 'Live trading off',
    liveEnabled
      ? `“${account.name}” sends real orders to ${exchangeName(account.exchangeId)}; its keys checked, and each order still asks for confirmation.`
      : `“${account.name}” refuses orders until live trading is switched on again.`,
  )
}

// ------------------------------------------------------------------ deleting accounts, removing keys

/**
 * Asks to delete an account: the engine first checks it (a dry run), so the confirmation can say
 * what would be lost, or why it cannot be deleted, before anything happens.
 */
export async function askDeleteAccount(accountId: string): Promise<void> {
  if (accountId === DEMO_ACCOUNT_ID || !get().accountsDialog) return
  setDialog({ deleting: { accountId, state: 'checking', preview: null, error: null } })
  const res = await client().invoke('trading.deleteAccount', { accountId, dryRun: true })
  const d = get().accountsDialog?.deleting
  if (d?.accountId !== accountId || d.state !== 'checking') return
  setDialog({
    deleting: res.ok
      ? { ...d, state: 'ready', preview: res.value }
      : { ...d, state: 'refused', error: res.error.message },
  })
}

export function cancelDeleteAccount(): void {
  setDialog({ deleting: null })
}

/** Deletes the account the trader confirmed; nothing is sent to any exchange. */
export async function confirmDeleteAccount(): Promise<void> {
  const d = get().accountsDialog?.deleting
  if (d?.state !== 'ready') return
  setDialog({ deleting: { ...d, state: 'deleting' } })
  const res = await client().invoke('trading.deleteAccount', { accountId: d.accountId, confirm: true })
  if (!res.ok) {
    const now = get().accountsDialog?.deleting
    if (now?.accountId === d.accountId)
      setDialog({ deleting: { ...now, state: 'refused', error: res.error.message } })
    else reportError('Could not delete the account', res.error)
    return
  }
  setDialog({ deleting: null })
  const ed = currentEditor()
  if (ed?.id === d.accountId) backToAccounts()
  accountGone(d.accountId)
  const { name, orders, fills } = res.value
  notify(
    'info',
    'Account deleted',
    `“${name}” and its ${plural(orders, 'order')} and ${plural(fills, 'fill')} are gone. Nothing was sent to the exchange.`,
  )
}

/** Asks to remove the stored API keys of an exchange connection. */
export function askRemoveKeys(exchangeId: string): void {
  setDialog({ removeKeys: { exchangeId, busy: false, error: null } })
}

export function cancelRemoveKeys(): void {
  setDialog({ removeKeys: null })
}

export async function confirmRemoveKeys(): Promise<void> {
  const r = get().accountsDialog?.removeKeys
  if (!r || r.busy) return
  setDialog({ removeKeys: { ...r, busy: true, error: null } })
  const res = await client().invoke('exchange.removeKeys', { exchange: r.exchangeId })
  if (!res.ok) {
    if (get().accountsDialog?.removeKeys?.exchangeId === r.exchangeId)
      setDialog({ removeKeys: { ...r, busy: false, error: res.error.message } })
    else reportError(`Could not remove the ${r.exchangeId} API keys`, res.error)
    return
  }
  setDialog({ removeKeys: null })
  setConnectionKeys(r.exchangeId, null)
  forgetKeysCheck(r.exchangeId)
  if (currentEditor()) showKeyInputs(true)
  const name = exchangeName(r.exchangeId)
  notify(
    'info',
    'API keys removed',
    `The ${name} keys are deleted from this computer; they stay valid on ${name} until you revoke them there.`,
  )
}
