import type { AppErrorShape } from '../../../../shared/contract/errors'
import type { KeysRemoved } from '../../../../shared/contract/exchange'
import type { Account } from '../../../../shared/domain/trading'
import { scheduleValidate } from '../ticket/actions'
import {
  EDITOR_FIELDS,
  useTradingStore,
  type AccountEditor,
  type AccountsDialog,
  type EditorField,
  type KeysCheck,
  type TradingStateShape,
} from '../desk/store'

/**
 * What the accounts dialog's actions share: writing the editor and the dialog, folding saved
 * accounts into the list, and what this window knows of each connection's keys.
 */
export const get: () => TradingStateShape = useTradingStore.getState
export const set: typeof useTradingStore.setState = useTradingStore.setState

/** A new turn of the editor (it shows another account, or closes): late answers of earlier turns are dropped. */
export function nextEditorSeq(): number {
  const editorSeq = get().editorSeq + 1
  set({ editorSeq })
  return editorSeq
}
export const isCurrentEditor = (seq: number): boolean => seq === get().editorSeq

export function setEditor(editor: AccountEditor | null): void {
  set((s) => (s.accountsDialog ? { accountsDialog: { ...s.accountsDialog, editor } } : {}))
}

export function currentEditor(): AccountEditor | null {
  return get().accountsDialog?.editor ?? null
}

export function setDialog(patch: Partial<AccountsDialog>): void {
  set((s) => (s.accountsDialog ? { accountsDialog: { ...s.accountsDialog, ...patch } } : {}))
}

/** The editor field an engine error points at (`params.apiUrl` -> `apiUrl`), else the form. */
export function fieldOf(path: string | undefined): EditorField {
  const name = path?.replace(/^params\.?/, '').split(/[.[]/)[0] ?? ''
  return (EDITOR_FIELDS as readonly string[]).includes(name) ? (name as EditorField) : 'form'
}

/** The engine's message without its `params.x: ` prefix, for showing beside the field. */
export function fieldMessage(error: AppErrorShape): string {
  const prefix = error.path !== undefined ? `${error.path}: ` : ''
  return prefix !== '' && error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message
}

/** Puts a saved account into the list (the selector and the dialog show it at once). */
export function mergeAccount(account: Account): void {
  set((s) => ({
    accounts: s.accounts.some((a) => a.id === account.id)
      ? s.accounts.map((a) => (a.id === account.id ? account : a))
      : [...s.accounts, account],
  }))
  if (account.id === get().accountId) scheduleValidate(0)
}

export function markKeys(exchangeId: string, check: KeysCheck): void {
  set((s) => ({ keysChecked: { ...s.keysChecked, [exchangeId]: check } }))
}

export function forgetKeysCheck(exchangeId: string): void {
  set((s) => {
    const keysChecked = { ...s.keysChecked }
    delete keysChecked[exchangeId]
    return { keysChecked }
  })
}

/** Shows a connection's keys (a masked hint, or none) on every live account that trades through it. */
export function setConnectionKeys(exchangeId: string, keyHint: string | null): void {
  set((s) => ({
    accounts: s.accounts.map((a) =>
      a.mode === 'live' && a.exchangeId === exchangeId ? { ...a, hasKeys: keyHint !== null, keyHint } : a,
    ),
  }))
}

/** Stored keys the engine removed: no account of their exchange shows them any more. */
export function keysGone(removed: readonly KeysRemoved[]): void {
  for (const { exchange } of removed) {
    setConnectionKeys(exchange, null)
    forgetKeysCheck(exchange)
  }
}

/** The exchange's name as the picker shows it (`OKX`), or its id until the list has loaded. */
export function exchangeName(id: string): string {
  return get().exchanges.find((x) => x.id === id)?.name ?? id
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`
}
