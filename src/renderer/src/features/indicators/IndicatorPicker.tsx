import { useEffect, useMemo, useState, type FormEvent } from 'react'
import { paramsSchemaFor, type IndicatorInfo } from '../../../../shared/contract/charting'
import { addIndicator, closePicker, editIndicator, removeIndicator } from './actions'
import { findInfo, useIndicatorsStore } from './store'
import { colorOutputs, instanceLabel, outputColor, shortName } from './styles'
import './indicators.css'

/**
 * The indicator picker: a searchable list of every indicator the engine offers, and a form
 * for the chosen one's parameters (validated with the same rules the engine applies) and
 * colours. Opens in "add" mode from the toolbar and in "edit" mode from a legend row.
 */
export function IndicatorPicker() {
  const open = useIndicatorsStore((s) => s.picker.open)
  if (!open) return null
  return <PickerDialog />
}

function PickerDialog() {
  const catalogue = useIndicatorsStore((s) => s.catalogue)
  const catalogueState = useIndicatorsStore((s) => s.catalogueState)
  const editingKey = useIndicatorsStore((s) => s.picker.editing)
  const editing = useIndicatorsStore((s) =>
    s.picker.editing ? s.settings?.indicators.find((i) => i.key === s.picker.editing) : undefined,
  )
  const [query, setQuery] = useState('')
  const [chosen, setChosen] = useState<string | null>(editing?.id ?? null)

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') closePicker()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase()
    if (!q) return catalogue
    return catalogue.filter((d) =>
      [d.id, d.title, shortName(d.id), d.description].some((t) => t.toLowerCase().includes(q)),
    )
  }, [catalogue, query])

  const info = chosen ? findInfo(catalogue, chosen) : undefined
  const groups: [string, IndicatorInfo[]][] = [
    ['On the price', matches.filter((d) => d.pane === 'overlay')],
    ['In a pane below', matches.filter((d) => d.pane === 'separate')],
  ]

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && closePicker()}>
      <div
        className="ind-picker"
        role="dialog"
        aria-modal="true"
        aria-label={editing ? 'Edit indicator' : 'Add an indicator'}
        data-testid="indicator-picker"
      >
        <header className="ind-picker-head">
          <span>
            {editing && info ? `Edit ${instanceLabel(info, info.id, editing.params)}` : 'Indicators'}
          </span>
          <button type="button" className="icon-btn" aria-label="Close" onClick={closePicker}>
            ×
          </button>
        </header>
        <div className={`ind-picker-body${editing ? ' editing' : ''}`}>
          {!editing && (
            <aside className="ind-list">
              <input
                autoFocus
                className="ind-search"
                type="search"
                placeholder="Search: RSI, moving average, volume…"
                aria-label="Search indicators"
                data-testid="indicator-search"
                value={query}
                onChange={(e) => setQuery(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && matches[0]) setChosen(matches[0].id)
                }}
              />
              <div className="ind-list-scroll" role="listbox" aria-label="Indicators">
                {catalogueState === 'loading' && <div className="ind-empty">Loading…</div>}
                {catalogueState === 'ready' && matches.length === 0 && (
                  <div className="ind-empty">No indicator matches “{query}”.</div>
                )}
                {groups.map(
                  ([label, list]) =>
                    list.length > 0 && (
                      <div key={label} className="ind-group">
                        <div className="ind-group-head">{label}</div>
                        {list.map((d) => (
                          <button
                            key={d.id}
                            type="button"
                            role="option"
                            aria-selected={d.id === chosen}
                            className="ind-option"
                            data-testid="indicator-option"
                            data-id={d.id}
                            onClick={() => setChosen(d.id)}
                            onDoubleClick={() => {
                              // Double-click adds it with its defaults.
                              const defaults = Object.fromEntries(d.params.map((p) => [p.name, p.default]))
                              addIndicator(d.id, defaults, {})
                              closePicker()
                            }}
                          >
                            <span className="ind-option-title">{d.title}</span>
                            <span className="ind-option-short">{shortName(d.id)}</span>
                          </button>
                        ))}
                      </div>
                    ),
                )}
              </div>
            </aside>
          )}
          <section className="ind-detail">
            {info ? (
              <ParamsForm
                key={`${info.id}:${editingKey ?? ''}`}
                info={info}
                initialParams={editing?.params ?? {}}
                initialColors={editing?.colors ?? {}}
                editingKey={editingKey}
              />
            ) : (
              <div className="ind-detail-empty">
                Choose an indicator on the left to set its parameters.
                <span>Overlays are drawn on the price; oscillators get a pane of their own below it.</span>
                <span>Double-click an indicator to add it with its default parameters.</span>
              </div>
            )}
          </section>
        </div>
      </div>
    </div>
  )
}

function ParamsForm({
  info,
  initialParams,
  initialColors,
  editingKey,
}: {
  info: IndicatorInfo
  initialParams: Record<string, number | string>
  initialColors: Record<string, string>
  editingKey: string | null
}) {
  const [text, setText] = useState<Record<string, string>>(() =>
    Object.fromEntries(info.params.map((p) => [p.name, String(initialParams[p.name] ?? p.default)])),
  )
  const colorable = colorOutputs(info)
  const [colors, setColors] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      colorable.map((o) => [
        o.name,
        outputColor(
          info.id,
          o.name,
          info.outputs.findIndex((x) => x.name === o.name),
          initialColors,
        ).slice(0, 7),
      ]),
    ),
  )
  const schema = useMemo(() => paramsSchemaFor(info.params), [info])

  const values: Record<string, number | string | undefined> = {}
  for (const p of info.params) {
    const raw = text[p.name] ?? ''
    if (p.kind === 'choice') values[p.name] = raw
    else values[p.name] = raw.trim() === '' || !Number.isFinite(Number(raw)) ? undefined : Number(raw)
  }
  const parsed = schema.safeParse(values)
  const errors: Record<string, string> = {}
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '')
      errors[name] ??= issue.message
    }
  }

  const submit = (e: FormEvent): void => {
    e.preventDefault()
    if (!parsed.success) return
    if (editingKey) editIndicator(editingKey, parsed.data, colors)
    else addIndicator(info.id, parsed.data, colors)
    closePicker()
  }

  return (
    <form className="ind-form" onSubmit={submit} noValidate data-testid="indicator-form" data-id={info.id}>
      <div className="ind-form-title">
        <h2>{info.title}</h2>
        <span className="ind-pane-tag">{info.pane === 'overlay' ? 'On the price' : 'Own pane'}</span>
      </div>
      <p className="ind-desc">
        <Prose text={info.description} />
      </p>
      <p className="ind-warmup" title="How the first values shown are made right">
        {info.warmup}
      </p>
      {info.params.length > 0 && (
        <fieldset className="ind-fields">
          <legend>Parameters</legend>
          {info.params.map((p) => {
            const err = errors[p.name]
            const id = `param-${info.id}-${p.name}`
            return (
              <div key={p.name} className={`ind-field${err ? ' invalid' : ''}`}>
                <label htmlFor={id}>{p.name}</label>
                {p.kind === 'choice' ? (
                  <select
                    id={id}
                    data-testid={`param-${p.name}`}
                    value={text[p.name]}
                    onChange={(e) => setText({ ...text, [p.name]: e.target.value })}
                  >
                    {p.choices.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={id}
                    data-testid={`param-${p.name}`}
                    className="num"
                    inputMode={p.kind === 'integer' ? 'numeric' : 'decimal'}
                    value={text[p.name]}
                    aria-invalid={err ? true : undefined}
                    aria-describedby={`${id}-hint`}
                    onChange={(e) => setText({ ...text, [p.name]: e.target.value })}
                  />
                )}
                <span
                  id={`${id}-hint`}
                  className={err ? 'ind-error' : 'ind-hint'}
                  data-testid={err ? `param-error-${p.name}` : undefined}
                >
                  {err
                    ? `${p.name} ${err}`
                    : `${p.description}${p.kind !== 'choice' ? ` · default ${p.default}` : ''}`}
                </span>
              </div>
            )
          })}
        </fieldset>
      )}
      {colorable.length > 0 && (
        <fieldset className="ind-fields ind-colors">
          <legend>Colours</legend>
          {colorable.map((o) => (
            <label key={o.name} className="ind-color">
              <input
                type="color"
                data-testid={`color-${o.name}`}
                value={colors[o.name]}
                onChange={(e) => setColors({ ...colors, [o.name]: e.target.value })}
              />
              <span>{o.label}</span>
            </label>
          ))}
        </fieldset>
      )}
      <div className="ind-actions">
        {editingKey && (
          <button
            type="button"
            className="btn btn-danger"
            onClick={() => {
              removeIndicator(editingKey)
              closePicker()
            }}
          >
            Remove
          </button>
        )}
        <span className="ind-spacer" />
        <button type="button" className="btn" onClick={closePicker}>
          Cancel
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!parsed.success}
          data-testid="indicator-submit"
        >
          {editingKey ? 'Save' : 'Add to chart'}
        </button>
      </div>
    </form>
  )
}

/** Text with `code` spans, as the registry writes parameter names. */
function Prose({ text }: { text: string }) {
  return <>{text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>
}
