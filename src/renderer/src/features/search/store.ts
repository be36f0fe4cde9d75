import { create } from 'zustand'

/** What picking a result does: chart it, or add it to the chart's compare lines. */
export type SearchPurpose = 'chart' | 'compare'

/** The symbol search dialog: open or not, the text it opened with (a letter typed on the chart), and what for. */
export const useSymbolSearch = create<{ open: boolean; text: string; purpose: SearchPurpose }>()(() => ({
  open: false,
  text: '',
  purpose: 'chart',
}))

export function openSymbolSearch(text = '', purpose: SearchPurpose = 'chart'): void {
  useSymbolSearch.setState({ open: true, text, purpose })
}

export function closeSymbolSearch(): void {
  useSymbolSearch.setState({ open: false, text: '', purpose: 'chart' })
}
