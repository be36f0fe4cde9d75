import { Notices } from '../notices/Notices'
import { usePreferences } from '../settings/store'
import { NavBar } from './NavBar'
import { useEffect } from 'react'
import { showView, useNavigation } from './navigation'
import { ShortcutHelp } from './ShortcutHelp'
import { bindShortcut, installShortcuts, useShortcutHelp } from './shortcuts'
import { StatusBar } from './StatusBar'
import { VIEWS, viewById } from './views'

/** The shell's own shortcuts: "?" and Alt+digit to switch views. */
function useShellShortcuts(): void {
  useEffect(() => {
    const uninstall = installShortcuts()
    const offHelp = bindShortcut('help', () => useShortcutHelp.setState({ open: true }))
    const offView = bindShortcut('view', (e) => {
      const n = Number((e.code ?? '').replace('Digit', ''))
      const v = VIEWS[n - 1]
      if (v) showView(v.id)
    })
    return () => {
      offView()
      offHelp()
      uninstall()
    }
  }, [])
}

export function App() {
  useShellShortcuts()
  const view = useNavigation((s) => s.view)
  const Shown = viewById(view)!.component
  // Every time and number on screen is text made at render: a new zone or number format draws
  // the view again from its stores (a rare, deliberate change; the stores keep their state).
  const display = usePreferences((s) => `${s.prefs.timeZone}|${s.prefs.numberFormat}`)
  return (
    <div className="app">
      <NavBar />
      <main className="app-main" data-view={view}>
        <Shown key={display} />
      </main>
      <StatusBar />
      <Notices />
      <ShortcutHelp />
    </div>
  )
}
