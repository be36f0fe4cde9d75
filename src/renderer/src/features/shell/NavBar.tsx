import { ConnectionIndicator } from './ConnectionIndicator'
import { showView, useNavigation } from './navigation'
import { VIEWS } from './views'

export function NavBar() {
  const view = useNavigation((s) => s.view)
  return (
    <header className="topbar">
      <div className="brand" aria-label="Candlework">
        <span className="brand-mark" aria-hidden="true" />
        Candlework
      </div>
      <nav className="nav" aria-label="Main">
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            className="nav-item"
            aria-current={v.id === view ? 'page' : undefined}
            data-testid={`nav-${v.id}`}
            onClick={() => showView(v.id)}
          >
            {v.label}
          </button>
        ))}
      </nav>
      <div className="topbar-end">
        <ConnectionIndicator />
      </div>
    </header>
  )
}
