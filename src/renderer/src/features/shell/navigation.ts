import { create } from 'zustand'
import { VIEWS, viewById, type ViewId } from './views'

const VIEW_KEY = 'candlework.shell.view'

/** Which view is shown; the first of the list until the trader picks one (remembered). */
export const useNavigation = create<{ view: ViewId }>()(() => ({ view: VIEWS[0].id }))

export function showView(view: ViewId): void {
  useNavigation.setState({ view })
  try {
    localStorage.setItem(VIEW_KEY, view)
  } catch {
    // Storage may be unavailable (private mode); the view just won't be remembered.
  }
}

/** Shows the view chosen last time, if it still exists. */
export function restoreView(): void {
  try {
    const saved = viewById(localStorage.getItem(VIEW_KEY) ?? '')
    if (saved) useNavigation.setState({ view: saved.id })
  } catch {
    // As above: no storage, no remembered view.
  }
}
