import { create } from 'zustand'
import { setNavigator } from './nav-port'
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

setNavigator((id) => {
  const v = viewById(id)
  if (v) showView(v.id)
})

/** The shortcut of a view, as the nav's tooltip says it. */
export function shortcutOf(id: ViewId): string | null {
  const i = VIEWS.findIndex((v) => v.id === id)
  return i >= 0 && i < 9 ? `Alt+${i + 1}` : null
}
