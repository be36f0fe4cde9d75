import './notices.css'
import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { formatClockTime, zoneLabel } from '../../lib/time'
import {
  clearList,
  dismiss,
  expireDue,
  nextExpiry,
  openList,
  pause,
  resume,
  useNoticesStore,
  visibleToasts,
  type Notice,
} from './store'

/**
 * Toasts in a narrow stack over the chart's top-right corner, under its header and left of the
 * ticket column, so they never cover the blotter's or the ticket's buttons (notices.css).
 * Information goes after 6 s, warnings after 12 s, errors stay until dismissed or resolved;
 * the pointer on a toast stops its time. At most three show; "+N more" opens the list.
 */
export function Notices() {
  const notices = useNoticesStore((s) => s.notices)
  const listOpen = useNoticesStore((s) => s.listOpen)
  const due = nextExpiry(notices)
  useEffect(() => {
    if (due === null) return
    const t = setTimeout(() => expireDue(), Math.max(0, due - Date.now()))
    return () => clearTimeout(t)
  }, [due])
  const { shown, hidden } = visibleToasts(notices)
  return (
    <>
      <div className="notices" role="region" aria-label="Notifications" aria-live="polite">
        {shown.map((n) => (
          <NoticeCard key={n.id} notice={n} />
        ))}
        {hidden > 0 && (
          <button
            type="button"
            className="notices-more"
            data-testid="notices-more"
            onClick={() => openList(true)}
          >
            +{hidden} more
          </button>
        )}
      </div>
      {listOpen && <NoticesList />}
    </>
  )
}

function NoticeCard({ notice }: { notice: Notice }) {
  return (
    <div
      className={`notice notice-${notice.level}`}
      role={notice.level === 'error' ? 'alert' : 'status'}
      data-testid="notice"
      data-level={notice.level}
      onMouseEnter={() => pause(notice.id)}
      onMouseLeave={() => resume(notice.id)}
    >
      <div className="notice-body">
        <div className="notice-title">
          {notice.title}
          {notice.count > 1 && <span className="notice-count">×{notice.count}</span>}
        </div>
        <div className="notice-message" title={notice.message}>
          {notice.message}
        </div>
        {notice.action && (
          <button type="button" className="btn btn-small" onClick={notice.action.run}>
            {notice.action.label}
          </button>
        )}
      </div>
      <button type="button" className="notice-close" aria-label="Dismiss" onClick={() => dismiss(notice.id)}>
        ×
      </button>
    </div>
  )
}

/** The status bar's bell: how many notices came since the list was last opened; opens it. */
export function NoticesBell() {
  const { total, fresh, open, alert } = useNoticesStore(
    useShallow((s) => {
      const unseen = s.history.filter((n) => n.id > s.seenId)
      return {
        total: s.history.length,
        fresh: unseen.length,
        open: s.listOpen,
        alert: unseen.some((n) => n.level === 'error'),
      }
    }),
  )
  return (
    <button
      type="button"
      className={`notices-bell${alert ? ' notices-bell-alert' : ''}`}
      data-testid="notices-bell"
      aria-expanded={open}
      aria-label={`Notices: ${total} this session, ${fresh} new`}
      title="Notices of this session"
      onClick={() => openList(!open)}
    >
      <svg className="notices-bell-icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
        <path
          d="M8 1.5a4 4 0 0 0-4 4v2.7L2.6 10.6a.6.6 0 0 0 .5.9h9.8a.6.6 0 0 0 .5-.9L12 8.2V5.5a4 4 0 0 0-4-4ZM6.3 12.7a1.8 1.8 0 0 0 3.4 0Z"
          fill="currentColor"
        />
      </svg>
      <span data-testid="notices-bell-count">{fresh}</span>
    </button>
  )
}

const time = (ms: number): string => formatClockTime(ms)

const END_LABEL = {
  'timed-out': '',
  dismissed: 'dismissed',
  resolved: 'resolved',
  replaced: 'resolved',
} as const

/** The session's notices, newest first, kept after their toasts went. */
function NoticesList() {
  const history = useNoticesStore((s) => s.history)
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') openList(false)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return (
    <section className="notices-list" data-testid="notices-list" aria-label="Notices list">
      <header className="notices-list-head">
        <span className="notices-list-title">Notices</span>
        <span className="notices-list-spacer" />
        <button
          type="button"
          className="btn btn-small"
          data-testid="notices-clear"
          disabled={history.length === 0}
          onClick={clearList}
        >
          Clear
        </button>
        <button
          type="button"
          className="notice-close"
          aria-label="Close the list"
          onClick={() => openList(false)}
        >
          ×
        </button>
      </header>
      {history.length === 0 ? (
        <div className="notices-list-empty">No notices in this session.</div>
      ) : (
        <ol className="notices-list-items">
          {[...history].reverse().map((n) => (
            <li
              key={n.id}
              className={`notices-entry notices-entry-${n.level}`}
              data-testid="notices-entry"
              data-level={n.level}
              data-state={n.ended ?? 'showing'}
            >
              <span className="notices-entry-time">
                {time(n.updatedAt)} {zoneLabel()}
              </span>
              <span className="notices-entry-level">{n.level}</span>
              <span className="notices-entry-title">
                {n.title}
                {n.count > 1 && <span className="notice-count">×{n.count}</span>}
                {n.ended && END_LABEL[n.ended] && (
                  <span className="notices-entry-end">{END_LABEL[n.ended]}</span>
                )}
              </span>
              <span className="notices-entry-message">{n.message}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
