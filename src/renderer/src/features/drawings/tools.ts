import type { DrawingKind } from '../../../../shared/contract/drawings'

/** What a press on the chart does: the pointer (select, move, pan), draw one kind, or measure. */
export type Tool = 'cursor' | DrawingKind | 'measure'

export interface ToolDef {
  id: Tool
  label: string
  /** Its entry in the shortcut table (shell/shortcuts.ts). */
  shortcut: `draw.${string}`
  keys: string
  /** The toolbar's glyph. */
  icon: string
}

/** The drawing toolbar, top to bottom. */
export const TOOLS: readonly ToolDef[] = [
  { id: 'cursor', label: 'Pointer: select, move, pan', shortcut: 'draw.cancel', keys: 'Esc', icon: '↖' },
  { id: 'trend', label: 'Trend line', shortcut: 'draw.trend', keys: 'Alt+T', icon: '╱' },
  { id: 'hline', label: 'Horizontal line', shortcut: 'draw.hline', keys: 'Alt+H', icon: '―' },
  { id: 'hray', label: 'Horizontal ray', shortcut: 'draw.hray', keys: 'Alt+J', icon: '↦' },
  { id: 'rect', label: 'Rectangle', shortcut: 'draw.rect', keys: 'Alt+R', icon: '▭' },
  { id: 'fib', label: 'Fibonacci retracement', shortcut: 'draw.fib', keys: 'Alt+F', icon: '≣' },
  { id: 'note', label: 'Text note', shortcut: 'draw.note', keys: 'Alt+N', icon: 'T' },
  {
    id: 'measure',
    label: 'Measure: price, percent, bars and time',
    shortcut: 'draw.measure',
    keys: 'Alt+M',
    icon: '⇔',
  },
]
