import { useEffect } from 'react'
import { create } from 'zustand'

/**
 * Every keyboard shortcut of the app, in one table: what the "?" overlay and Settings list,
 * and what the one keydown listener (installed by the shell) dispatches. A feature binds the
 * handler of an entry while it is shown (`useShortcut`); an entry without a handler does
 * nothing. Shortcuts never fire while the trader types in a field, except the few marked
 * `whileTyping` (function keys, which type nothing).
 */

/** What a shortcut is matched against: the fields of a KeyboardEvent it reads. */
export interface KeyPress {
  key: string
  /** The physical key (`Digit1`), where the event has it. */
  code?: string
  altKey: boolean
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
}

export interface ShortcutDef {
  id: string
  /** As shown: `F9`, `Alt+1 … Alt+7`. */
  keys: string
  description: string
  group: 'General' | 'Chart' | 'Drawing' | 'Trading' | 'Symbols'
  match: (e: KeyPress) => boolean
  /** Fires even while a field has the focus (only keys that type nothing). */
  whileTyping?: boolean
}

const plain = (e: KeyPress): boolean => !e.altKey && !e.ctrlKey && !e.metaKey
const key =
  (...keys: string[]) =>
  (e: KeyPress): boolean =>
    plain(e) && keys.includes(e.key)

/** Alt with a letter, by the physical key: Alt+letter types another character on some layouts. */
const altKey =
  (letter: string) =>
  (e: KeyPress): boolean =>
    e.altKey &&
    !e.ctrlKey &&
    !e.metaKey &&
    !e.shiftKey &&
    (e.code ?? `Key${e.key.toUpperCase()}`) === `Key${letter}`
const ctrl = (e: KeyPress): boolean => (e.ctrlKey || e.metaKey) && !e.altKey

export const SHORTCUTS = [
  {
    id: 'help',
    keys: '?',
    description: 'Show the keyboard shortcuts',
    group: 'General',
    match: (e) => plain(e) && e.key === '?',
  },
  {
    id: 'view',
    keys: 'Alt+1 … Alt+8',
    description:
      'Switch view, in the order of the top bar (Dashboard, Trade, Backtest, Risk, Alerts, Journal, Health, Settings)',
    group: 'General',
    match: (e) => e.altKey && !e.ctrlKey && !e.metaKey && /^Digit[1-9]$/.test(codeOf(e)),
  },
  {
    id: 'timeframe',
    keys: '1 … 6',
    description:
      'Chart timeframe: the favourites in the toolbar, in order (by default 1m, 5m, 15m, 1h, 4h, 1d; chosen with ★ or in Settings)',
    group: 'Chart',
    match: (e) => plain(e) && /^[1-9]$/.test(e.key),
  },
  {
    id: 'chart.scroll',
    keys: '← / →',
    description: 'Scroll the chart back or forward 10 bars (with Shift: a screen)',
    group: 'Chart',
    match: key('ArrowLeft', 'ArrowRight'),
  },
  {
    id: 'chart.zoom',
    keys: '+ / −',
    description: 'Zoom the chart in or out',
    group: 'Chart',
    match: key('+', '=', '-', '_'),
  },
  {
    id: 'chart.latest',
    keys: 'End',
    description: 'Back to the latest bar',
    group: 'Chart',
    match: key('End'),
  },
  {
    id: 'draw.trend',
    keys: 'Alt+T',
    description: 'Trend line: click two points (or press, drag, let go)',
    group: 'Drawing',
    match: altKey('T'),
  },
  {
    id: 'draw.hline',
    keys: 'Alt+H',
    description: 'Horizontal line: click its price',
    group: 'Drawing',
    match: altKey('H'),
  },
  {
    id: 'draw.hray',
    keys: 'Alt+J',
    description: 'Horizontal ray: click where it starts',
    group: 'Drawing',
    match: altKey('J'),
  },
  {
    id: 'draw.rect',
    keys: 'Alt+R',
    description: 'Rectangle: click two opposite corners',
    group: 'Drawing',
    match: altKey('R'),
  },
  {
    id: 'draw.fib',
    keys: 'Alt+F',
    description: 'Fibonacci retracement: click where the move starts, then where it ends',
    group: 'Drawing',
    match: altKey('F'),
  },
  {
    id: 'draw.note',
    keys: 'Alt+N',
    description: 'Text note: click where it goes, type, Enter (double-click a note to edit it)',
    group: 'Drawing',
    match: altKey('N'),
  },
  {
    id: 'draw.measure',
    keys: 'Alt+M',
    description: 'Measure: price change, percent, bars and time between two points (not kept)',
    group: 'Drawing',
    match: altKey('M'),
  },
  {
    id: 'draw.delete',
    keys: 'Delete',
    description: 'Delete the selected drawing (click a drawing to select it; drag it to move it)',
    group: 'Drawing',
    match: key('Delete', 'Backspace'),
  },
  {
    id: 'draw.undo',
    keys: 'Ctrl+Z',
    description: "Undo the last change to this symbol's drawings",
    group: 'Drawing',
    match: (e) => ctrl(e) && !e.shiftKey && e.key.toLowerCase() === 'z',
  },
  {
    id: 'draw.redo',
    keys: 'Ctrl+Y or Ctrl+Shift+Z',
    description: 'Redo what was undone',
    group: 'Drawing',
    match: (e) => ctrl(e) && (e.key.toLowerCase() === 'y' || (e.shiftKey && e.key.toLowerCase() === 'z')),
  },
  {
    id: 'draw.cancel',
    keys: 'Esc',
    description: 'Stop drawing or measuring, back to the pointer; again to deselect',
    group: 'Drawing',
    match: key('Escape'),
  },
  {
    id: 'ticket',
    keys: 'F9',
    description: 'Open the order ticket (cursor in the size); again to fold it',
    group: 'Trading',
    match: key('F9'),
    whileTyping: true,
  },
  {
    id: 'buy',
    keys: 'B',
    description: 'Buy: the ticket on the buy side, cursor in the size',
    group: 'Trading',
    match: key('b', 'B'),
  },
  {
    id: 'sell',
    keys: 'S',
    description: 'Sell: the ticket on the sell side, cursor in the size',
    group: 'Trading',
    match: key('s', 'S'),
  },
  {
    id: 'search',
    keys: 'Ctrl+K or /',
    description: 'Search symbols: type, ↑ / ↓ to choose, Enter charts it',
    group: 'Symbols',
    match: (e) =>
      (plain(e) && e.key === '/') || ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k'),
  },
  {
    // After buy and sell: B and S keep their meaning, every other letter starts a search.
    id: 'search.type',
    keys: 'A … Z',
    description: 'Typing a symbol on the Trade view opens the search with it (but B and S, buy and sell)',
    group: 'Symbols',
    match: (e) => plain(e) && /^[a-z]$/i.test(e.key),
  },
  {
    id: 'symbols',
    keys: '↑ / ↓, Enter',
    description: 'Move through the symbol list; Enter charts the symbol',
    group: 'Symbols',
    match: key('ArrowUp', 'ArrowDown'),
  },
] as const satisfies readonly ShortcutDef[]

export type ShortcutId = (typeof SHORTCUTS)[number]['id']

/** `KeyboardEvent.code` when present (Alt+digit types other characters on some layouts). */
function codeOf(e: KeyPress): string {
  return e.code ?? `Digit${e.key}`
}

/** Whether the focus is where keys type text: an input, a text area, a select or an editable element. */
export function isTyping(target: unknown): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean; type?: string } | null
  if (!el || typeof el.tagName !== 'string') return false
  if (el.isContentEditable) return true
  const tag = el.tagName.toUpperCase()
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag !== 'INPUT') return false
  // Buttons, checkboxes and radios type nothing.
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color'].includes(el.type ?? 'text')
}

/** The entry a key press means here, or undefined. Pure: the dispatcher's rule, tested alone. */
export function shortcutFor(e: KeyPress, typing: boolean): ShortcutDef | undefined {
  const all: readonly ShortcutDef[] = SHORTCUTS
  return all.find((s) => (!typing || s.whileTyping === true) && s.match(e))
}

type Handler = (e: KeyPress) => void

/** Handlers by shortcut, last bound first: a view's binding wins while it is shown. */
const bound = new Map<ShortcutId, Handler[]>()

/** Binds `handler` to shortcut `id` until the returned function is called. */
export function bindShortcut(id: ShortcutId, handler: Handler): () => void {
  const list = bound.get(id) ?? []
  list.unshift(handler)
  bound.set(id, list)
  return () => {
    const now = bound.get(id) ?? []
    const i = now.indexOf(handler)
    if (i >= 0) now.splice(i, 1)
  }
}

/** Binds while the component is mounted. `handler` may change between renders. */
export function useShortcut(id: ShortcutId, handler: Handler): void {
  useEffect(() => bindShortcut(id, (e) => handler(e)), [id, handler])
}

/** Whether the "?" overlay is open. */
export const useShortcutHelp = create<{ open: boolean }>()(() => ({ open: false }))

/**
 * The app's one keydown listener: runs the bound handler of the matching shortcut (and keeps
 * the key from the page), unless the trader is typing, a dialog is open, or the key was handled
 * already (a dialog's own Escape, a drag's keys).
 */
export function installShortcuts(target: Window = window): () => void {
  const onKey = (e: KeyboardEvent): void => {
    if (e.defaultPrevented || e.repeat) return
    if (document.querySelector('dialog[open], [aria-modal="true"]')) return
    const s = shortcutFor(e, isTyping(e.target))
    const handler = s && bound.get(s.id as ShortcutId)?.[0]
    if (!handler) return
    e.preventDefault()
    handler(e)
  }
  target.addEventListener('keydown', onKey)
  return () => target.removeEventListener('keydown', onKey)
}
