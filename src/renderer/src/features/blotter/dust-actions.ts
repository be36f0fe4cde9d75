import { slot } from '../../sync'
import { useTradingStore } from '../desk/store'
import { dustRows } from './dust'
import { useDustStore, type DustDialog } from './dust-store'

/**
 * Convert… of dust (`trading.convertDust`): the dialog lists the account's dust, converts
 * exactly those assets on one confirm (with `confirm: true` on a live account: the dialog is
 * the explicit confirmation), then shows what the engine did. The positions and fills change
 * through `trading.updates`, like any fill. The dialog is a scope: an answer that comes after it
 * was closed never lands.
 */
const shown = slot()

const set = (patch: Partial<DustDialog>): void =>
  useDustStore.setState((s) => (s.dialog ? { dialog: { ...s.dialog, ...patch } } : {}))

/** Opens the dialog for the account's dust as the blotter shows it now. */
export function openDust(accountId: string): void {
  const rows = dustRows(useTradingStore.getState().positions.filter((p) => p.accountId === accountId))
  shown.open(accountId)
  useDustStore.setState({ dialog: { accountId, rows, state: 'ready', result: null, error: null } })
}

export function closeDust(): void {
  if (useDustStore.getState().dialog?.state === 'converting') return
  shown.close()
  useDustStore.setState({ dialog: null })
}

export async function confirmDust(): Promise<void> {
  const d = useDustStore.getState().dialog
  const scope = shown.current
  if (!d || !scope || (d.state !== 'ready' && d.state !== 'failed') || d.rows.length === 0) return
  const live = useTradingStore.getState().accounts.find((a) => a.id === d.accountId)?.mode === 'live'
  set({ state: 'converting', error: null })
  const res = await scope.invoke('trading.convertDust', {
    accountId: d.accountId,
    assets: d.rows.map((r) => r.asset),
    ...(live ? { confirm: true } : {}),
  })
  if (!res) return
  if (!res.ok) set({ state: 'failed', error: res.error.message })
  else set({ state: 'done', result: res.value })
}
