import { useState } from 'react'
import {
  IMPORT_CHUNK_CHARS,
  IMPORT_FORMAT_NAMES,
  IMPORT_MAX_BYTES,
  type ImportSummary,
} from '../../../../shared/contract/journal-files'
import { client } from '../../connection'
import { Modal } from '../desk/Modal'

type Format = (typeof IMPORT_FORMAT_NAMES)[number]

const FORMAT_LABEL: Record<Format, string> = {
  candlework: "Candlework's fills export",
  'candlework-trades': "Candlework's trades export",
  binance: "Binance's trade history",
  ccxt: 'ccxt fetchMyTrades (JSON)',
  tradervue: "Tradervue's generic format",
}
const MAX_MIB = IMPORT_MAX_BYTES / 1024 / 1024

/** Sends a file's text to the engine in chunks; the id the preview and commit name it by. */
async function upload(text: string): Promise<string> {
  const uploadId = crypto.randomUUID()
  for (let seq = 0, at = 0; seq === 0 || at < text.length; seq++, at += IMPORT_CHUNK_CHARS) {
    const res = await client().invoke('journal.importChunk', {
      uploadId,
      seq,
      data: text.slice(at, at + IMPORT_CHUNK_CHARS),
    })
    if (!res.ok) throw new Error(res.error.message)
  }
  return uploadId
}

/**
 * Import trades from a file into an imported account (docs/CSV.md): pick the file (at most
 * 32 MiB), the format (detected from the header unless chosen) and the account's name, see what
 * would be imported (fills, duplicates, bad rows with line and column), then confirm.
 */
export function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [file, setFile] = useState<File | null>(null)
  const [format, setFormat] = useState<Format | ''>('')
  const [account, setAccount] = useState('Imported')
  const [skipBad, setSkipBad] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [preview, setPreview] = useState<{ uploadId: string; summary: ImportSummary } | null>(null)
  const [result, setResult] = useState<ImportSummary | null>(null)

  const reset = (): void => {
    setPreview(null)
    setResult(null)
    setError(null)
  }
  const close = (): void => {
    reset()
    setFile(null)
    onClose()
  }
  const params = (uploadId: string) => ({
    uploadId,
    fileName: file?.name ?? 'file',
    account: account.trim(),
    skipBad,
    ...(format ? { format } : {}),
  })
  const runPreview = async (): Promise<void> => {
    if (!file) return
    reset()
    if (file.size > IMPORT_MAX_BYTES) {
      setError(`${file.name} is larger than ${MAX_MIB} MiB: import it with npm run cli -- import-trades`)
      return
    }
    setBusy(true)
    try {
      const uploadId = await upload(await file.text())
      const res = await client().invoke('journal.importPreview', params(uploadId))
      if (!res.ok) setError(res.error.message)
      else setPreview({ uploadId, summary: res.value })
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  const commit = async (): Promise<void> => {
    if (!preview) return
    setBusy(true)
    try {
      const res = await client().invoke('journal.importCommit', params(preview.uploadId))
      if (!res.ok) setError(res.error.message)
      else setResult(res.value)
    } finally {
      setBusy(false)
    }
  }
  const s = preview?.summary
  const bad = s ? s.issueCount : 0
  const blocked = s !== undefined && ((bad > 0 && !skipBad) || s.rowsToWrite === 0)
  return (
    <Modal
      open={open}
      onCancel={close}
      label="Import trades"
      tone="neutral"
      testId="journal-import-dialog"
      className="jr-file-dialog"
    >
      <form
        className="jr-file-form"
        onSubmit={(e) => {
          e.preventDefault()
          if (result) close()
          else if (preview && !blocked) void commit()
          else void runPreview()
        }}
      >
        <div className="tk-dialog-head">Import trades</div>
        <label className="jr-field">
          <span>File (CSV or JSON, at most {MAX_MIB} MiB)</span>
          <input
            type="file"
            accept=".csv,.json,.txt,text/csv,application/json"
            data-testid="import-file"
            disabled={busy}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null)
              reset()
            }}
          />
        </label>
        <label className="jr-field">
          <span>Format</span>
          <select
            value={format}
            data-testid="import-format"
            disabled={busy}
            onChange={(e) => {
              setFormat(e.target.value as Format | '')
              reset()
            }}
          >
            <option value="">Detect from the header</option>
            {IMPORT_FORMAT_NAMES.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABEL[f]}
              </option>
            ))}
          </select>
        </label>
        <label className="jr-field">
          <span>Into the imported account</span>
          <input
            value={account}
            maxLength={60}
            data-testid="import-account"
            disabled={busy}
            onChange={(e) => {
              setAccount(e.target.value)
              reset()
            }}
          />
        </label>
        {s && !result && (
          <div className="jr-import-preview" data-testid="import-preview" role="status">
            <p>
              {FORMAT_LABEL[s.format]}: {s.rowsRead.toLocaleString()} row{s.rowsRead === 1 ? '' : 's'} read
              {s.trades > 0 ? ` (${s.trades.toLocaleString()} trade${s.trades === 1 ? '' : 's'})` : ''}.{' '}
              <strong data-testid="import-count">{s.rowsToWrite.toLocaleString()}</strong> fills to import
              into {s.account.exists ? `"${s.account.name}"` : `a new account "${s.account.name}"`}
              {s.duplicateCount > 0 ? `; ${s.duplicateCount.toLocaleString()} already there (skipped)` : ''}.
            </p>
            {s.duplicateCount > 0 && (
              <ul className="jr-import-list" data-testid="import-duplicates">
                {s.duplicates.map((d) => (
                  <li key={d.line}>
                    line {d.line}: {d.symbol}, same {d.reason} as {d.of}
                  </li>
                ))}
              </ul>
            )}
            {bad > 0 && (
              <>
                <p className="jr-import-bad">
                  {bad.toLocaleString()} bad row{bad === 1 ? '' : 's'}
                  {skipBad ? ' (left out)' : ': nothing is imported until they are fixed, or left out'}:
                </p>
                <ul className="jr-import-list" data-testid="import-issues">
                  {s.issues.map((i) => (
                    <li key={`${i.line}:${i.column}`}>
                      {s.file}:{i.line}:{i.column}
                      {i.field ? ` (${i.field})` : ''}: {i.message}
                    </li>
                  ))}
                </ul>
                <label className="jr-check">
                  <input type="checkbox" checked={skipBad} onChange={(e) => setSkipBad(e.target.checked)} />
                  Leave the bad rows out
                </label>
              </>
            )}
          </div>
        )}
        {result && (
          <p className="tk-dialog-text" role="status" data-testid="import-done">
            Imported {result.rowsToWrite.toLocaleString()} fills into "{result.account.name}".
          </p>
        )}
        {error !== null && (
          <div className="tk-acc-error tk-acc-error-form" role="alert" data-testid="import-error">
            {error}
          </div>
        )}
        <div className="tk-dialog-actions">
          <button type="button" className="btn" onClick={close} disabled={busy}>
            {result ? 'Close' : 'Cancel'}
          </button>
          {result ? (
            <button type="submit" className="btn tk-btn-solid tk-btn-primary" data-testid="import-close">
              Done
            </button>
          ) : preview ? (
            <button
              type="submit"
              className="btn tk-btn-solid tk-btn-primary"
              data-testid="import-confirm"
              disabled={busy || blocked}
            >
              {busy ? 'Importing…' : `Import ${s!.rowsToWrite.toLocaleString()} fills`}
            </button>
          ) : (
            <button
              type="submit"
              className="btn tk-btn-solid tk-btn-primary"
              data-testid="import-preview-button"
              disabled={busy || !file || account.trim() === ''}
            >
              {busy ? 'Reading…' : 'Preview'}
            </button>
          )}
        </div>
      </form>
    </Modal>
  )
}
