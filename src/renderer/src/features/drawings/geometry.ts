import type { Drawing } from '../../../../shared/contract/drawings'

/**
 * Hit-testing drawings in the pane's CSS pixels, pure: the layer projects each drawing's anchors
 * (anchors.ts, then the chart's scales) and asks what the pointer is on. A handle (an anchor's
 * dot) wins over the body, so a selected trend line can be stretched from either end.
 */

export interface Px {
  x: number
  y: number
}

/** A drawing with its anchors projected into the pane; a note carries its text box too. */
export interface Shape {
  drawing: Drawing
  points: readonly Px[]
  /** A note's box (top-left corner, size). */
  box?: { x: number; y: number; width: number; height: number }
}

/** What the pointer is on: a drawing's body (moves it whole) or one of its anchors. */
export interface Hit {
  id: string
  part: 'body' | 'point0' | 'point1'
  distance: number
}

/** Pixels from a line that still count as on it. */
export const HIT_PX = 5
/** Pixels from an anchor that grab the anchor. */
export const HANDLE_PX = 7

export function distanceToSegment(p: Px, a: Px, b: Px): number {
  const dx = b.x - a.x
  const dy = b.y - a.y
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2))
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy))
}

/** The rectangle spanned by two corners, as left, right, top, bottom. */
export function spanOf(a: Px, b: Px): { left: number; right: number; top: number; bottom: number } {
  return {
    left: Math.min(a.x, b.x),
    right: Math.max(a.x, b.x),
    top: Math.min(a.y, b.y),
    bottom: Math.max(a.y, b.y),
  }
}

/** How far `p` is from the body of `s` (0 inside a rectangle, a fib's band or a note's box). */
export function bodyDistance(s: Shape, p: Px): number {
  const [a, b] = s.points
  if (!a) return Infinity
  switch (s.drawing.kind) {
    case 'hline':
      return Math.abs(p.y - a.y)
    case 'hray':
      return p.x >= a.x ? Math.abs(p.y - a.y) : Math.hypot(p.x - a.x, p.y - a.y)
    case 'trend':
      return b ? distanceToSegment(p, a, b) : Infinity
    case 'rect':
    case 'fib': {
      if (!b) return Infinity
      const r = spanOf(a, b)
      const dx = Math.max(r.left - p.x, 0, p.x - r.right)
      const dy = Math.max(r.top - p.y, 0, p.y - r.bottom)
      return Math.hypot(dx, dy)
    }
    case 'note': {
      const box = s.box
      if (!box) return Math.hypot(p.x - a.x, p.y - a.y)
      const dx = Math.max(box.x - p.x, 0, p.x - (box.x + box.width))
      const dy = Math.max(box.y - p.y, 0, p.y - (box.y + box.height))
      return Math.hypot(dx, dy)
    }
  }
}

/** The anchors a trader can grab on a drawing: none on a full-width line (its body moves it). */
function handles(s: Shape): readonly Px[] {
  return s.drawing.kind === 'hline' || s.drawing.kind === 'note' ? [] : s.points
}

/**
 * What is under `p`: the nearest anchor of the selected drawing within HANDLE_PX, else the
 * nearest body within HIT_PX, the drawing drawn last winning a tie (it is on top). Null: nothing.
 */
export function hitTest(shapes: readonly Shape[], p: Px, selected: string | null): Hit | null {
  const sel = selected === null ? undefined : shapes.find((s) => s.drawing.id === selected)
  if (sel) {
    let best: Hit | null = null
    handles(sel).forEach((h, i) => {
      const d = Math.hypot(p.x - h.x, p.y - h.y)
      if (d <= HANDLE_PX && (!best || d < best.distance))
        best = { id: sel.drawing.id, part: i === 0 ? 'point0' : 'point1', distance: d }
    })
    if (best) return best
  }
  let best: Hit | null = null
  for (let i = shapes.length - 1; i >= 0; i--) {
    const s = shapes[i]!
    const d = bodyDistance(s, p)
    if (d <= HIT_PX && (!best || d < best.distance)) best = { id: s.drawing.id, part: 'body', distance: d }
  }
  return best
}

/** How many anchors a kind of drawing takes. */
export function pointsOf(kind: Drawing['kind']): 1 | 2 {
  return kind === 'hline' || kind === 'hray' || kind === 'note' ? 1 : 2
}
