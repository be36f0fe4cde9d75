import { create } from 'zustand'
import type { Result } from '../../../../shared/contract/errors'
import type { Watchlist, WatchlistItem } from '../../../../shared/contract/watchlists'
import { onReconnected } from '../../connection'
import { slot } from '../../sync/index'
import { reportError } from '../notices/store'

/** How the shown watchlist is ordered: the trader's order, or a column. */
export type WatchSort = 'manual' | 'symbol' | 'last' | 'change' | 'volume'

interface WatchState {
  lists: Watchlist[]
  /** The watchlist shown (kept in this browser). */
  activeId: number | null
  sort: WatchSort
  descending: boolean
}

const ACTIVE_KEY = 'candlework.watchlist'

export const useWatchlists = create<WatchState>()(() => ({
  lists: [],
  activeId: Number(globalThis.localStorage?.getItem(ACTIVE_KEY)) || null,
  sort: 'manual',
  descending: false,
}))

const set = useWatchlists.setState
const get = useWatchlists.getState
const view = slot()

/** Follows the engine's watchlists while the Trade view is open; every window sees each change. */
export function openWatchlists(): () => void {
  const mine = view.open()
  mine.follow('watchlists.updates', {}, (lists) => set({ lists }))
  const load = async (): Promise<void> => {
    const res = await mine.invoke('watchlists.list', {})
    if (res?.ok) set({ lists: res.value })
  }
  void load()
  mine.onClose(onReconnected(() => void load()))
  return () => view.close(mine)
}

export function activeWatchlist(s: WatchState): Watchlist | null {
  return s.lists.find((l) => l.id === s.activeId) ?? s.lists[0] ?? null
}

export function showWatchlist(id: number): void {
  set({ activeId: id })
  globalThis.localStorage?.setItem(ACTIVE_KEY, String(id))
}

export function sortWatchlist(sort: WatchSort): void {
  const s = get()
  set(s.sort === sort ? { descending: !s.descending } : { sort, descending: false })
}

type Call = Promise<Result<Watchlist> | null>

async function run(what: string, call: Call | undefined): Promise<Watchlist | null> {
  const res = await call
  if (!res) return null
  if (!res.ok) {
    reportError(what, res.error)
    return null
  }
  return res.value
}

export async function createWatchlist(name: string): Promise<void> {
  const made = await run(
    'Could not create the watchlist',
    view.current?.invoke('watchlists.create', { name }),
  )
  if (made) showWatchlist(made.id)
}

export async function renameWatchlist(id: number, name: string): Promise<void> {
  await run('Could not rename the watchlist', view.current?.invoke('watchlists.rename', { id, name }))
}

export async function deleteWatchlist(id: number): Promise<void> {
  const res = await view.current?.invoke('watchlists.delete', { id })
  if (res && !res.ok) reportError('Could not delete the watchlist', res.error)
}

/** Adds to the shown watchlist, making a first one ("Watchlist") when there is none. */
export async function addToWatchlist(item: WatchlistItem): Promise<void> {
  let list = activeWatchlist(get())
  if (!list) {
    list = await run(
      'Could not create a watchlist',
      view.current?.invoke('watchlists.create', { name: 'Watchlist' }),
    )
    if (!list) return
    showWatchlist(list.id)
  }
  await run(
    'Could not add to the watchlist',
    view.current?.invoke('watchlists.addItem', { id: list.id, ...item }),
  )
}

export async function removeFromWatchlist(id: number, item: WatchlistItem): Promise<void> {
  await run('Could not remove it', view.current?.invoke('watchlists.removeItem', { id, ...item }))
}

export async function moveInWatchlist(id: number, item: WatchlistItem, to: number): Promise<void> {
  await run('Could not move it', view.current?.invoke('watchlists.moveItem', { id, ...item, to }))
}
