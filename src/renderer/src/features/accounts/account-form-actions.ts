import type { ParamsIn } from '../../../../shared/contract'
import {
  CREDENTIALS,
  credentialList,
  type Credential,
  type Credentials,
} from '../../../../shared/domain/credentials'
import type { StartingBalance } from '../../../../shared/domain/starting-balances'
import type { Account, AccountMode } from '../../../../shared/domain/trading'
import { client } from '../../connection'
import { inputLocale } from '../../lib/number-input'
import { notify, reportError } from '../notices/store'
import {
  currentEditor,
  exchangeName,
  fieldMessage,
  fieldOf,
  get,
  isCurrentEditor,
  keysGone,
  markKeys,
  mergeAccount,
  nextEditorSeq,
  set,
  setConnectionKeys,
  setEditor,
} from './account-state'
import { DEFAULT_STARTING_ROWS, readStartingRows } from './starting-rows'
import type { AccountEditor, EditorField, StartingRow } from '../desk/store'

/** Opens the accounts dialog on its list; the exchange picker's list loads with it. */
export function openAccounts(): void {
  nextEditorSeq()
  set({ accountsDialog: { editor: null, liveOn: null, switching: [], deleting: null, removeKeys: null } })
  if (get().exchanges.length === 0 && get().exchangesState !== 'loading') void loadExchanges()
}

export function closeAccounts(): void {
  nextEditorSeq()
  set({ accountsDialog: null })
}

/** The exchanges the picker offers (names and credentials), once per window. */
export async function loadExchanges(): Promise<void> {
  set({ exchangesState: 'loading' })
  const res = await client().invoke('exchange.list', {})
  if (!res.ok) {
    set({ exchangesState: 'error' })
    reportError('Could not load the list of exchanges', res.error, {
      label: 'Retry',
      run: () => void loadExchanges(),
    })
    return
  }
  set({ exchanges: res.value, exchangesState: 'ready' })
}

function editorFor(account: Account | null, mode: AccountMode): AccountEditor {
  return {
    id: account?.id ?? null,
    mode: account?.mode ?? mode,
    name: account?.name ?? '',
    // A paper account on the demo market has `paper` here: shown as "Demo market" by the picker.
    exchangeId: account && account.exchangeId !== 'paper' ? account.exchangeId : '',
    apiUrl: account?.apiUrl ?? '',
    replaceKeys: account === null && mode === 'live',
    saving: false,
    errors: {},
    saved: false,
    keysCheck: null,
    startingBalances:
      account === null && mode === 'paper' ? DEFAULT_STARTING_ROWS.map((r) => ({ ...r })) : [],
    startingErrors: {},
    keysRemoved: [],
  }
}

/** Starts adding a paper or a live account. */
export function newAccount(mode: AccountMode): void {
  nextEditorSeq()
  setEditor(editorFor(null, mode))
}

export function editAccount(accountId: string): void {
  const account = get().accounts.find((a) => a.id === accountId)
  if (!account) return
  nextEditorSeq()
  setEditor(editorFor(account, account.mode))
}

/** Back from the editor to the list of accounts (what was typed is dropped). */
export function backToAccounts(): void {
  nextEditorSeq()
  setEditor(null)
}

export function editAccountField(
  patch: Partial<Pick<AccountEditor, 'name' | 'exchangeId' | 'apiUrl'>>,
): void {
  const ed = currentEditor()
  if (!ed) return
  const errors = { ...ed.errors }
  for (const k of Object.keys(patch) as EditorField[]) delete errors[k]
  delete errors.form
  // Another exchange or address: a failed check of the typed keys no longer applies.
  const keysCheck = patch.exchangeId !== undefined || patch.apiUrl !== undefined ? null : ed.keysCheck
  setEditor({ ...ed, ...patch, errors, keysCheck, saved: false })
}

/** A credential input changed: its error, and a failed check of what was typed before, go. */
export function credentialTyped(c: Credential): void {
  const ed = currentEditor()
  if (!ed || (ed.errors[c] === undefined && ed.keysCheck === null)) return
  const errors = { ...ed.errors }
  delete errors[c]
  setEditor({ ...ed, errors, keysCheck: null })
}

/** Shows (or hides again) the API key inputs of an account that already has keys. */
export function showKeyInputs(on: boolean): void {
  const ed = currentEditor()
  if (!ed) return
  const errors = { ...ed.errors }
  for (const c of CREDENTIALS) delete errors[c]
  setEditor({ ...ed, replaceKeys: on, keysCheck: null, errors, saved: false })
}

export function editStartingRow(index: number, patch: Partial<StartingRow>): void {
  const ed = currentEditor()
  if (!ed) return
  const rows = ed.startingBalances.map((r, i) => (i === index ? { ...r, ...patch } : r))
  const startingErrors = { ...ed.startingErrors }
  delete startingErrors[index]
  setEditor({ ...ed, startingBalances: rows, startingErrors, saved: false })
}

export function addStartingRow(): void {
  const ed = currentEditor()
  if (ed) setEditor({ ...ed, startingBalances: [...ed.startingBalances, { asset: '', amount: '' }] })
}

export function removeStartingRow(index: number): void {
  const ed = currentEditor()
  if (!ed) return
  setEditor({
    ...ed,
    startingBalances: ed.startingBalances.filter((_, i) => i !== index),
    startingErrors: {},
  })
}

/** The credentials the editor's exchange requires (`exchange.list`), API key and secret until known. */
export function requiredCredentials(exchangeId: string): Credential[] {
  return get().exchanges.find((x) => x.id === exchangeId)?.credentials ?? ['apiKey', 'secret']
}

/**
 * Saves the editor's account. The credentials come straight from their inputs and are sent only
 * when typed; the engine stores them encrypted and answers with a masked hint. New keys are
 * checked with the exchange before anything is saved (`intent: 'check'`); after a failed check
 * the trader may choose to store them unchecked (`intent: 'unchecked'`), which the engine accepts
 * only with live trading off.
 */
export async function saveAccountForm(typed: Credentials, intent: 'check' | 'unchecked'): Promise<void> {
  const ed = currentEditor()
  if (!ed || ed.saving) return
  const existing = ed.id !== null ? get().accounts.find((a) => a.id === ed.id) : undefined
  const params: ParamsIn<'trading.saveAccount'> = { name: ed.name.trim(), mode: ed.mode }
  if (ed.id !== null) params.id = ed.id
  const errors: AccountEditor['errors'] = {}
  let startingErrors: Record<number, string> = {}
  const keys: Credentials = {}
  if (ed.name.trim() === '') errors.name = 'Give the account a name'
  if (ed.mode === 'live') {
    const exchangeId = ed.exchangeId.trim()
    if (exchangeId === '') errors.exchangeId = 'Choose the exchange'
    else params.exchangeId = exchangeId
    const url = ed.apiUrl.trim()
    if (url !== (existing?.apiUrl ?? '')) params.apiUrl = url === '' ? null : url
    if (ed.replaceKeys) {
      for (const [c, v] of Object.entries(typed) as [Credential, string][])
        if (v.trim() !== '') keys[c] = v.trim()
      const required = requiredCredentials(exchangeId)
      const missing = required.filter((c) => keys[c] === undefined)
      if (Object.keys(keys).length > 0 && missing.length > 0) {
        errors[missing[0]!] =
          `${exchangeName(exchangeId)} API keys consist of the ${credentialList(required)}: enter the ${credentialList(missing, required)} too`
      }
    }
  } else {
    // Paper: the demo market (`paper`), or the exchange whose public prices it trades on.
    const exchangeId = ed.exchangeId.trim() === '' ? 'paper' : ed.exchangeId.trim()
    if (exchangeId !== (existing?.exchangeId ?? 'paper')) params.exchangeId = exchangeId
    if (ed.id === null) {
      const rows = readStartingRows(ed.startingBalances, inputLocale())
      if (rows.ok) params.startingBalances = rows.value
      else startingErrors = rows.errors
    }
  }
  if (Object.keys(errors).length > 0 || Object.keys(startingErrors).length > 0) {
    setEditor({ ...ed, errors, startingErrors })
    return
  }
  const newKeys = Object.keys(keys).length > 0
  if (newKeys) Object.assign(params, keys, { checkKeys: intent === 'check' })
  const mine = nextEditorSeq()
  setEditor({
    ...ed,
    saving: true,
    errors: {},
    startingErrors: {},
    saved: false,
    keysRemoved: [],
    keysCheck: newKeys && intent === 'check' ? { state: 'checking' } : null,
  })
  const res = await client().invoke('trading.saveAccount', params)
  const now = currentEditor()
  const here = isCurrentEditor(mine) && now !== null
  if (!res.ok) {
    const field = fieldOf(res.error.path)
    if (!here) {
      reportError(`Could not save “${params.name}”`, res.error)
      return
    }
    // The check of new keys failed (refused, or the exchange could not be asked): nothing was saved.
    if (newKeys && intent === 'check' && field === 'form') {
      setEditor({
        ...now,
        saving: false,
        keysCheck: { state: 'failed', refused: res.error.kind === 'auth_failed', message: res.error.message },
      })
      return
    }
    const rowMatch = /startingBalances\[(\d+)\]/.exec(res.error.path ?? '')
    if (rowMatch) {
      setEditor({
        ...now,
        saving: false,
        keysCheck: null,
        startingErrors: { [Number(rowMatch[1])]: fieldMessage(res.error) },
      })
      return
    }
    setEditor({ ...now, saving: false, keysCheck: null, errors: { [field]: fieldMessage(res.error) } })
    if (field === 'form') reportError(`Could not save “${params.name}”`, res.error)
    return
  }
  const { keysRemoved: removed, ...saved } = res.value
  mergeAccount(saved)
  keysGone(removed)
  if (newKeys) {
    markKeys(saved.exchangeId, intent === 'check' ? { state: 'ok', at: Date.now() } : { state: 'unchecked' })
    // The keys are the connection's: every live account on it shows them.
    setConnectionKeys(saved.exchangeId, saved.keyHint)
  }
  const keysRemoved = removed
    .filter((k) => !(newKeys && k.exchange === saved.exchangeId))
    .map((k) => k.reason)
  if (here) setEditor({ ...editorFor(saved, saved.mode), saved: true, keysRemoved })
  const where = saved.mode === 'live' ? `live on ${exchangeName(saved.exchangeId)}` : 'paper'
  const keysNote = !newKeys
    ? ''
    : intent === 'check'
      ? `; API keys checked with ${exchangeName(saved.exchangeId)} and stored`
      : '; API keys stored without a check'
  notify('info', existing ? 'Account saved' : 'Account added', `“${saved.name}” (${where})${keysNote}.`)
  for (const reason of keysRemoved) notify('warning', 'API keys removed', reason)
}

/** A paper account's starting balances (what a reset restores); 10,000 USDT if they cannot be read. */
export async function fetchStartingBalances(accountId: string): Promise<StartingBalance[]> {
  const res = await client().invoke('trading.startingBalances', { accountId })
  if (res.ok) return res.value
  reportError('Could not read the starting balances', res.error)
  return DEFAULT_STARTING_ROWS.map((r) => ({ ...r }))
}
