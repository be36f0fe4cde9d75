import { Notices } from '../notices/Notices'
import { NavBar } from './NavBar'
import { useNavigation } from './navigation'
import { StatusBar } from './StatusBar'
import { viewById } from './views'

export function App() {
  const view = useNavigation((s) => s.view)
  const Shown = viewById(view)!.component
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
