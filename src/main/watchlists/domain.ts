import type { Watchlist } from '../../shared/contract/watchlists'
import type { watchlistsContract } from '../../shared/contract/watchlists'
import type { Clock } from '../clock'
import type { Domain } from '../domain'
import type { Db } from '../storage/db'
import {
  addWatchlistItem,
  createWatchlist,
  deleteWatchlist,
  listWatchlists,
  moveWatchlistItem,
  removeWatchlistItem,
  renameWatchlist,
} from './store'

export interface WatchlistsDeps {
  db: Db
  clock: Clock
}

/**
 * The trader's named watchlists: stored in SQLite, and sent whole on `watchlists.updates` after
 * every change so that every window (and a script) shows the same lists. Prices are not here:
 * the renderer takes them from the ticker feeds of the market it already follows.
 */
export function createWatchlistsDomain({ db, clock }: WatchlistsDeps): Domain<typeof watchlistsContract> {
  const listeners = new Set<(lists: Watchlist[]) => void>()
  const changed = <T>(result: T): T => {
    if (listeners.size > 0) {
      const lists = listWatchlists(db)
      for (const l of [...listeners]) l(lists)
    }
    return result
  }
  return {
    name: 'watchlists',
    handlers: {
      'watchlists.list': () => listWatchlists(db),
      'watchlists.create': ({ name }) => changed(createWatchlist(db, name, clock.now())),
      'watchlists.rename': ({ id, name }) => changed(renameWatchlist(db, id, name)),
      'watchlists.delete': ({ id }) => changed({ deleted: deleteWatchlist(db, id) }),
      'watchlists.addItem': ({ id, source, symbol }) =>
        changed(addWatchlistItem(db, id, { source, symbol }, clock.now())),
      'watchlists.removeItem': ({ id, source, symbol }) =>
        changed(removeWatchlistItem(db, id, { source, symbol })),
      'watchlists.moveItem': ({ id, source, symbol, to }) =>
        changed(moveWatchlistItem(db, id, { source, symbol }, to)),
      'watchlists.updates': (_params, sink) => {
        const listener = (lists: Watchlist[]): void => sink.emit(lists)
        listeners.add(listener)
        return () => listeners.delete(listener)
      },
    },
    close: () => listeners.clear(),
  }
}
