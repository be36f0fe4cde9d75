import type { JournalFilter, JournalTrade, SortColumn, Tag } from '../../../../shared/contract/journal'
import { client } from '../../connection'
import { notify } from '../notices/store'
import { timeZone } from './format'
import { PAGE, useJournalStore } from './store'

const set = useJournalStore.setState
const get = useJournalStore.getState

/** Asks for one page of the current query; drops it if the query changed meanwhile. */
async function fetchPage(page: number): Promise<void> {
  const { query, filter, sort, asked } = get()
  if (asked[page]) return
  set({ asked: { ...asked, [page]: true } })
  const res = await client().invoke('journal.list', { filter, sort, offset: page * PAGE, limit: PAGE })
  if (get().query !== query) return
  if (!res.ok) {
    set({ loading: false, error: res.error.message })
    return
  }
  const s = get()
  const rows: Record<number, JournalTrade> = s.rowsQuery === query ? { ...s.rows } : {}
  res.value.trades.forEach((t, i) => (rows[page * PAGE + i] = t))
  set({ rows, rowsQuery: query, totals: res.value.totals, loading: false, error: null })
}

/** Makes sure the rows `from`..`to` (indexes) are fetched. */
export function ensureRows(from: number, to: number): void {
  const last = Math.max(from, to)
  for (let p = Math.floor(Math.max(0, from) / PAGE); p <= Math.floor(last / PAGE); p++) void fetchPage(p)
}

/** Starts the query again (a new filter or sort, or trades changed), keeping the rows shown until the new ones come. */
export function requery(visible: { from: number; to: number } = { from: 0, to: PAGE - 1 }): void {
  set((s) => ({ query: s.query + 1, asked: {}, loading: true }))
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
  const { filter, query } = get()
  const res = await client().invoke('journal.analytics', { filter, timeZone: timeZone() })
  if (get().query !== query) return
  if (res.ok) set({ analytics: res.value, analyticsError: null })
  else set({ analyticsError: res.error.message })
}

export async function select(key: string | null): Promise<void> {
  set({ selected: key, saveError: null, ...(key === null ? { detail: null } : {}) })
  if (key === null) return
  const res = await client().invoke('journal.get', { key })
  if (get().selected !== key) return
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
 * again once they pause. Returns the stop, which the view calls when it closes.
 */
export function watchJournal(visible: () => { from: number; to: number }): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  const later = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      requery(visible())
      const { selected } = get()
      if (selected) void select(selected)
    }, 250)
  }
  const stop = client().subscribe(
    'journal.updates',
    {},
    (e) => {
      if (e.type === 'trades') for (const t of e.trades) patchTrade(t)
      later()
    },
    (error) => {
      if (error) notify('warning', 'Journal updates stopped', error.message)
    },
  )
  requery(visible())
  return () => {
    clearTimeout(timer)
    stop()
  }
}
