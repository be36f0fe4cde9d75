import { useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { ExchangeInfo } from '../../../../shared/contract/exchange'
import { credentialLabel } from '../../../../shared/domain/credentials'
import { searchExchanges } from './exchange-badge'
import { ExchangeLogo } from './ExchangeLogo'
import { useTradingStore } from '../desk/store'

/** The picker's pseudo-entry for "no exchange": a paper account on the demo market. */
const DEMO_ENTRY = { id: '', name: 'Demo market', credentials: [], websocket: false } satisfies ExchangeInfo

/**
 * A searchable exchange picker over ccxt's list (`exchange.list`): each exchange with its text
 * mark, its name and its id, and the extra credentials its keys need (a passphrase for OKX). Type
 * to filter by name or id (an exact id or name is chosen as it is typed); arrows and Enter pick;
 * Escape closes. Only an exchange of the list can be chosen: text that names none goes back to
 * the choice when the field is left.
 */
export function ExchangePicker({
  id,
  value,
  onChange,
  invalid,
  allowDemo = false,
}: {
  id: string
  /** The chosen exchange id ('' for none, or the demo market with `allowDemo`). */
  value: string
  onChange: (exchangeId: string) => void
  invalid: boolean
  /** Offer "Demo market" first (a paper account's prices). */
  allowDemo?: boolean
}) {
  const exchanges = useTradingStore((s) => s.exchanges)
  const state = useTradingStore((s) => s.exchangesState)
  const all = useMemo(() => (allowDemo ? [DEMO_ENTRY, ...exchanges] : exchanges), [allowDemo, exchanges])
  const chosen =
    all.find((x) => x.id === value) ?? (value === '' ? undefined : { ...DEMO_ENTRY, id: value, name: value })
  const [query, setQuery] = useState<string | null>(null)
  const [active, setActive] = useState(0)
  const listId = useId()
  const listRef = useRef<HTMLUListElement>(null)
  const open = query !== null
  const matches = useMemo(() => {
    if (query === null) return []
    const found = searchExchanges(exchanges, query)
    return allowDemo && (query.trim() === '' || 'demo market'.includes(query.trim().toLowerCase()))
      ? [DEMO_ENTRY, ...found]
      : found
  }, [allowDemo, exchanges, query])

  const pick = (x: ExchangeInfo): void => {
    setQuery(null)
    if (x.id !== value) onChange(x.id)
  }
  /**
   * The exchange an exact id or name stands for. Leaving the field before the list has arrived (it
   * takes a second the first time), text in the form of an id is taken as one; the engine refuses
   * an unknown id.
   */
  const exactMatch = (text: string, leaving: boolean): string | null => {
    const q = text.trim().toLowerCase()
    if (q === '') return null
    const exact = all.find((x) => x.id !== '' && (x.id.toLowerCase() === q || x.name.toLowerCase() === q))
    if (exact) return exact.id
    return leaving && exchanges.length === 0 && /^[a-z0-9]{2,40}$/.test(q) ? q : null
  }
  /** Leaving the field: an exact name or id is taken; anything else goes back to the choice. */
  const settle = (): void => {
    if (query === null) return
    const exact = exactMatch(query, true)
    setQuery(null)
    if (exact !== null && exact !== value) onChange(exact)
  }
  const move = (to: number): void => {
    const n = matches.length
    if (n === 0) return
    const next = (to + n) % n
    setActive(next)
    listRef.current?.children[next]?.scrollIntoView({ block: 'nearest' })
  }
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      if (!open) {
        setQuery('')
        setActive(0)
      } else move(active + (e.key === 'ArrowDown' ? 1 : -1))
    } else if (e.key === 'Enter' && open) {
      e.preventDefault()
      const x = matches[active]
      if (x) pick(x)
      else settle()
    } else if (e.key === 'Escape' && open) {
      // Closes the list, not the dialog.
      e.preventDefault()
      e.stopPropagation()
      setQuery(null)
    }
  }
  const optionId = (i: number): string => `${listId}-o${i}`
  const placeholder =
    state === 'loading' || (state === 'idle' && exchanges.length === 0)
      ? 'Loading exchanges…'
      : allowDemo
        ? 'Demo market'
        : 'Search exchanges'

  return (
    <div className="acc-picker" data-testid="exchange-picker" data-value={value}>
      <div className={`acc-picker-control${invalid ? ' acc-picker-invalid' : ''}`}>
        {!open && chosen && <ExchangeLogo id={chosen.id || 'demo'} name={chosen.name} />}
        <input
          id={id}
          className="acc-picker-input"
          data-testid="account-exchange"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && matches[active] ? optionId(active) : undefined}
          aria-invalid={invalid}
          value={open ? query : (chosen?.name ?? '')}
          placeholder={placeholder}
          spellCheck={false}
          autoComplete="off"
          onFocus={(e) => e.currentTarget.select()}
          onClick={() => {
            if (!open) {
              setQuery('')
              setActive(0)
            }
          }}
          onChange={(e) => {
            setQuery(e.target.value)
            setActive(0)
            // Typing an exchange's exact id or name chooses it; the list stays open for another.
            const exact = exactMatch(e.target.value, false)
            if (exact !== null && exact !== value) onChange(exact)
          }}
          onKeyDown={onKeyDown}
          onBlur={settle}
        />
        {!open && chosen && chosen.id !== '' && <span className="acc-picker-id">{chosen.id}</span>}
        <span className="acc-picker-caret" aria-hidden="true">
          ▾
        </span>
      </div>
      {open && (
        <ul
          ref={listRef}
          id={listId}
          role="listbox"
          className="acc-picker-list"
          data-testid="exchange-options"
        >
          {matches.length === 0 && (
            <li className="acc-picker-empty" role="presentation">
              {state === 'ready' ? `No exchange matches “${query}”` : 'Loading exchanges…'}
            </li>
          )}
          {matches.map((x, i) => {
            const extra = x.credentials.filter((c) => c !== 'apiKey' && c !== 'secret')
            return (
              <li
                key={x.id || 'demo'}
                id={optionId(i)}
                role="option"
                aria-selected={i === active}
                className={`acc-picker-option${i === active ? ' active' : ''}`}
                data-testid="exchange-option"
                data-exchange={x.id}
                // Picked before the input's blur would settle the text.
                onMouseDown={(e) => e.preventDefault()}
                // Only a moving pointer: the dialog growing under a still one must not change the pick.
                onMouseMove={() => {
                  if (active !== i) setActive(i)
                }}
                onClick={() => pick(x)}
              >
                <ExchangeLogo id={x.id || 'demo'} name={x.name} />
                <span className="acc-picker-name">{x.name}</span>
                {x.id !== '' && <span className="acc-picker-id">{x.id}</span>}
                {extra.length > 0 && (
                  <span className="acc-picker-needs" title="Its API keys include these too">
                    + {extra.map((c) => credentialLabel(c, x.credentials).toLowerCase()).join(', ')}
                  </span>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}
