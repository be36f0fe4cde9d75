import { client } from '../../connection'
import { reportError } from '../notices/store'
import { historyParams, isFiltering, type HistoryFilter } from './history-filter-model'
import { useAlertsStore } from './store'

let asked = 0

/** Sets the filter and asks the engine for its firings (a later change wins over an earlier answer). */
export async function setHistoryFilter(patch: Partial<HistoryFilter>): Promise<void> {
  const filter = { ...useAlertsStore.getState().filter, ...patch }
  const mine = ++asked
  if (!isFiltering(filter)) {
    useAlertsStore.setState({ filter, filtered: null })
    return
  }
  useAlertsStore.setState({ filter })
  const res = await client().invoke('alerts.history', historyParams(filter))
  if (mine !== asked) return
  if (res.ok) useAlertsStore.setState({ filtered: res.value })
  else reportError('Could not filter the alert history', res.error)
}
