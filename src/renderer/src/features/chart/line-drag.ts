import { snapToTick } from './tick-price'

/**
 * Dragging an order's line: the line moves with the pointer by the pointer's own travel (so
 * grabbing a label that sits a little off its line does not make the line jump), stays inside
 * the pane, and its price is always a price the market accepts (snapped to the tick). A press
 * that travels less than a few pixels is a click, not a drag. Escape gives the drag up.
 */

/** Travel (CSS pixels) before a press on a line becomes a drag. */
export const DRAG_THRESHOLD_PX = 3

export interface DragStart {
  /** The line's height when it was grabbed. */
  lineY: number
  /** The pointer's height when it was grabbed. */
  pointerY: number
  /** The line's price then, snapped to the tick. */
  price: string
}

/** Whether the pointer has travelled far enough for the press to be a drag. */
export function isDrag(start: DragStart, pointerY: number): boolean {
  return Math.abs(pointerY - start.pointerY) >= DRAG_THRESHOLD_PX
}

/** The dragged line's height for the pointer at `pointerY`, inside the pane. */
export function draggedY(start: DragStart, pointerY: number, paneHeight: number): number {
  return Math.max(0, Math.min(paneHeight, start.lineY + (pointerY - start.pointerY)))
}

/**
 * The price the line stands at, at the tick, or null where the pane has no price (an empty
 * chart) or it is not positive.
 */
export function dragPrice(y: number, priceAt: (y: number) => number | null, tick: string): string | null {
  const p = priceAt(y)
  return p === null || !Number.isFinite(p) || p <= 0 ? null : snapToTick(p, tick)
}

/** What letting go does: nothing when the price is the one it started at. */
export function dropPrice(start: DragStart, price: string | null): string | null {
  return price === null || price === start.price ? null : price
}
