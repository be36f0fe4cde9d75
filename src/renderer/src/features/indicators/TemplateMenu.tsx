import { useEffect, useRef, useState } from 'react'
import { useTradeStore } from '../chart/store'
import { setPinned } from './actions'
import { useIndicatorsStore } from './store'
import { applyTemplate, deleteTemplate, loadTemplates, saveTemplate } from './templates'

/**
 * Indicator templates, as on TradingView: the indicators shown follow the trader to every symbol
 * (the template) unless pinned to this symbol; named templates are saved from the chart and
 * applied on any chart.
 */
export function TemplateMenu() {
  const [open, setOpen] = useState(false)
  const [name, setName] = useState('')
  const [error, setError] = useState<string | null>(null)
  const ref = useRef<HTMLDivElement>(null)
  const settings = useIndicatorsStore((s) => s.settings)
  const templates = useIndicatorsStore((s) => s.templates)
  const symbol = useTradeStore((s) => s.selected?.symbol ?? null)
  const pinned = settings?.pinned === true

  useEffect(() => {
    if (!open) return
    void loadTemplates()
    const outside = (e: PointerEvent): void => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false)
    }
    const escape = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') setOpen(false)
    }
    document.addEventListener('pointerdown', outside)
    document.addEventListener('keydown', escape)
    return () => {
      document.removeEventListener('pointerdown', outside)
      document.removeEventListener('keydown', escape)
    }
  }, [open])

  const save = async (): Promise<void> => {
    const refused = await saveTemplate(name)
    setError(refused)
    if (refused === null) setName('')
  }

  return (
    <div className="tpl" ref={ref}>
      <button
        type="button"
        className="tool-btn"
        disabled={!settings}
        aria-expanded={open}
        aria-haspopup="dialog"
        data-testid="templates-button"
        data-pinned={pinned}
        title={
          pinned
            ? `These indicators are pinned to ${symbol ?? 'this symbol'}`
            : 'These indicators are your template: they follow you to every symbol not pinned'
        }
        onClick={() => setOpen(!open)}
      >
        {pinned ? 'Pinned' : 'Template'} ▾
      </button>
      {open && settings && (
        <div className="tpl-menu" role="dialog" aria-label="Indicator templates" data-testid="templates-menu">
          <label className="tpl-pin">
            <input
              type="checkbox"
              checked={pinned}
              data-testid="indicators-pin"
              onChange={(e) => void setPinned(e.target.checked)}
            />
            Pin these indicators to {symbol}
          </label>
          <p className="tpl-hint">
            {pinned
              ? `${symbol} keeps its own indicators; other symbols show your template.`
              : 'Your template: shown on every symbol without pinned indicators.'}
          </p>
          <div className="tpl-head">Saved templates</div>
          {templates === null ? (
            <p className="tpl-hint">Loading…</p>
          ) : templates.length === 0 ? (
            <p className="tpl-hint">None yet: name the indicators shown below to keep them.</p>
          ) : (
            <ul className="tpl-list">
              {templates.map((t) => (
                <li key={t.name} className="tpl-row" data-testid="template-row" data-name={t.name}>
                  <span className="tpl-name" title={t.indicators.map((i) => i.id.toUpperCase()).join(', ')}>
                    {t.name} <span className="tpl-count">{t.indicators.length}</span>
                  </span>
                  <button
                    type="button"
                    className="btn btn-small"
                    data-testid="template-apply"
                    title={`Show ${t.name}'s indicators on this chart`}
                    onClick={() => {
                      applyTemplate(t.name)
                      setOpen(false)
                    }}
                  >
                    Apply
                  </button>
                  <button
                    type="button"
                    className="tpl-delete"
                    aria-label={`Delete ${t.name}`}
                    title={`Delete ${t.name}`}
                    onClick={() => void deleteTemplate(t.name)}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <form
            className="tpl-save"
            onSubmit={(e) => {
              e.preventDefault()
              void save()
            }}
          >
            <input
              aria-label="Template name"
              placeholder="Name the indicators shown"
              value={name}
              maxLength={60}
              data-testid="template-name"
              onChange={(e) => setName(e.target.value)}
            />
            <button
              type="submit"
              className="btn btn-small"
              data-testid="template-save"
              disabled={name.trim() === '' || settings.indicators.length === 0}
            >
              Save
            </button>
          </form>
          {error && (
            <p className="tpl-error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  )
}
