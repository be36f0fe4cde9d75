import type {
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesPrimitive,
  ISeriesPrimitiveAxisView,
  PrimitiveHoveredItem,
  SeriesAttachedParameter,
  Time,
} from 'lightweight-charts'
import type { Px, Shape } from './geometry'

type RenderTarget = Parameters<IPrimitivePaneRenderer['draw']>[0]
type Ctx = CanvasRenderingContext2D

/** Colours of the drawings, read from the theme's CSS variables (drawings-layer.ts). */
export interface DrawingColors {
  line: string
  fill: string
  text: string
  background: string
  up: string
  down: string
}

/** A shape as painted: a fib carries its levels, a note its text lines. */
export interface PaintedShape extends Shape {
  levels?: { y: number; label: string; color: string }[]
  lines?: string[]
}

/** The measure tool's box: from `a` to `b`, with its text lines. */
export interface MeasureScene {
  a: Px
  b: Px
  up: boolean
  lines: string[]
}

/** Everything to paint, computed by the layer from the scales at paint time. */
export interface Scene {
  shapes: PaintedShape[]
  selected: string | null
  measure: MeasureScene | null
  colors: DrawingColors
  /** Prices of full lines and rays on the price scale: their height and text. */
  axis: { y: number; text: string }[]
}

export const NOTE_FONT = '12px sans-serif'
export const NOTE_LINE = 16
export const NOTE_PAD = 6
/** Fib levels as TradingView colours them; mid-tones that read on dark and light alike. */
export const FIB_COLORS = ['#787b86', '#f23645', '#ff9800', '#4caf50', '#089981', '#00bcd4', '#787b86']

/**
 * Paints the trader's drawings on the price pane, in its own frame so they never lag the candles
 * when the chart scrolls or rescales, and answers lightweight-charts' hit test (the pointer's
 * cursor over a drawing). What to paint comes from the layer (`scene`), projected at paint time.
 */
export class DrawingsPrimitive implements ISeriesPrimitive<Time> {
  private param: SeriesAttachedParameter<Time> | null = null
  private axisViews: ISeriesPrimitiveAxisView[] = []
  private axisKey = ''
  private readonly renderer: IPrimitivePaneRenderer = { draw: (t) => this.draw(t) }
  private readonly view: IPrimitivePaneView = { zOrder: () => 'top', renderer: () => this.renderer }
  private readonly views: readonly IPrimitivePaneView[] = [this.view]

  constructor(
    private readonly scene: () => Scene,
    private readonly hit: (x: number, y: number) => 'move' | 'grab' | null,
  ) {}

  attached(param: SeriesAttachedParameter<Time>): void {
    this.param = param
  }

  detached(): void {
    this.param = null
  }

  requestUpdate(): void {
    this.param?.requestUpdate()
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views
  }

  priceAxisViews(): readonly ISeriesPrimitiveAxisView[] {
    const s = this.scene()
    const key = s.axis.map((a) => `${a.y.toFixed(1)}|${a.text}`).join(',') + s.colors.line
    // A new array only when they change: lightweight-charts caches the views by the array.
    if (key !== this.axisKey) {
      this.axisKey = key
      this.axisViews = s.axis.map((a) => ({
        coordinate: () => a.y,
        text: () => a.text,
        textColor: () => '#ffffff',
        backColor: () => s.colors.line,
        visible: () => true,
      }))
    }
    return this.axisViews
  }

  hitTest(x: number, y: number): PrimitiveHoveredItem | null {
    const cursor = this.hit(x, y)
    if (!cursor) return null
    return { externalId: 'drawing', zOrder: 'top', cursorStyle: cursor === 'move' ? 'move' : 'grab' }
  }

  private draw(target: RenderTarget): void {
    const scene = this.scene()
    target.useMediaCoordinateSpace(({ context: ctx, mediaSize }) => {
      for (const s of scene.shapes) paintShape(ctx, s, scene, mediaSize.width)
      if (scene.measure) paintMeasure(ctx, scene.measure, scene.colors)
    })
  }
}

function paintShape(ctx: Ctx, s: PaintedShape, scene: Scene, width: number): void {
  const c = scene.colors
  const selected = s.drawing.id === scene.selected
  const [a, b] = s.points
  if (!a) return
  ctx.save()
  ctx.strokeStyle = c.line
  ctx.lineWidth = selected ? 2 : 1.5
  switch (s.drawing.kind) {
    case 'hline':
      line(ctx, 0, a.y, width, a.y)
      break
    case 'hray':
      line(ctx, a.x, a.y, width, a.y)
      break
    case 'trend':
      if (b) line(ctx, a.x, a.y, b.x, b.y)
      break
    case 'rect':
      if (!b) break
      ctx.fillStyle = c.fill
      ctx.fillRect(Math.min(a.x, b.x), Math.min(a.y, b.y), Math.abs(b.x - a.x), Math.abs(b.y - a.y))
      ctx.strokeRect(Math.min(a.x, b.x), Math.min(a.y, b.y), Math.abs(b.x - a.x), Math.abs(b.y - a.y))
      break
    case 'fib':
      if (b) paintFib(ctx, s, a, b, c)
      break
    case 'note':
      paintNote(ctx, s, c, selected)
      break
  }
  if (selected && s.drawing.kind !== 'hline' && s.drawing.kind !== 'note') {
    for (const p of s.points) {
      ctx.beginPath()
      ctx.arc(p.x, p.y, 4.5, 0, Math.PI * 2)
      ctx.fillStyle = c.background
      ctx.fill()
      ctx.lineWidth = 1.5
      ctx.stroke()
    }
  }
  ctx.restore()
}

function line(ctx: Ctx, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath()
  ctx.moveTo(x0, y0)
  ctx.lineTo(x1, y1)
  ctx.stroke()
}

function paintFib(ctx: Ctx, s: PaintedShape, a: Px, b: Px, c: DrawingColors): void {
  const left = Math.min(a.x, b.x)
  const right = Math.max(a.x, b.x)
  const levels = s.levels ?? []
  ctx.globalAlpha = 0.08
  for (let i = 1; i < levels.length; i++) {
    const top = levels[i - 1]!.y
    ctx.fillStyle = levels[i]!.color
    ctx.fillRect(left, Math.min(top, levels[i]!.y), right - left, Math.abs(levels[i]!.y - top))
  }
  ctx.globalAlpha = 1
  ctx.font = '11px sans-serif'
  ctx.textBaseline = 'middle'
  ctx.textAlign = 'right'
  for (const l of levels) {
    ctx.strokeStyle = l.color
    ctx.lineWidth = 1
    line(ctx, left, l.y, right, l.y)
    ctx.fillStyle = l.color
    ctx.fillText(l.label, left - 4, l.y)
  }
  // The move itself, dashed, as TradingView shows it.
  ctx.strokeStyle = c.text
  ctx.globalAlpha = 0.5
  ctx.setLineDash([4, 4])
  line(ctx, a.x, a.y, b.x, b.y)
  ctx.setLineDash([])
  ctx.globalAlpha = 1
  ctx.strokeStyle = c.line
}

function paintNote(ctx: Ctx, s: PaintedShape, c: DrawingColors, selected: boolean): void {
  const box = s.box
  if (!box) return
  ctx.fillStyle = c.background
  ctx.globalAlpha = 0.92
  ctx.fillRect(box.x, box.y, box.width, box.height)
  ctx.globalAlpha = 1
  ctx.lineWidth = selected ? 2 : 1
  ctx.strokeRect(box.x, box.y, box.width, box.height)
  ctx.fillStyle = c.text
  ctx.font = NOTE_FONT
  ctx.textBaseline = 'middle'
  ctx.textAlign = 'left'
  ;(s.lines ?? []).forEach((t, i) =>
    ctx.fillText(t, box.x + NOTE_PAD, box.y + NOTE_PAD + NOTE_LINE * (i + 0.5)),
  )
}

function paintMeasure(ctx: Ctx, m: MeasureScene, c: DrawingColors): void {
  const tone = m.up ? c.up : c.down
  ctx.save()
  ctx.fillStyle = tone
  ctx.globalAlpha = 0.16
  ctx.fillRect(
    Math.min(m.a.x, m.b.x),
    Math.min(m.a.y, m.b.y),
    Math.abs(m.b.x - m.a.x),
    Math.abs(m.b.y - m.a.y),
  )
  ctx.globalAlpha = 1
  ctx.strokeStyle = tone
  ctx.lineWidth = 1.5
  line(ctx, m.a.x, m.a.y, m.b.x, m.b.y)
  ctx.font = NOTE_FONT
  const width = Math.max(...m.lines.map((t) => ctx.measureText(t).width)) + NOTE_PAD * 2
  const height = m.lines.length * NOTE_LINE + NOTE_PAD
  const x = (m.a.x + m.b.x) / 2 - width / 2
  // Below the box when measuring down, above when up, as TradingView places it.
  const y = m.up ? Math.min(m.a.y, m.b.y) - height - 6 : Math.max(m.a.y, m.b.y) + 6
  ctx.fillStyle = tone
  ctx.fillRect(x, y, width, height)
  ctx.fillStyle = '#ffffff'
  ctx.textAlign = 'center'
  ctx.textBaseline = 'middle'
  m.lines.forEach((t, i) => ctx.fillText(t, x + width / 2, y + NOTE_PAD / 2 + NOTE_LINE * (i + 0.5)))
  ctx.restore()
}
