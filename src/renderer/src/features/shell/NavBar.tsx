import { useAlertsStore } from '../alerts/store'
import { RiskHeader } from '../risk/RiskHeader'
import { ConnectionIndicator } from './ConnectionIndicator'
import { shortcutOf, showView, useNavigation } from './navigation'
import { VIEWS } from './views'

export function NavBar() {
  const view = useNavigation((s) => s.view)
  const unread = useAlertsStore((s) => s.unread)
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
            title={shortcutOf(v.id) ?? undefined}
            onClick={() => showView(v.id)}
          >
            {v.label}
            {v.id === 'alerts' && unread > 0 && (
              <span className="nav-badge" data-testid="alerts-unread" aria-label={`${unread} unread`}>
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </button>
        ))}
      </nav>
      <div className="topbar-end">
        <RiskHeader />
        <ConnectionIndicator />
      </div>
    </header>
  )
}
