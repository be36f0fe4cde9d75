import { dismiss, useNoticesStore, type Notice } from './store'

/** Toasts in the bottom-right corner: errors stay until dismissed, information fades. */
export function Notices() {
  const notices = useNoticesStore((s) => s.notices)
  return (
    <div className="notices" role="region" aria-label="Notifications" aria-live="polite">
      {notices.map((n) => (
        <NoticeCard key={n.id} notice={n} />
      ))}
    </div>
  )
}

function NoticeCard({ notice }: { notice: Notice }) {
  return (
    <div className={`notice notice-${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'}>
      <div className="notice-body">
        <div className="notice-title">
          {notice.title}
          {notice.count > 1 && <span className="notice-count">×{notice.count}</span>}
        </div>
        <div className="notice-message">{notice.message}</div>
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
