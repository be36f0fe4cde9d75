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
  /** The panel is folded to its title: folded until the trader opens it, then as they left it. */
  folded: boolean
}

export const useBookStore = create<BookState>()(() => ({
  key: null,
  book: null,
  trades: [],
  steps: {},
  error: null,
  folded: readFolded(),
}))

const FOLDED_KEY = 'candlework.book.folded'

/**
 * Folded by default: an open book streams ten updates a second, which a trader who does not look
 * at it should not pay for.
 */
function readFolded(): boolean {
  try {
    return localStorage.getItem(FOLDED_KEY) !== 'false'
  } catch {
    return true
  }
}

export function saveFolded(folded: boolean): void {
  try {
    localStorage.setItem(FOLDED_KEY, String(folded))
  } catch {
    // No storage (private mode): the choice lasts this session only.
  }
}
