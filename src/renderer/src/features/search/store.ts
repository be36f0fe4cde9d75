import { create } from 'zustand'

/** The symbol search dialog: open or not, and the text it opened with (a letter typed on the chart). */
export const useSymbolSearch = create<{ open: boolean; text: string }>()(() => ({ open: false, text: '' }))

export function openSymbolSearch(text = ''): void {
  useSymbolSearch.setState({ open: true, text })
}

export function closeSymbolSearch(): void {
  useSymbolSearch.setState({ open: false, text: '' })
}
