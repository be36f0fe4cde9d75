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

/**
 * Alt+1 .. Alt+9 show the views in nav order (Alt+1 the Dashboard, Alt+2 Trade): the Trade view
 * is one key away from the first view. Returns whether the key was one of them.
 */
export function viewShortcut(
  e: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code'>,
): boolean {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return false
  const m = /^Digit([1-9])$/.exec(e.code)
  const v = m ? VIEWS[Number(m[1]) - 1] : undefined
  if (!v) return false
  showView(v.id)
  return true
}

/** The shortcut of a view, as the nav's tooltip says it. */
export function shortcutOf(id: ViewId): string | null {
  const i = VIEWS.findIndex((v) => v.id === id)
  return i >= 0 && i < 9 ? `Alt+${i + 1}` : null
}
