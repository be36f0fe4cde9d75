import { useEffect } from 'react'
import type { BackupEntry, DryRun } from '../../../../shared/contract/backup'
import { formatBytes, formatDuration } from '../../lib/format'
import { formatStamp } from '../desk/format'
import {
  backUpNow,
  cancelRestore,
  confirmRestore,
  reviewRestore,
  setPassphrase,
  verify,
  watchBackups,
} from './backup-actions'
import { useBackupStore } from './backup-store'
import { useHealthStore } from './store'

const TRIGGERS: Record<BackupEntry['trigger'], string> = {
  manual: 'by hand',
  scheduled: 'scheduled',
  'pre-restore': 'before a restore',
}

const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path

/** Backups: Back up now with its progress, each backup with its verification, restore after a dry run. */
export function BackupsSection() {
  useEffect(() => watchBackups(), [])
  const entries = useBackupStore((s) => s.entries)
  const settings = useBackupStore((s) => s.settings)
  const { running, pending } = useBackupStore((s) => s.progress)
  const passphrase = useBackupStore((s) => s.passphrase)
  const error = useBackupStore((s) => s.error)
  const review = useBackupStore((s) => s.review)
  return (
    <>
      <h2 className="health-h2">Backups</h2>
      <BackupAge />
      <div className="health-backup-bar">
        <button
          type="button"
          className="btn"
          data-testid="backup-now"
          disabled={running !== null}
          onClick={() => void backUpNow()}
        >
          {running?.phase === 'backing-up' ? 'Backing up…' : 'Back up now'}
        </button>
        <label className="health-dim">
          Passphrase (optional){' '}
          <input
            type="password"
            data-testid="backup-passphrase"
            autoComplete="off"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </label>
        {settings && (
          <span className="health-dim" data-testid="backup-folder" title={settings.folder}>
            Into {settings.folder} · keeps {settings.retention.daily} daily, {settings.retention.weekly}{' '}
            weekly, {settings.retention.monthly} monthly
          </span>
        )}
      </div>
      {running && (
        <div className="health-backup-progress" data-testid="backup-progress">
          <progress value={running.done} max={Math.max(1, running.total)} />{' '}
          {running.phase === 'restoring' ? 'Restoring' : 'Backing up'}{' '}
          {Math.floor((100 * running.done) / Math.max(1, running.total))}%
        </div>
      )}
      {error && (
        <p className="health-error" data-testid="backup-error">
          {error}
        </p>
      )}
      {pending && (
        <p className="health-backup-pending" data-testid="backup-pending">
          The backup of {formatStamp(pending.createdAt)} is verified and staged. Restart Candlework to switch
          to it; the data it replaces was backed up first.
        </p>
      )}
      {entries === null ? (
        <p className="health-dim">Reading…</p>
      ) : entries.length === 0 ? (
        <p className="health-dim" data-testid="backup-none">
          No backups yet. Back up now, or let the daily Backup task below take one.
        </p>
      ) : (
        <div className="health-table-wrap">
          <table className="health-table" data-testid="backup-list">
            <thead>
              <tr>
                <th>Taken</th>
                <th>File</th>
                <th className="r">Size</th>
                <th>Verified</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <BackupRow
                  key={e.path}
                  entry={e}
                  busy={running !== null}
                  reviewing={review?.path === e.path}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {review && <RestoreReview />}
    </>
  )
}

const AGE_CLASS = { ok: 'up', warning: 'warn', critical: 'down' } as const

/** The Health item: how old the newest verified backup is, green, amber or red, and what to do. */
function BackupAge() {
  const b = useHealthStore((s) => s.summary?.backup)
  if (!b) return null
  return (
    <p className="health-line" data-testid="backup-age" data-state={b.state}>
      <span className={AGE_CLASS[b.state]}>
        {b.ageMs === null ? 'No verified backup' : `Last verified backup ${formatDuration(b.ageMs)} ago`}
      </span>
      {b.advice && <span className="health-dim"> · {b.advice}</span>}
    </p>
  )
}

function BackupRow({ entry: e, busy, reviewing }: { entry: BackupEntry; busy: boolean; reviewing: boolean }) {
  const verifying = useBackupStore((s) => s.verifying.includes(e.path))
  return (
    <tr data-testid="backup-row" data-path={e.path}>
      <td className="num">
        {formatStamp(e.createdAt)}
        <div className="health-dim">{TRIGGERS[e.trigger]}</div>
      </td>
      <td title={e.path}>
        {fileName(e.path)}
        {e.encrypted && <span className="health-tag">encrypted</span>}
        {!e.exists && <div className="health-dim">file gone</div>}
      </td>
      <td className="num r">{e.exists ? formatBytes(e.bytes) : '—'}</td>
      <td data-testid="backup-verified">
        {e.verified === 'ok' ? (
          <span>
            <span className="up">Verified</span>{' '}
            <span className="health-dim num">
              {formatStamp(e.verifiedAt!)}
              {e.verifyMs !== null &&
                ` · ${formatDuration(e.verifyMs) === '0 s' ? `${Math.round(e.verifyMs)} ms` : formatDuration(e.verifyMs)}`}
            </span>
          </span>
        ) : e.verified === 'failed' ? (
          <span>
            <span className="down">Failed</span>
            <div className="health-task-message" title={e.message ?? ''}>
              {e.message}
            </div>
          </span>
        ) : (
          <span className="health-dim">Never</span>
        )}
      </td>
      <td className="r health-actions">
        {e.exists && (
          <>
            <button
              type="button"
              className="btn"
              data-testid="backup-verify"
              disabled={verifying || busy}
              onClick={() => void verify(e.path)}
            >
              {verifying ? 'Verifying…' : 'Verify'}
            </button>{' '}
            <button
              type="button"
              className="btn"
              data-testid="backup-restore"
              disabled={busy || reviewing}
              onClick={() => void reviewRestore(e.path)}
            >
              Restore…
            </button>
          </>
        )}
      </td>
    </tr>
  )
}

function RestoreReview() {
  const review = useBackupStore((s) => s.review)
  if (!review) return null
  return (
    <div className="health-restore" data-testid="restore-review">
      <h3>Restore {fileName(review.path)}</h3>
      {review.state === 'checking' && (
        <p className="health-dim">Verifying the backup and comparing it with the current data…</p>
      )}
      {review.state === 'refused' && (
        <p className="health-error" data-testid="restore-refused">
          {review.message}
        </p>
      )}
      {(review.state === 'ready' || review.state === 'restoring') && <DryRunView dryRun={review.dryRun} />}
      <div className="health-restore-actions">
        {(review.state === 'ready' || review.state === 'restoring') && (
          <button
            type="button"
            className="btn btn-danger"
            data-testid="restore-confirm"
            disabled={review.state === 'restoring'}
            onClick={() => void confirmRestore()}
          >
            {review.state === 'restoring' ? 'Restoring…' : 'Back up current data and restore'}
          </button>
        )}{' '}
        <button
          type="button"
          className="btn"
          data-testid="restore-cancel"
          disabled={review.state === 'restoring'}
          onClick={cancelRestore}
        >
          Cancel
        </button>
      </div>
    </div>
  )
}

function span(s: { from: number | null; to: number | null }): string {
  return s.from === null || s.to === null
    ? 'no orders or fills'
    : `${formatStamp(s.from)} – ${formatStamp(s.to)}`
}

function DryRunView({ dryRun: d }: { dryRun: DryRun }) {
  const changed = d.tables.filter((t) => t.current !== t.backup)
  return (
    <>
      <p data-testid="restore-summary">
        Taken {formatStamp(d.createdAt)} by Candlework {d.appVersion} (schema {d.schemaVersion}
        {d.schemaVersion < d.currentSchemaVersion ? `; it will be migrated to ${d.currentSchemaVersion}` : ''}
        ). Holds {d.parts.join(', ')}.
      </p>
      <p className="health-dim">
        Trading history now: {span(d.span.current)}. In the backup: {span(d.span.backup)}.
      </p>
      {changed.length === 0 ? (
        <p className="health-dim">Every table has the same number of rows as now.</p>
      ) : (
        <table className="health-table" data-testid="restore-diff">
          <thead>
            <tr>
              <th>Table</th>
              <th className="r">Rows now</th>
              <th className="r">In the backup</th>
            </tr>
          </thead>
          <tbody>
            {changed.map((t) => (
              <tr key={t.table} data-table={t.table}>
                <td>{t.table}</td>
                <td className="num r">{t.current ?? '—'}</td>
                <td className="num r">{t.backup ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
