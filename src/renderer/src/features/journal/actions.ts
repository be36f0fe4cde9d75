import type { JournalFilter, JournalTrade, SortColumn, Tag } from '../../../../shared/contract/journal'
import { client } from '../../connection'
import { slot } from '../../sync'
import { notify } from '../notices/store'
import { timeZone } from './format'
import { PAGE, useJournalStore } from './store'

const set = useJournalStore.setState
const get = useJournalStore.getState

/** The open view: the updates it follows, the trade it shows, its refresh timer. */
const shown = slot()
/** The current query (filter and sort): a page or the analytics of an older one never lands. */
const current = slot<number>()

/** Asks for one page of the current query. */
async function fetchPage(page: number): Promise<void> {
  const scope = current.current
  const { query, filter, sort, asked } = get()
  if (!scope || asked[page]) return
  set({ asked: { ...asked, [page]: true } })
  const res = await scope.invoke('journal.list', { filter, sort, offset: page * PAGE, limit: PAGE })
  if (!res) return
  if (!res.ok) {
    set({ loading: false, error: res.error.message })
    return
  }
  const s = get()
  const rows: Record<number, JournalTrade> = s.rowsQuery === query ? { ...s.rows } : {}
  res.value.trades.forEach((t, i) => (rows[page * PAGE + i] = t))
  const unusual = s.rowsQuery === query ? { ...s.unusual, ...res.value.unusual } : res.value.unusual
  set({ rows, rowsQuery: query, totals: res.value.totals, unusual, loading: false, error: null })
}

/** Makes sure the rows `from`..`to` (indexes) are fetched. */
export function ensureRows(from: number, to: number): void {
  const last = Math.max(from, to)
  for (let p = Math.floor(Math.max(0, from) / PAGE); p <= Math.floor(last / PAGE); p++) void fetchPage(p)
}

/** Starts the query again (a new filter or sort, or trades changed), keeping the rows shown until the new ones come. */
export function requery(visible: { from: number; to: number } = { from: 0, to: PAGE - 1 }): void {
  if (!shown.current) return
  const query = get().query + 1
  current.open(query)
  set({ query, asked: {}, loading: true })
  ensureRows(visible.from, visible.to)
  if (get().tab === 'analytics') void loadAnalytics()
}

export function setFilter(patch: Partial<JournalFilter>): void {
  const filter: JournalFilter = { ...get().filter, ...patch }
  for (const k of Object.keys(filter) as (keyof JournalFilter)[])
    if (filter[k] === undefined || filter[k] === '') delete filter[k]
  set({ filter })
  requery()
}

export function clearFilter(): void {
  set({ filter: {} })
  requery()
}

/** A click on a column header: that column descending, again ascending. */
export function sortBy(column: SortColumn): void {
  const { sort } = get()
  set({ sort: { column, dir: sort.column === column && sort.dir === 'desc' ? 'asc' : 'desc' } })
  requery()
}

export function setTab(tab: 'trades' | 'analytics'): void {
  set({ tab })
  if (tab === 'analytics') void loadAnalytics()
}

export async function loadAnalytics(): Promise<void> {
  const scope = current.current
  if (!scope) return
  const res = await scope.invoke(
    'journal.analytics',
    { filter: get().filter, timeZone: timeZone() },
    'analytics',
  )
  if (!res) return
  if (res.ok) set({ analytics: res.value, analyticsError: null })
  else set({ analyticsError: res.error.message })
}

export async function select(key: string | null): Promise<void> {
  set({ selected: key, saveError: null, ...(key === null ? { detail: null } : {}) })
  const scope = shown.current
  if (key === null || !scope) return
  const res = await scope.invoke('journal.get', { key }, 'detail')
  if (!res) return
  if (res.ok) set({ detail: res.value })
  else notify('warning', 'Could not open the trade', res.error.message)
}

/** Puts a changed trade in the rows and the detail where it is shown. */
function patchTrade(t: JournalTrade): void {
  const s = get()
  let rows = s.rows
  for (const [i, r] of Object.entries(s.rows))
    if (r.key === t.key) {
      rows = rows === s.rows ? { ...s.rows } : rows
      rows[Number(i)] = t
    }
  const detail = s.detail && s.detail.trade.key === t.key ? { ...s.detail, trade: t } : s.detail
  set({ rows, detail })
}

/** Saves the trader's edit of the selected trade (only the fields given). */
export async function saveEdit(
  key: string,
  edit: { notes?: string; tags?: Tag[]; rating?: number | null; stopPrice?: string | null },
): Promise<boolean> {
  // Not tied to the view: an edit is saved even if the view closes meanwhile.
  const res = await client().invoke('journal.update', { key, ...edit })
  if (!res.ok) {
    set({ saveError: res.error.message })
    return false
  }
  set({ saveError: null })
  patchTrade(res.value)
  return true
}

/**
 * While the view is open: the first page, and every change the engine sends (a fill, an edit, a
 * rebuild) folded in. Changes come in bursts (a bracket fills three orders), so the query runs
 * again once they pause. Returns the close, which the view's effect calls.
 */
export function watchJournal(visible: () => { from: number; to: number }): () => void {
  const scope = shown.open()
  scope.onClose(() => current.close())
  scope.follow(
    'journal.updates',
    {},
    (e) => {
      if (e.type === 'trades') for (const t of e.trades) patchTrade(t)
      scope.later(
        'refresh',
        () => {
          requery(visible())
          const { selected } = get()
          if (selected) void select(selected)
        },
        250,
      )
    },
    { endTitle: 'Journal updates stopped' },
  )
  requery(visible())
  return () => shown.close(scope)
}
