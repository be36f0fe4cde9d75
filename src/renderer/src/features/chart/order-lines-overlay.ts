import { layoutLabels } from './label-layout'
import { dragPrice, draggedY, dropPrice, isDrag, type DragStart } from './line-drag'
import type { ChartLine } from './order-lines-model'
import { GRAB_PX } from './order-lines-primitive'
import { snapToTick } from './tick-price'

/** Label height in CSS pixels (the stylesheet's `.ol-label` height). */
export const LABEL_HEIGHT = 18
/** Space between the labels and the price scale. */
const RIGHT_GAP = 6

export interface OverlayDeps {
  /** The price at a height of the pane, or null. */
  priceAt(y: number): number | null
  /** The market's tick, as a decimal string. */
  tick(): string
  /** Draws the dragged line at `price` (null: back where its order is). */
  dragTo(lineId: string, price: number | null): void
  /** The trader let go of a line at a new price. */
  onMove(line: ChartLine, price: string): void
  /** The trader pressed a line's cancel button. */
  onCancel(line: ChartLine): void
  /** A price as the chart formats it. */
  formatPrice(price: number): string
}

interface Label {
  el: HTMLDivElement
  leader: HTMLSpanElement
  main: HTMLSpanElement
  note: HTMLSpanElement
  x: HTMLButtonElement
  line: ChartLine
  /** What is written in it, to touch the DOM only when it changes. */
  text: string
}

interface Drag {
  line: ChartLine
  start: DragStart
  pointerId: number
  /** The element holding the pointer capture. */
  target: Element
  dragging: boolean
  price: string | null
}

/**
 * The labels of the chart's order and position lines: HTML over the price pane, right-aligned
 * next to the price scale, each following its line as the pane paints (see
 * OrderLinesPrimitive). An order's label shows side, type, remaining size and price, a P&L where
 * it has one, and a cancel button; the position's shows its side, size, entry and unrealised P&L.
 *
 * Dragging a label, or the line itself, moves the order's price: the line, its price on the
 * scale and the label follow the pointer at the market's tick; letting go asks to move the order
 * (`onMove`); Escape gives the drag up and puts the line back. The layer itself lets the pointer
 * through to the chart everywhere but on the labels.
 */
export class OrderLinesOverlay {
  readonly root: HTMLDivElement
  private readonly labels = new Map<string, Label>()
  private lines: readonly ChartLine[] = []
  private ys: ReadonlyMap<string, number | null> = new Map()
  private pane = { width: 0, height: 0 }
  private drag: Drag | null = null
  /** Set while a press on a line (not a label) is ours, so the chart never sees it. */
  private swallow = false

  constructor(
    private readonly host: HTMLElement,
    private readonly deps: OverlayDeps,
  ) {
    this.root = document.createElement('div')
    this.root.className = 'ol-layer'
    this.root.dataset['testid'] = 'order-lines'
    host.appendChild(this.root)
    host.addEventListener('pointerdown', this.onHostPointerDown, true)
    host.addEventListener('mousedown', this.onHostMouse, true)
    host.addEventListener('touchstart', this.onHostMouse, { capture: true, passive: false })
    window.addEventListener('keydown', this.onKey, true)
  }

  dispose(): void {
    this.endDrag()
    this.host.removeEventListener('pointerdown', this.onHostPointerDown, true)
    this.host.removeEventListener('mousedown', this.onHostMouse, true)
    this.host.removeEventListener('touchstart', this.onHostMouse, true)
    window.removeEventListener('keydown', this.onKey, true)
    this.root.remove()
  }

  /** The lines to label; a line being dragged keeps its drag. */
  setLines(lines: readonly ChartLine[]): void {
    this.lines = lines
    const keep = new Set(lines.map((l) => l.id))
    for (const [id, label] of this.labels) {
      if (keep.has(id)) continue
      if (this.drag?.line.id === id) this.endDrag()
      label.el.remove()
      this.labels.delete(id)
    }
    for (const line of lines) {
      let label = this.labels.get(line.id)
      if (!label) {
        label = this.createLabel(line)
        this.labels.set(line.id, label)
        this.root.appendChild(label.el)
      }
      label.line = line
      if (this.drag?.line.id === line.id) this.drag.line = line
      this.fill(label)
    }
  }

  /** Where the lines are now (from the pane's paint): the labels follow. */
  place(ys: ReadonlyMap<string, number | null>, pane: { width: number; height: number }): void {
    this.ys = ys
    this.pane = pane
    this.root.style.width = `${pane.width}px`
    this.root.style.height = `${pane.height}px`
    const slots: { id: string; y: number }[] = []
    for (const line of this.lines) {
      const y = ys.get(line.id)
      if (y !== null && y !== undefined && y >= 0 && y <= pane.height) slots.push({ id: line.id, y })
    }
    const centres = layoutLabels(slots, pane.height, LABEL_HEIGHT)
    for (const [id, label] of this.labels) {
      const centre = centres.get(id)
      const y = ys.get(id)
      if (centre === undefined || y === null || y === undefined) {
        label.el.hidden = true
        continue
      }
      label.el.hidden = false
      // Where its line is, for tests that grab the line itself.
      label.el.dataset['lineY'] = y.toFixed(1)
      const top = centre - LABEL_HEIGHT / 2
      label.el.style.transform = `translate(0, ${top.toFixed(1)}px)`
      label.el.style.right = `${RIGHT_GAP}px`
      // A label pushed off its line is joined to it by a short vertical leader.
      const off = y - centre
      const lead = Math.abs(off) > LABEL_HEIGHT / 2
      label.leader.hidden = !lead
      if (lead) {
        const from = off > 0 ? LABEL_HEIGHT : 0
        label.leader.style.top = `${off > 0 ? from : off + LABEL_HEIGHT / 2}px`
        label.leader.style.height = `${Math.abs(off) - LABEL_HEIGHT / 2}px`
      }
    }
  }

  /** For tests and the probe: the label of a line, when shown. */
  labelOf(id: string): HTMLElement | undefined {
    return this.labels.get(id)?.el
  }

  // ------------------------------------------------------------------ labels

  private createLabel(line: ChartLine): Label {
    const el = document.createElement('div')
    el.className = 'ol-label'
    el.dataset['testid'] = line.kind === 'position' ? 'position-line' : 'order-line'
    const leader = document.createElement('span')
    leader.className = 'ol-leader'
    leader.hidden = true
    const main = document.createElement('span')
    main.className = 'ol-main num'
    const note = document.createElement('span')
    note.className = 'ol-note num'
    const x = document.createElement('button')
    x.type = 'button'
    x.className = 'ol-x'
    x.dataset['testid'] = 'order-line-cancel'
    x.textContent = '×'
    x.addEventListener('click', (e) => {
      e.stopPropagation()
      const current = this.labels.get(line.id)?.line
      if (current?.cancellable) this.deps.onCancel(current)
    })
    el.append(leader, main, note, x)
    el.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || (e.target as Element).closest('.ol-x')) return
      const current = this.labels.get(line.id)?.line
      if (!current?.draggable) return
      e.preventDefault()
      this.startDrag(current, e, el)
    })
    return { el, leader, main, note, x, line, text: '' }
  }

  /** Writes a label's text and state, touching the DOM only for what changed. */
  private fill(label: Label): void {
    const l = label.line
    const drag = this.drag?.line.id === l.id && this.drag.dragging ? this.drag : null
    const priceText = drag?.price != null ? this.deps.formatPrice(Number(drag.price)) : l.priceText
    const main =
      l.kind === 'position'
        ? `${l.sideText} ${l.size} @ ${priceText}`
        : `${l.sideText} ${l.tag} ${l.size} @ ${drag ? '→ ' : ''}${priceText}`
    const text = `${l.tone}|${main}|${l.note ?? ''}|${l.noteTone ?? ''}|${l.draggable}|${l.cancellable}|${drag ? 1 : 0}`
    if (text === label.text) return
    label.text = text
    const el = label.el
    el.className = `ol-label ol-${l.tone}${l.draggable ? ' ol-draggable' : ''}${drag ? ' ol-dragging' : ''}`
    el.dataset['lineId'] = l.id
    el.dataset['kind'] = l.kind
    el.dataset['price'] = drag?.price ?? snapToTick(l.price, this.deps.tick())
    el.dataset['state'] = drag ? 'dragging' : l.note?.endsWith('…') ? 'busy' : 'idle'
    if (l.order) {
      el.dataset['clientOrderId'] = l.order.clientOrderId
      el.dataset['field'] = l.field ?? ''
    }
    el.setAttribute('role', 'group')
    el.setAttribute('aria-label', l.describe)
    el.title = l.draggable
      ? `${capitalize(l.describe)}: drag to move it (Escape gives the drag up)`
      : capitalize(l.describe)
    label.main.textContent = main
    label.note.textContent = l.note ?? ''
    label.note.hidden = l.note === null
    label.note.className = `ol-note num${l.noteTone ? ` ol-${l.noteTone}` : ''}`
    label.note.title = l.noteHelp ?? ''
    label.x.hidden = l.kind !== 'order'
    label.x.disabled = !l.cancellable
    label.x.setAttribute('aria-label', `Cancel ${l.describe}`)
    label.x.title = l.cancellable ? `Cancel ${l.describe}` : ''
  }

  // ------------------------------------------------------------------ dragging

  private localY(e: { clientY: number }): number {
    return e.clientY - this.root.getBoundingClientRect().top
  }

  private startDrag(line: ChartLine, e: PointerEvent, target: Element): void {
    const lineY = this.ys.get(line.id)
    if (lineY === null || lineY === undefined) return
    this.endDrag()
    target.setPointerCapture(e.pointerId)
    this.drag = {
      line,
      start: { lineY, pointerY: this.localY(e), price: snapToTick(line.price, this.deps.tick()) },
      pointerId: e.pointerId,
      target,
      dragging: false,
      price: null,
    }
    target.addEventListener('pointermove', this.onMove as EventListener)
    target.addEventListener('pointerup', this.onUp as EventListener)
    target.addEventListener('pointercancel', this.onCancelPointer as EventListener)
    target.addEventListener('lostpointercapture', this.onCancelPointer as EventListener)
  }

  private readonly onMove = (e: PointerEvent): void => {
    const d = this.drag
    if (!d || e.pointerId !== d.pointerId) return
    const y = this.localY(e)
    if (!d.dragging && !isDrag(d.start, y)) return
    d.dragging = true
    const at = draggedY(d.start, y, this.pane.height)
    d.price = dragPrice(at, (py) => this.deps.priceAt(py), this.deps.tick())
    this.deps.dragTo(d.line.id, d.price === null ? null : Number(d.price))
    const label = this.labels.get(d.line.id)
    if (label) this.fill(label)
  }

  private readonly onUp = (e: PointerEvent): void => {
    const d = this.drag
    if (!d || e.pointerId !== d.pointerId) return
    const price = d.dragging ? dropPrice(d.start, d.price) : null
    const line = d.line
    // The move is asked for first: its line stays where it was let go, not back and forth.
    if (price !== null) this.deps.onMove(line, price)
    this.endDrag()
  }

  private readonly onCancelPointer = (e: PointerEvent): void => {
    if (this.drag && e.pointerId === this.drag.pointerId) this.endDrag()
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || !this.drag) return
    e.preventDefault()
    e.stopPropagation()
    this.endDrag()
  }

  /**
   * Ends the drag. The line is drawn where its order is again: back where it was, or, after
   * `onMove`, where the move now holds it until the order shows the new price.
   */
  private endDrag(): void {
    const d = this.drag
    if (!d) return
    this.drag = null
    this.swallow = false
    d.target.removeEventListener('pointermove', this.onMove as EventListener)
    d.target.removeEventListener('pointerup', this.onUp as EventListener)
    d.target.removeEventListener('pointercancel', this.onCancelPointer as EventListener)
    d.target.removeEventListener('lostpointercapture', this.onCancelPointer as EventListener)
    if (d.target.hasPointerCapture(d.pointerId)) d.target.releasePointerCapture(d.pointerId)
    this.deps.dragTo(d.line.id, null)
    const label = this.labels.get(d.line.id)
    if (label) this.fill(label)
  }

  /** A press on a draggable line itself (not its label) grabs it before the chart can pan. */
  private readonly onHostPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0 || this.drag || this.root.contains(e.target as Node)) return
    const rect = this.root.getBoundingClientRect()
    const x = e.clientX - rect.left
    const y = e.clientY - rect.top
    if (x < 0 || x > this.pane.width || y < 0 || y > this.pane.height) return
    let best: ChartLine | null = null
    let bestD = GRAB_PX + 1
    for (const line of this.lines) {
      const ly = this.ys.get(line.id)
      if (!line.draggable || ly === null || ly === undefined) continue
      const d = Math.abs(ly - y)
      if (d <= GRAB_PX && d < bestD) {
        best = line
        bestD = d
      }
    }
    if (!best) return
    e.preventDefault()
    e.stopPropagation()
    this.swallow = true
    this.startDrag(best, e, this.host)
  }

  private readonly onHostMouse = (e: Event): void => {
    if (!this.swallow) return
    e.preventDefault()
    e.stopPropagation()
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}
