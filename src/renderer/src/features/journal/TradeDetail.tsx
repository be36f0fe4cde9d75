import { useState } from 'react'
import { TAG_KINDS, type JournalTrade, type Tag } from '../../../../shared/contract/journal'
import { formatPercent } from '../../lib/format'
import { saveEdit, select } from './actions'
import {
  EXIT_LABELS,
  holding,
  timeText,
  money,
  pnl,
  pnlClass,
  plain,
  price,
  rText,
  numClass,
  size,
} from './format'
import { renderNotes } from './notes-markdown'
import { useJournalStore, type TradeDetail as Detail } from './store'
import { TradeChart } from './TradeChart'

/** The selected trade: its figures, chart, fills, the signal at entry, and the trader's notes, tags, rating and stop. */
export function TradeDetail() {
  const detail = useJournalStore((s) => s.detail)
  const selected = useJournalStore((s) => s.selected)
  if (!selected) return null
  if (!detail || detail.trade.key !== selected)
    return (
      <aside className="jr-detail" data-testid="journal-detail">
        <p className="jr-dim">Opening the trade…</p>
      </aside>
    )
  const t = detail.trade
  return (
    <aside className="jr-detail" data-testid="journal-detail" data-key={t.key}>
      <header className="jr-detail-head">
        <div>
          <h2>
            {t.symbol}{' '}
            <span className={t.side === 'long' ? 'up' : 'down'}>{t.side === 'long' ? 'Long' : 'Short'}</span>
          </h2>
          <p className="jr-dim">
            {t.accountName} · {t.status === 'open' ? 'open' : `closed ${timeText(t.exitTime)}`}
          </p>
        </div>
        <div className="jr-detail-pnl">
          <strong className={`num ${pnlClass(t.quote, t.netPnl)}`} data-testid="journal-detail-net">
            {pnl(t.quote, t.netPnl)} {t.quote}
          </strong>
          <span className={`num ${numClass(t.returnPct)}`}>{formatPercent(t.returnPct)}</span>
        </div>
        <button
          type="button"
          className="jr-close"
          aria-label="Close the trade"
          onClick={() => void select(null)}
        >
          ×
        </button>
      </header>
      {detail.unusual && (
        <p className="jr-unusual-reason" data-testid="journal-detail-unusual" role="note">
          <span className="jr-unusual" aria-hidden="true">
            !
          </span>
          {detail.unusual.reason}. Robust z-score: the distance from the median in median absolute deviations
          × 1.4826; flagged from 3.5.
        </p>
      )}
      <TradeChart detail={detail} />
      <Figures t={t} />
      {/* Keyed by trade: another trade starts with its own text. */}
      <Editor key={t.key} t={t} />
      <Signal t={t} />
      <Fills detail={detail} />
    </aside>
  )
}

function Figures({ t }: { t: JournalTrade }) {
  return (
    <dl className="jr-kv">
      <dt>Opened</dt>
      <dd className="num">{timeText(t.entryTime)}</dd>
      <dt>Held</dt>
      <dd className="num">{holding(t.holdingMs)}</dd>
      <dt>Avg entry</dt>
      <dd className="num" title={t.avgEntry}>
        {price(t, t.avgEntry)}
      </dd>
      <dt>Avg exit</dt>
      <dd className="num" title={t.avgExit ?? undefined}>
        {price(t, t.avgExit)}
      </dd>
      <dt>Size</dt>
      <dd className="num">{size(t.size)}</dd>
      <dt>Exit by</dt>
      <dd>{t.exitReason ? EXIT_LABELS[t.exitReason] : '—'}</dd>
      <dt>Gross</dt>
      <dd className={`num ${pnlClass(t.quote, t.grossPnl)}`} title={t.grossPnl}>
        {pnl(t.quote, t.grossPnl)}
      </dd>
      <dt>Fees</dt>
      <dd className="num" title={t.fees} data-testid="journal-detail-fees">
        {money(t.quote, t.fees)}
        {t.otherFees.map((f) => (
          <span
            key={f.currency}
            className={f.converted === null ? 'jr-warn' : 'jr-dim'}
            title={f.note ?? undefined}
          >
            {f.converted === null
              ? ` + ${f.cost} ${f.currency} (not converted: no price)`
              : ` (incl. ${f.cost} ${f.currency} = ${money(t.quote, f.converted)})`}
          </span>
        ))}
      </dd>
      {t.accountPnl && t.accountPnl.currency !== t.quote && (
        <>
          <dt>Net in {t.accountPnl.currency}</dt>
          <dd
            className={`num ${pnlClass(t.accountPnl.currency, t.accountPnl.netPnl)}`}
            data-testid="journal-detail-account-pnl"
            title={
              t.accountPnl.note ??
              `gross ${t.accountPnl.grossPnl} ${t.accountPnl.currency} at 1 ${t.quote} = ${t.accountPnl.rate} ${t.accountPnl.currency}`
            }
          >
            {t.accountPnl.netPnl === null ? '— (no price)' : pnl(t.accountPnl.currency, t.accountPnl.netPnl)}
          </dd>
        </>
      )}
      <dt>R</dt>
      <dd className={`num ${numClass(t.r)}`} data-testid="journal-detail-r">
        {rText(t.r)}
      </dd>
      <dt>Stop</dt>
      <dd className="num">
        {price(t, t.stopPrice)}
        {t.stopSource && (
          <span className="jr-dim"> ({t.stopSource === 'order' ? 'stop order' : 'yours'})</span>
        )}
      </dd>
      <dt>MAE</dt>
      <dd className="num down" title={t.mae?.price}>
        {t.mae ? `${price(t, t.mae.price)} (${formatPercent(t.mae.pct)})` : '—'}
      </dd>
      <dt>MFE</dt>
      <dd className="num up" title={t.mfe?.price}>
        {t.mfe ? `${price(t, t.mfe.price)} (${formatPercent(t.mfe.pct)})` : '—'}
      </dd>
      <dt>Strategy</dt>
      <dd>{t.strategy}</dd>
    </dl>
  )
}

/** Notes, tags, rating and the stop for R; each saved on its own (notes with the button or Ctrl+Enter). */
function Editor({ t }: { t: JournalTrade }) {
  const saveError = useJournalStore((s) => s.saveError)
  const [notes, setNotes] = useState(t.notes)
  const [stop, setStop] = useState(t.stopSource === 'trader' ? (t.stopPrice ?? '') : '')
  const [tagName, setTagName] = useState('')
  const [tagKind, setTagKind] = useState<Tag['kind']>('setup')
  const [saved, setSaved] = useState<string | null>(null)
  // Notes open as text while there are none to read, rendered once there are.
  const [editing, setEditing] = useState(t.notes === '')
  const dirty = notes !== t.notes
  const saveNotes = async () => {
    if (await saveEdit(t.key, { notes })) setSaved('Notes saved')
  }
  const addTag = async () => {
    const name = tagName.trim()
    if (name === '') return
    if (t.tags.some((g) => g.kind === tagKind && g.name.toLowerCase() === name.toLowerCase()))
      return setTagName('')
    if (await saveEdit(t.key, { tags: [...t.tags, { kind: tagKind, name }] })) setTagName('')
  }
  return (
    <section className="jr-edit" data-testid="journal-editor">
      <div className="jr-edit-row">
        <span className="jr-label">Rating</span>
        <span className="jr-rating" role="radiogroup" aria-label="Rating">
          {[1, 2, 3, 4, 5].map((n) => (
            <button
              key={n}
              type="button"
              role="radio"
              aria-checked={t.rating === n}
              title={t.rating === n ? 'Click again to clear' : `${n} of 5`}
              className={t.rating !== null && n <= t.rating ? 'jr-star on' : 'jr-star'}
              data-testid={`journal-rate-${n}`}
              onClick={() => void saveEdit(t.key, { rating: t.rating === n ? null : n })}
            >
              ★
            </button>
          ))}
        </span>
        <label className="jr-stop">
          <span className="jr-label">Stop for R</span>
          <input
            inputMode="decimal"
            value={stop}
            placeholder={t.stopSource === 'order' ? `${t.stopPrice} (order)` : 'price'}
            data-testid="journal-stop"
            onChange={(e) => setStop(e.target.value)}
            onBlur={() => {
              const v = stop.trim().replace(/,/g, '')
              const current = t.stopSource === 'trader' ? t.stopPrice : null
              if ((v === '' ? null : v) !== current) void saveEdit(t.key, { stopPrice: v === '' ? null : v })
            }}
          />
        </label>
      </div>
      <div className="jr-edit-row jr-tags" data-testid="journal-tags">
        <span className="jr-label">Tags</span>
        {t.tags.map((g) => (
          <span key={`${g.kind}:${g.name}`} className={`jr-tag jr-tag-${g.kind}`} data-testid="journal-tag">
            {g.name}
            <button
              type="button"
              aria-label={`Remove tag ${g.name}`}
              onClick={() => void saveEdit(t.key, { tags: t.tags.filter((x) => x !== g) })}
            >
              ×
            </button>
          </span>
        ))}
        <select
          value={tagKind}
          aria-label="Tag kind"
          onChange={(e) => setTagKind(e.target.value as Tag['kind'])}
        >
          {TAG_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <input
          value={tagName}
          placeholder="Add a tag"
          maxLength={40}
          data-testid="journal-tag-input"
          onChange={(e) => setTagName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void addTag()
          }}
        />
      </div>
      <div className="jr-notes">
        <span className="jr-notes-head">
          <span className="jr-label">Notes (markdown)</span>
          <span className="jr-notes-mode" role="tablist" aria-label="Notes">
            <button
              type="button"
              role="tab"
              aria-selected={editing}
              data-testid="journal-notes-edit"
              onClick={() => setEditing(true)}
            >
              Edit
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={!editing}
              data-testid="journal-notes-view"
              onClick={() => setEditing(false)}
            >
              View
            </button>
          </span>
        </span>
        {editing ? (
          <textarea
            value={notes}
            rows={5}
            aria-label="Notes"
            placeholder="Why you took it, how you managed it, what you would do again."
            data-testid="journal-notes"
            onChange={(e) => {
              setNotes(e.target.value)
              setSaved(null)
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void saveNotes()
            }}
          />
        ) : (
          <div className="jr-md" data-testid="journal-notes-rendered">
            {notes.trim() === '' ? <p className="jr-dim">No notes yet.</p> : renderNotes(notes)}
          </div>
        )}
      </div>
      <div className="jr-edit-row">
        <button
          type="button"
          className="jr-save"
          disabled={!dirty}
          data-testid="journal-notes-save"
          onClick={() => void saveNotes()}
        >
          Save notes
        </button>
        <span className={saveError ? 'down' : 'jr-dim'} data-testid="journal-save-state">
          {saveError ?? (dirty ? 'Unsaved (Ctrl+Enter saves)' : (saved ?? ''))}
        </span>
      </div>
    </section>
  )
}

function Signal({ t }: { t: JournalTrade }) {
  const s = t.signal
  return (
    <section className="jr-section" data-testid="journal-signal">
      <h3>Signal at entry</h3>
      {!s ? (
        <p className="jr-dim">No signal was recorded for this market before the entry.</p>
      ) : (
        <>
          <p>
            <strong className={s.direction === 'buy' ? 'up' : s.direction === 'sell' ? 'down' : ''}>
              {plain(s.score, 0)} {s.direction}
            </strong>{' '}
            <span className="jr-dim">
              · {s.timeframe} bar of {timeText(s.time)} · confidence {Math.round(s.confidence * 100)}% ·
              profile {s.profile}
            </span>
          </p>
          <ul className="jr-reasons">
            {s.reasons.map((r, i) => (
              <li key={i} className={r.tone === 'bull' ? 'up' : r.tone === 'bear' ? 'down' : ''}>
                <span className="jr-dim">{r.component}:</span> {r.text}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

function Fills({ detail }: { detail: Detail }) {
  const t = detail.trade
  return (
    <section className="jr-section">
      <h3>Fills</h3>
      <table className="jr-fills" data-testid="journal-fills">
        <thead>
          <tr>
            <th>Time</th>
            <th>Role</th>
            <th className="r">Amount</th>
            <th className="r">Price</th>
            <th className="r">Fee</th>
            <th className="r">Realized</th>
          </tr>
        </thead>
        <tbody>
          {detail.fills.map((f, i) => (
            <tr key={i}>
              <td className="num">{timeText(f.time)}</td>
              <td className={f.side === 'buy' ? 'up' : 'down'}>
                {f.side === 'buy' ? 'Buy' : 'Sell'} · {f.role}
              </td>
              <td className="r num">{size(f.amount)}</td>
              <td className="r num">{price(t, f.price)}</td>
              <td className="r num" title={f.fee}>
                {money(t.quote, f.fee)}
              </td>
              <td className={`r num ${pnlClass(t.quote, f.realized)}`}>{pnl(t.quote, f.realized)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
