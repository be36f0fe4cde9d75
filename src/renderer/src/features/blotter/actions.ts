import type { AppErrorShape } from '../../../../shared/contract/errors'
import type { Order, TradingUpdate } from '../../../../shared/domain/trading'
import { client } from '../../connection'
import { slot } from '../../sync/index'
import { type Scope } from '../../sync/scope'
import { notify, reportError } from '../notices/store'
import { LISTS, initialAccountData, useTradingStore, type BlotterTab, type ListName } from '../desk/store'
import { balancesChanged } from '../ticket/actions'
import { lostOrderSeen } from '../ticket/submission'
import { EVENTS_LIMIT, FILLS_LIMIT, ORDERS_LIMIT, applyUpdate, listOf } from './blotter-updates'

/**
 * The blotter's lists of the selected account (orders, fills, positions, balances,
 * reconciliation events): fetched once, then kept current by the rows `trading.updates` carries.
 */

const get = useTradingStore.getState
const set = useTradingStore.setState

/** The account whose lists are shown: its answers and `trading.updates`, keyed by its id. */
const watched = slot<{ accountId: string; gone: (accountId: string) => void }>()

/**
 * Follows an account's lists: they are fetched once, then kept are fetched once, then kept current by the rows that
 * `trading.updates` carries. The stream is followed before the lists are asked for, and an
 * event that arrives while its list loads is applied again on top of the list's answer, so no
 * change is lost whichever arrives first.
 */
export function watchLists(accountId: string, gone: (accountId: string) => void): void {
  const mine = watched.open({ accountId, gone })
  const lists = { ...initialAccountData().lists }
  for (const l of LISTS) lists[l] = 'loading'
  set({ ...initialAccountData(), lists })
  mine.follow('trading.updates', { accountId }, (u) => onUpdate(u, gone), {
    endTitle: 'Live order and position updates stopped',
  })
  for (const l of LISTS) void fetchList(mine, l, gone)
}

/** Stops following the account's lists. */
export function stopLists(): void {
  watched.close()
}

/** The account whose lists are followed, if any. */
export function listsAccount(): string | null {
  return watched.key?.accountId ?? null
}

/** Starts or stops keeping the events of `list` for its answer (null: no fetch of it is in flight). */
function keepFor(list: ListName, events: TradingUpdate[] | null): void {
  set((s) => ({ updatesWhileLoading: { ...s.updatesWhileLoading, [list]: events } }))
}

function onUpdate(u: TradingUpdate, gone: (accountId: string) => void): void {
  const list = listOf(u)
  if (list !== null) {
    set((s) => applyUpdate(s, u))
    const kept = get().updatesWhileLoading[list]
    if (kept !== null) keepFor(list, [...kept, u])
  }
  switch (u.type) {
    case 'order':
      lostOrderSeen(u.order)
      break
    case 'balance':
      balancesChanged()
      break
    case 'accountRemoved':
      // Deleted here or elsewhere (another window, a script); idempotent.
      gone(u.accountId)
      break
    case 'reconciliation':
      if (get().tab !== 'events') set((s) => ({ unseenEvents: s.unseenEvents + 1 }))
      notify('warning', `Reconciliation: ${u.event.symbol ?? u.accountId}`, u.event.detail, {
        label: 'Show',
        run: () => showTab('events'),
      })
      break
    default:
      break
  }
}

/** Re-fetches every list of the selected account now (after a reconnect, a reset, a reconciliation). */
export function refreshAll(): void {
  const mine = watched.current
  const key = watched.key
  if (!mine || !key) return
  for (const l of LISTS) void fetchList(mine, l, key.gone)
}

/** The answer of one list: a snapshot, with the events that came while it loaded applied on top. */
function landList(list: ListName, rows: Partial<ReturnType<typeof get>>): void {
  const pending = get().updatesWhileLoading[list] ?? []
  set(rows)
  keepFor(list, null)
  for (const u of pending) set((s) => applyUpdate(s, u))
  set((s) => ({ lists: { ...s.lists, [list]: 'ready' } }))
}

/** Asks for one list; answers per list arrive in any order and only the newest of each may land. */
async function fetchList(mine: Scope, list: ListName, gone: (accountId: string) => void): Promise<void> {
  const accountId = watched.key?.accountId
  if (accountId === undefined) return
  // Events from now on are kept to be applied again on top of the answer (a refresh keeps its list shown).
  keepFor(list, get().updatesWhileLoading[list] ?? [])
  const failed = (what: string, error: AppErrorShape): void => {
    keepFor(list, null)
    if (error.kind === 'not_found' && error.path === 'params.accountId') {
      // Deleted (from another window, say): back to the accounts there are, on Demo paper.
      gone(accountId)
      return
    }
    set((s) => ({ lists: { ...s.lists, [list]: 'error' } }))
    reportError(`Could not load the ${what}`, error, { label: 'Retry', run: () => refreshAll() })
  }
  switch (list) {
    case 'orders': {
      const res = await mine.invoke('trading.orders', { accountId, limit: ORDERS_LIMIT }, list)
      if (!res) return
      if (!res.ok) return failed('orders', res.error)
      // An order that is gone cannot still be cancelling.
      const cancelling = get().cancelling.filter((id) => res.value.some((o) => o.clientOrderId === id))
      return landList(list, { orders: res.value, cancelling })
    }
    case 'fills': {
      const res = await mine.invoke('trading.fills', { accountId, limit: FILLS_LIMIT }, list)
      if (!res) return
      if (!res.ok) return failed('fills', res.error)
      return landList(list, { fills: res.value })
    }
    case 'positions': {
      const res = await mine.invoke('trading.positions', { accountId, includeFlat: true }, list)
      if (!res) return
      if (!res.ok) return failed('positions', res.error)
      return landList(list, { positions: res.value })
    }
    case 'balances': {
      const res = await mine.invoke('trading.balances', { accountId }, list)
      if (!res) return
      if (!res.ok) return failed('balances', res.error)
      landList(list, { balances: res.value })
      return balancesChanged()
    }
    case 'events': {
      const res = await mine.invoke('trading.reconciliationEvents', { accountId, limit: EVENTS_LIMIT }, list)
      if (!res) return
      if (!res.ok) return failed('reconciliation events', res.error)
      return landList(list, { events: res.value })
    }
  }
}

export function showTab(tab: BlotterTab): void {
  set(tab === 'events' ? { tab, unseenEvents: 0 } : { tab })
}

export async function cancelOrder(order: Order): Promise<void> {
  const id = order.clientOrderId
  if (get().cancelling.includes(id)) return
  set((s) => ({ cancelling: [...s.cancelling, id] }))
  const res = await client().invoke('trading.cancelOrder', { accountId: order.accountId, clientOrderId: id })
  if (!res.ok) {
    set((s) => ({ cancelling: s.cancelling.filter((x) => x !== id) }))
    reportError(`Could not cancel the ${order.symbol} ${order.type} order`, res.error)
  }
  // The canceled order and the balances it held arrive on `trading.updates`.
}

/** Reconciles the selected account with its exchange now. */
export async function reconcileNow(): Promise<void> {
  const accountId = get().accountId
  if (accountId === null) return
  const res = await client().invoke('trading.reconcile', { accountId })
  if (!res.ok) {
    reportError('Reconciliation failed', res.error)
    return
  }
  const { resolved, stillUnknown, events } = res.value
  notify(
    'info',
    'Reconciled',
    events.length === 0 && resolved === 0
      ? 'Orders and fills agree with the exchange.'
      : `${events.length} difference${events.length === 1 ? '' : 's'} recorded, ${resolved} unknown order${resolved === 1 ? '' : 's'} resolved${stillUnknown > 0 ? `, ${stillUnknown} still unknown` : ''}.`,
  )
  refreshAll()
}
