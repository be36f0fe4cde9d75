import { Notices } from '../notices/Notices'
import { NavBar } from './NavBar'
import { useEffect } from 'react'
import { useNavigation, viewShortcut } from './navigation'
import { StatusBar } from './StatusBar'
import { viewById } from './views'

export function App() {
  const view = useNavigation((s) => s.view)
  const Shown = viewById(view)!.component
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (viewShortcut(e)) e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return (
    <div className="app">
      <NavBar />
      <main className="app-main" data-view={view}>
        <Shown />
      </main>
      <StatusBar />
      <Notices />
    </div>
  )
}
