import type { IChartApi, ISeriesApi, Logical, Time } from 'lightweight-charts'
import type { Drawing, DrawingKind, DrawingPoint } from '../../../../shared/contract/drawings'
import type { DrawingsProbe } from '../../../../shared/testing/ui-hook'
import { formatPercent, formatPrice } from '../../lib/format'
import { onThemeChange } from '../../lib/theme'
import { logicalAtX, logicalOf, roundPrice, timeOf, xOfLogical, type TimeAxis } from './anchors'
import {
  DrawingsPrimitive,
  FIB_COLORS,
  NOTE_FONT,
  NOTE_LINE,
  NOTE_PAD,
  type DrawingColors,
  type MeasureScene,
  type PaintedShape,
  type Scene,
} from './drawings-primitive'
import { fibLevels } from './fib'
import { hitTest, pointsOf, type Hit, type Px } from './geometry'
import { formatSpan, measure } from './measure'
import type { Tool } from './tools'

/** What the layer tells its owner (features/drawings/connect.ts): the store keeps the drawings. */
export interface DrawingsHandlers {
  /** A new drawing was finished. */
  created(drawing: Drawing): void
  /** A drawing was moved, stretched or its text edited. */
  changed(before: Drawing, after: Drawing): void
  select(id: string | null): void
  /** The tool did its one drawing: back to the pointer. */
  toolDone(): void
}

/** Pointer travel (CSS px) that makes a press a drag. */
const DRAG_PX = 4

type Anchor = DrawingPoint & { logical: number }

interface Move {
  id: string
  part: Hit['part']
  before: Drawing
  start: Px
  startPoints: Px[]
  current: Drawing | null
  pointerId: number
}

interface Draft {
  kind: DrawingKind | 'measure'
  points: [Anchor, Anchor]
  /** Where the first press was, to tell a press-drag-release from a click. */
  down: Px
  /** The first press has been let go: the next click finishes it. */
  released: boolean
}

let ids = 0
/** A new drawing's id: random, so undo can save a deleted drawing back under it. */
export function newDrawingId(): string {
  const c = globalThis.crypto
  if (c && 'randomUUID' in c) return c.randomUUID()
  ids++
  return `d${Date.now().toString(36)}${ids}`
}

/**
 * The trader's drawings on one chart: drawn by a series primitive on the candles, placed with
 * the mouse (a click for one-point tools; click-click or press-drag-release for two), selected,
 * moved and stretched by their anchors, and the transient measure. Anchors are (time, price), so
 * the same drawing lands at the same instants on every timeframe (anchors.ts). Presses the layer
 * takes never reach the chart (no pan under a drawing being moved); the others do.
 */
export class DrawingsLayer {
  private readonly primitive: DrawingsPrimitive
  private times: number[] = []
  private stepMs = 60_000
  private precision = 2
  private drawings: readonly Drawing[] = []
  private selected: string | null = null
  private tool: Tool = 'cursor'
  private handlers: DrawingsHandlers | null = null
  private draft: Draft | null = null
  private measured: { a: Anchor; b: Anchor } | null = null
  private move: Move | null = null
  private editor: HTMLInputElement | null = null
  private swallow = false
  private colors: DrawingColors
  private readonly measurer = document.createElement('canvas').getContext('2d')
  private readonly offTheme: () => void
  private readonly axis: TimeAxis

  constructor(
    private readonly chart: IChartApi,
    private readonly series: ISeriesApi<'Candlestick', Time>,
    private readonly host: HTMLElement,
  ) {
    const ts = chart.timeScale()
    this.axis = {
      xOf: (i) => ts.logicalToCoordinate(i as Logical),
      indexAt: (x) => ts.coordinateToLogical(x),
    }
    this.colors = readColors()
    this.offTheme = onThemeChange(() => {
      this.colors = readColors()
      this.primitive.requestUpdate()
    })
    this.primitive = new DrawingsPrimitive(
      () => this.scene(),
      (x, y) => this.cursorAt(x, y),
    )
    series.attachPrimitive(this.primitive)
    host.addEventListener('pointerdown', this.onPointerDown, true)
    host.addEventListener('mousedown', this.onSwallowed, true)
    host.addEventListener('touchstart', this.onSwallowed, { capture: true, passive: false })
    host.addEventListener('pointermove', this.onHover)
    host.addEventListener('dblclick', this.onDoubleClick, true)
  }

  dispose(): void {
    this.endMove(false)
    this.closeEditor()
    this.offTheme()
    this.host.removeEventListener('pointerdown', this.onPointerDown, true)
    this.host.removeEventListener('mousedown', this.onSwallowed, true)
    this.host.removeEventListener('touchstart', this.onSwallowed, true)
    this.host.removeEventListener('pointermove', this.onHover)
    this.host.removeEventListener('dblclick', this.onDoubleClick, true)
    this.series.detachPrimitive(this.primitive)
  }

  setHandlers(h: DrawingsHandlers | null): void {
    this.handlers = h
  }

  /** The bars shown (open times, ms), their timeframe's length and the market's decimals. */
  setBars(times: ArrayLike<number>, stepMs: number, precision: number): void {
    this.times = Array.from(times)
    this.stepMs = stepMs
    this.precision = precision
    this.measured = null
    this.primitive.requestUpdate()
  }

  /** A new bar opened (live). */
  noteBar(time: number): void {
    if (this.times.length === 0 || time > this.times[this.times.length - 1]!) this.times.push(time)
  }

  setDrawings(list: readonly Drawing[]): void {
    this.drawings = list
    this.primitive.requestUpdate()
  }

  setSelected(id: string | null): void {
    this.selected = id
    this.primitive.requestUpdate()
  }

  setTool(tool: Tool): void {
    if (tool === this.tool) return
    this.tool = tool
    this.draft = null
    this.closeEditor()
    // The measure stays when the tool goes back to the pointer (until the next click or Escape).
    if (tool !== 'measure' && tool !== 'cursor') this.measured = null
    this.host.classList.toggle('drawing-tool-active', tool !== 'cursor')
    this.primitive.requestUpdate()
  }

  /** Escape: drops what is under way (a drag, a half-drawn drawing, a note's text, the measure). */
  cancel(): boolean {
    if (this.move) {
      this.endMove(false)
      return true
    }
    if (this.editor) {
      this.closeEditor()
      return true
    }
    if (this.draft || this.measured) {
      this.draft = null
      this.measured = null
      this.primitive.requestUpdate()
      return true
    }
    return false
  }

  probe(): DrawingsProbe {
    const shapes = this.shapes()
    return {
      tool: this.tool,
      selected: this.selected,
      drawing: this.draft !== null,
      items: shapes.map((s) => ({
        id: s.drawing.id,
        kind: s.drawing.kind,
        points: s.drawing.points.map((p) => ({ time: p.time, price: p.price })),
        px: s.points.map((p) => ({ x: p.x, y: p.y })),
      })),
      measure: this.measureScene()?.lines ?? null,
    }
  }

  // ------------------------------------------------------------------ projection

  private anchorAt(x: number, y: number): Anchor | null {
    const logical = logicalAtX(this.axis, x)
    const price = this.series.coordinateToPrice(y)
    if (logical === null || price === null) return null
    const time = timeOf(this.times, this.stepMs, logical)
    if (time === null) return null
    // Whole seconds: the instant as a trader would name it.
    return { time: Math.round(time / 1000) * 1000, price: roundPrice(price, this.precision), logical }
  }

  private pxOf(p: DrawingPoint): Px | null {
    const logical = logicalOf(this.times, this.stepMs, p.time)
    const y = this.series.priceToCoordinate(p.price)
    if (logical === null || y === null) return null
    const x = xOfLogical(this.axis, logical)
    return x === null ? null : { x, y }
  }

  /** The drawings as they stand now (the one being moved where the pointer has it), then the draft. */
  private shown(): Drawing[] {
    const list = this.drawings.map((d) =>
      this.move?.current && d.id === this.move.id ? this.move.current : d,
    )
    const draft = this.draft
    if (draft && draft.kind !== 'measure') list.push(draftDrawing(draft.kind, draft.points, '', 'draft'))
    return list
  }

  private shapes(): PaintedShape[] {
    const out: PaintedShape[] = []
    for (const d of this.shown()) {
      const points: Px[] = []
      for (const p of d.points) {
        const px = this.pxOf(p)
        if (px) points.push(px)
      }
      if (points.length !== d.points.length) continue
      const shape: PaintedShape = { drawing: d, points }
      if (d.kind === 'fib') {
        shape.levels = fibLevels(d.points[0].price, d.points[1].price, this.precision).map((l, i) => ({
          y: this.series.priceToCoordinate(l.price) ?? -1000,
          label: `${l.level} (${formatPrice(l.price, this.precision)})`,
          color: FIB_COLORS[i] ?? this.colors.line,
        }))
      } else if (d.kind === 'note') {
        const lines = d.text.split('\n')
        if (this.measurer) this.measurer.font = NOTE_FONT
        const w = Math.max(...lines.map((t) => this.measurer?.measureText(t).width ?? t.length * 7))
        shape.lines = lines
        shape.box = {
          x: points[0]!.x,
          y: points[0]!.y,
          width: Math.ceil(w) + NOTE_PAD * 2,
          height: lines.length * NOTE_LINE + NOTE_PAD * 2,
        }
      }
      out.push(shape)
    }
    return out
  }

  private measureScene(): MeasureScene | null {
    const m =
      this.draft?.kind === 'measure' ? { a: this.draft.points[0], b: this.draft.points[1] } : this.measured
    if (!m) return null
    const a = this.pxOf(m.a)
    const b = this.pxOf(m.b)
    if (!a || !b) return null
    const r = measure(m.a, m.b, this.precision)
    const sign = r.change > 0 ? '+' : r.change < 0 ? '−' : ''
    return {
      a,
      b,
      up: r.change >= 0,
      lines: [
        `${sign}${formatPrice(Math.abs(r.change), this.precision)} (${formatPercent(r.percent)})`,
        `${r.bars} bars, ${formatSpan(r.spanMs)}`,
      ],
    }
  }

  private scene(): Scene {
    const shapes = this.shapes()
    const axis: Scene['axis'] = []
    for (const s of shapes) {
      const k = s.drawing.kind
      if ((k === 'hline' || k === 'hray') && s.points[0])
        axis.push({ y: s.points[0].y, text: formatPrice(s.drawing.points[0].price, this.precision) })
    }
    return { shapes, selected: this.selected, measure: this.measureScene(), colors: this.colors, axis }
  }

  private cursorAt(x: number, y: number): 'move' | 'grab' | null {
    if (this.tool !== 'cursor') return null
    const hit = hitTest(this.shapes(), { x, y }, this.selected)
    return hit ? (hit.part === 'body' ? 'move' : 'grab') : null
  }

  // ------------------------------------------------------------------ pointer

  /** The pointer in the price pane's CSS pixels, or null outside it. */
  private local(e: { clientX: number; clientY: number }): Px | null {
    const rect = this.host.getBoundingClientRect()
    const x = e.clientX - rect.left
    const y = e.clientY - rect.top
    const pane = this.chart.paneSize(0)
    return x < 0 || y < 0 || x > pane.width || y > pane.height ? null : { x, y }
  }

  private take(e: Event): void {
    e.preventDefault()
    e.stopPropagation()
    this.swallow = true
  }

  private readonly onSwallowed = (e: Event): void => {
    if (!this.swallow) return
    e.preventDefault()
    e.stopPropagation()
  }

  private readonly onPointerDown = (e: PointerEvent): void => {
    this.swallow = false
    // An order line's drag (registered first) or the note editor had it.
    if (e.button !== 0 || e.defaultPrevented || (this.editor && e.target === this.editor)) return
    if (this.editor) this.commitEditor()
    const p = this.local(e)
    if (!p) return
    if (this.tool !== 'cursor') {
      this.take(e)
      this.press(p)
      return
    }
    if (this.measured) {
      this.measured = null
      this.primitive.requestUpdate()
    }
    const hit = hitTest(this.shapes(), p, this.selected)
    if (!hit) {
      if (this.selected !== null) this.handlers?.select(null)
      return
    }
    this.take(e)
    const d = this.drawings.find((x) => x.id === hit.id)
    if (!d) return
    if (this.selected !== hit.id) this.handlers?.select(hit.id)
    const startPoints = d.points.map((pt) => this.pxOf(pt) ?? p)
    this.move = {
      id: d.id,
      part: hit.part,
      before: d,
      start: p,
      startPoints,
      current: null,
      pointerId: e.pointerId,
    }
    window.addEventListener('pointermove', this.onMoveDrag)
    window.addEventListener('pointerup', this.onMoveUp)
    window.addEventListener('pointercancel', this.onMoveCancel)
  }

  /** A press with a drawing tool: a one-point drawing, the first point of two, or the second. */
  private press(p: Px): void {
    const at = this.anchorAt(p.x, p.y)
    if (!at) return
    const tool = this.tool as DrawingKind | 'measure'
    if (this.draft) {
      this.finishDraft(at)
      return
    }
    if (tool !== 'measure' && pointsOf(tool) === 1) {
      if (tool === 'note') this.openEditor(p, '', (text) => this.create(draftDrawing('note', [at, at], text)))
      else this.create(draftDrawing(tool, [at, at]))
      return
    }
    this.measured = null
    this.draft = { kind: tool, points: [at, at], down: p, released: false }
    this.primitive.requestUpdate()
    window.addEventListener('pointerup', this.onDraftUp)
  }

  private readonly onHover = (e: PointerEvent): void => {
    const d = this.draft
    if (!d) return
    const p = this.local(e)
    const at = p && this.anchorAt(p.x, p.y)
    if (!at) return
    d.points = [d.points[0], at]
    this.primitive.requestUpdate()
  }

  /** Letting go of the first press: far from it finishes the drawing (press-drag-release). */
  private readonly onDraftUp = (e: PointerEvent): void => {
    window.removeEventListener('pointerup', this.onDraftUp)
    this.swallow = false
    const d = this.draft
    if (!d) return
    const p = this.local(e)
    d.released = true
    if (p && Math.hypot(p.x - d.down.x, p.y - d.down.y) >= DRAG_PX) {
      const at = this.anchorAt(p.x, p.y)
      if (at) this.finishDraft(at)
    }
  }

  private finishDraft(at: Anchor): void {
    const d = this.draft
    if (!d) return
    this.draft = null
    window.removeEventListener('pointerup', this.onDraftUp)
    if (d.kind === 'measure') {
      // The measure stays until the next click or Escape; the tool goes back to the pointer.
      this.measured = { a: d.points[0], b: at }
      this.primitive.requestUpdate()
      this.handlers?.toolDone()
      return
    }
    this.create(draftDrawing(d.kind, [d.points[0], at]))
  }

  private create(drawing: Drawing): void {
    this.primitive.requestUpdate()
    this.handlers?.created(drawing)
    this.handlers?.toolDone()
  }

  private readonly onMoveDrag = (e: PointerEvent): void => {
    const m = this.move
    if (!m || e.pointerId !== m.pointerId) return
    const rect = this.host.getBoundingClientRect()
    const p = { x: e.clientX - rect.left, y: e.clientY - rect.top }
    if (!m.current && Math.hypot(p.x - m.start.x, p.y - m.start.y) < DRAG_PX) return
    const dx = p.x - m.start.x
    const dy = p.y - m.start.y
    const points = m.startPoints.map((s, i) => {
      const moved = m.part === 'body' || m.part === `point${i}`
      const at = moved ? this.anchorAt(s.x + dx, s.y + dy) : null
      return at ? { time: at.time, price: at.price } : m.before.points[i]!
    })
    m.current = { ...m.before, points: points as never }
    this.primitive.requestUpdate()
  }

  private readonly onMoveUp = (e: PointerEvent): void => {
    if (this.move && e.pointerId === this.move.pointerId) this.endMove(true)
  }

  private readonly onMoveCancel = (): void => this.endMove(false)

  private endMove(commit: boolean): void {
    const m = this.move
    if (!m) return
    this.move = null
    this.swallow = false
    window.removeEventListener('pointermove', this.onMoveDrag)
    window.removeEventListener('pointerup', this.onMoveUp)
    window.removeEventListener('pointercancel', this.onMoveCancel)
    if (commit && m.current) this.handlers?.changed(m.before, m.current)
    this.primitive.requestUpdate()
  }

  private readonly onDoubleClick = (e: MouseEvent): void => {
    if (this.tool !== 'cursor') return
    const p = this.local(e)
    const hit = p && hitTest(this.shapes(), p, this.selected)
    const d = hit && this.drawings.find((x) => x.id === hit.id)
    if (!p || !d || d.kind !== 'note') return
    e.preventDefault()
    e.stopPropagation()
    const box = this.pxOf(d.points[0]) ?? p
    this.openEditor(box, d.text, (text) => {
      if (text !== d.text) this.handlers?.changed(d, { ...d, text })
    })
  }

  // ------------------------------------------------------------------ note text

  private editorDone: ((text: string) => void) | null = null

  /** A text field where the note goes: Enter (or a click elsewhere) keeps it, Escape drops it. */
  private openEditor(at: Px, text: string, done: (text: string) => void): void {
    this.closeEditor()
    const input = document.createElement('input')
    input.type = 'text'
    input.className = 'drawing-note-input'
    input.dataset['testid'] = 'drawing-note-input'
    input.maxLength = 500
    input.placeholder = 'Note text, Enter to place'
    input.setAttribute('aria-label', 'Note text')
    input.value = text
    input.style.left = `${Math.round(at.x)}px`
    input.style.top = `${Math.round(at.y)}px`
    input.addEventListener('keydown', (e) => {
      e.stopPropagation()
      if (e.key === 'Enter') this.commitEditor()
      else if (e.key === 'Escape') {
        e.preventDefault()
        this.closeEditor()
      }
    })
    input.addEventListener('blur', () => this.commitEditor())
    this.editor = input
    this.editorDone = done
    this.host.appendChild(input)
    input.focus()
  }

  private commitEditor(): void {
    const input = this.editor
    const done = this.editorDone
    if (!input) return
    this.closeEditor()
    const text = input.value.trim()
    if (text && done) done(text)
    else this.handlers?.toolDone()
  }

  private closeEditor(): void {
    const input = this.editor
    if (!input) return
    this.editor = null
    this.editorDone = null
    input.remove()
  }
}

/** A drawing of `kind` from anchors (a one-point kind takes the first). */
function draftDrawing(kind: DrawingKind, points: [Anchor, Anchor], text = '', id = newDrawingId()): Drawing {
  const [a, b] = points.map((p) => ({ time: p.time, price: p.price })) as [DrawingPoint, DrawingPoint]
  switch (kind) {
    case 'hline':
    case 'hray':
      return { id, kind, points: [a] }
    case 'note':
      return { id, kind, points: [a], text }
    default:
      return { id, kind, points: [a, b] }
  }
}

function readColors(): DrawingColors {
  const css = getComputedStyle(document.documentElement)
  const v = (name: string, fallback: string): string => css.getPropertyValue(name).trim() || fallback
  const line = v('--accent', '#4f8cff')
  return {
    line,
    fill: hexAlpha(line, 0.12),
    text: v('--text', '#d3d9e2'),
    background: v('--chart-bg', '#0d1117'),
    up: v('--up', '#26a69a'),
    down: v('--down', '#ef5350'),
  }
}

/** `#rrggbb` with an alpha, as rgba(); other colours as they are. */
function hexAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color)
  if (!m) return color
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`
}
