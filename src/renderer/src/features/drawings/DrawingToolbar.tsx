import { chooseTool, deleteSelected, redoDrawing, undoDrawing } from './actions'
import { useDrawings } from './store'
import { TOOLS } from './tools'
import './drawings.css'

/** The drawing tools down the chart's left side, with undo, redo and delete below them. */
export function DrawingToolbar() {
  const tool = useDrawings((s) => s.tool)
  const canUndo = useDrawings((s) => s.canUndo)
  const canRedo = useDrawings((s) => s.canRedo)
  const selected = useDrawings((s) => s.selected)
  return (
    <div className="draw-bar" role="toolbar" aria-label="Drawing tools" aria-orientation="vertical">
      {TOOLS.map((t) => (
        <button
          key={t.id}
          type="button"
          className={`draw-btn${tool === t.id ? ' draw-btn-on' : ''}`}
          data-testid={`draw-tool-${t.id}`}
          aria-pressed={tool === t.id}
          aria-label={t.label}
          title={`${t.label} (${t.keys})`}
          onClick={() => chooseTool(tool === t.id ? 'cursor' : t.id)}
        >
          <span aria-hidden="true">{t.icon}</span>
        </button>
      ))}
      <span className="draw-sep" />
      <button
        type="button"
        className="draw-btn"
        data-testid="draw-undo"
        aria-label="Undo drawing"
        title="Undo (Ctrl+Z)"
        disabled={!canUndo}
        onClick={undoDrawing}
      >
        <span aria-hidden="true">↶</span>
      </button>
      <button
        type="button"
        className="draw-btn"
        data-testid="draw-redo"
        aria-label="Redo drawing"
        title="Redo (Ctrl+Y)"
        disabled={!canRedo}
        onClick={redoDrawing}
      >
        <span aria-hidden="true">↷</span>
      </button>
      <button
        type="button"
        className="draw-btn"
        data-testid="draw-delete"
        aria-label="Delete the selected drawing"
        title="Delete the selected drawing (Delete)"
        disabled={selected === null}
        onClick={() => void deleteSelected()}
      >
        <span aria-hidden="true">✕</span>
      </button>
    </div>
  )
}
