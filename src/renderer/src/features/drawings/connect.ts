import { bindShortcut, type ShortcutId } from '../shell/shortcuts'
import { useTradeStore } from '../chart/store'
import {
  addDrawing,
  chooseTool,
  deleteSelected,
  redoDrawing,
  selectDrawing,
  showDrawingsOf,
  undoDrawing,
  updateDrawing,
} from './actions'
import type { DrawingsLayer } from './drawings-layer'
import { useDrawings } from './store'
import { TOOLS } from './tools'

/** Ctrl+Z and friends, Delete and Escape: what the keyboard does to drawings. */
export function escapeDrawing(layer: DrawingsLayer): void {
  // What was under way goes, and the tool with it; with nothing under way, the selection.
  const busy = layer.cancel()
  const s = useDrawings.getState()
  if (s.tool !== 'cursor') chooseTool('cursor')
  else if (!busy && s.selected !== null) selectDrawing(null)
}

/**
 * Joins a chart's drawings layer to the drawings store while the chart lives: the drawings of
 * the symbol shown (loaded again when the symbol changes, never for a timeframe: anchors are
 * instants), what the trader draws, moves and selects, and the drawing shortcuts.
 */
export function connectChartDrawings(layer: DrawingsLayer): () => void {
  let key: string | null = null
  let close: () => void = () => {}
  const follow = (): void => {
    const sel = useTradeStore.getState().selected
    const next = sel ? `${sel.source}\u0000${sel.symbol}` : ''
    if (next === key) return
    key = next
    // A half-made drawing belongs to the symbol it was begun on.
    layer.cancel()
    close()
    close = showDrawingsOf(sel ? { source: sel.source, symbol: sel.symbol } : null)
  }
  follow()
  const offTrade = useTradeStore.subscribe((s, prev) => {
    if (s.selected !== prev.selected) follow()
  })
  const push = (): void => {
    const s = useDrawings.getState()
    layer.setDrawings(s.list)
    layer.setSelected(s.selected)
    layer.setTool(s.tool)
  }
  push()
  const offDrawings = useDrawings.subscribe(push)
  layer.setHandlers({
    created: addDrawing,
    changed: updateDrawing,
    select: selectDrawing,
    toolDone: () => chooseTool('cursor'),
  })
  const offKeys = [
    ...TOOLS.filter((t) => t.id !== 'cursor').map((t) =>
      bindShortcut(t.shortcut as ShortcutId, () =>
        chooseTool(useDrawings.getState().tool === t.id ? 'cursor' : t.id),
      ),
    ),
    bindShortcut('draw.cancel', () => escapeDrawing(layer)),
    bindShortcut('draw.delete', () => void deleteSelected()),
    bindShortcut('draw.undo', undoDrawing),
    bindShortcut('draw.redo', redoDrawing),
  ]
  return () => {
    for (const off of offKeys) off()
    layer.setHandlers(null)
    offDrawings()
    offTrade()
    close()
  }
}
