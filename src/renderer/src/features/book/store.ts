import { create } from 'zustand'
import type { BookEvent, BookTrade } from '../../../../shared/contract/book'

/** Trades kept on the tape. */
export const TAPE_LENGTH = 50

interface BookState {
  /** The market followed (`symbolKey`), or null when the panel is folded or nothing is charted. */
  key: string | null
  book: BookEvent | null
  trades: BookTrade[]
  /** The aggregation step chosen per market (`symbolKey` -> step); the tick when not chosen. */
  steps: Record<string, string>
  /** Why the book or the tape stopped, in words. */
  error: string | null
  /** The panel is folded to its title (kept across sessions in memory only). */
  folded: boolean
}

export const useBookStore = create<BookState>()(() => ({
  key: null,
  book: null,
  trades: [],
  steps: {},
  error: null,
  folded: false,
}))
