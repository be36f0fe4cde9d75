import { create } from 'zustand'
import type { UnusualFlag } from '../../../../shared/stats/unusual'
import type {
  JournalAnalytics,
  JournalFill,
  JournalFilter,
  JournalTrade,
  SortColumn,
} from '../../../../shared/contract/journal'

export interface JournalTotals {
  count: number
  byQuote: { quote: string; grossPnl: string; fees: string; netPnl: string }[]
}

export interface TradeDetail {
  trade: JournalTrade
  fills: JournalFill[]
  chart: {
    timeframe: string
    candles: { time: number; open: number; high: number; low: number; close: number }[]
  } | null
  /** Why the trade's return is unusual for its symbol, when it is. */
  unusual: UnusualFlag | null
}

/** Rows are fetched a page at a time as the table scrolls. */
export const PAGE = 200

interface JournalState {
  tab: 'trades' | 'analytics'
  filter: JournalFilter
  sort: { column: SortColumn; dir: 'asc' | 'desc' }
  /**
   * The query's generation: every change of filter or sort, and every refresh, makes a new one;
   * a page that comes back for an older one is dropped.
   */
  query: number
  /** The generation `rows` belong to (older rows stay shown until the new query's first page is in). */
  rowsQuery: number
  /** Rows by their index in the sorted list (only the pages fetched). */
  rows: Record<number, JournalTrade>
  /** Pages asked for in the current query. */
  asked: Record<number, true>
  totals: JournalTotals | null
  /** Unusual-return flags of the rows fetched, by trade key. */
  unusual: Record<string, UnusualFlag>
  loading: boolean
  error: string | null
  selected: string | null
  detail: TradeDetail | null
  analytics: JournalAnalytics | null
  analyticsError: string | null
  /** Edit saving: the last save's error, shown by the editor. */
  saveError: string | null
}

export const useJournalStore = create<JournalState>()(() => ({
  tab: 'trades',
  filter: {},
  sort: { column: 'entryTime', dir: 'desc' },
  query: 0,
  rowsQuery: -1,
  rows: {},
  asked: {},
  totals: null,
  unusual: {},
  loading: true,
  error: null,
  selected: null,
  detail: null,
  analytics: null,
  analyticsError: null,
  saveError: null,
}))
