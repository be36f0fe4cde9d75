import type { Drawing } from '../../../../shared/contract/drawings'

/**
 * One change to a chart's drawings: what was there before (null: nothing, it was added) and
 * after (null: it was deleted). Undoing puts `before` back, redoing `after`; both are a save or a
 * delete of one drawing by its id, so applying one twice is the same as once.
 */
export interface DrawingChange {
  before: Drawing | null
  after: Drawing | null
}

/** Changes kept for undo, per chart. */
export const UNDO_LIMIT = 100

/** The undo and redo history of one symbol's drawings. A new change clears what could be redone. */
export class UndoStack {
  private done: DrawingChange[] = []
  private undone: DrawingChange[] = []

  push(change: DrawingChange): void {
    this.done.push(change)
    if (this.done.length > UNDO_LIMIT) this.done.shift()
    this.undone = []
  }

  /** The change to revert (apply its `before`), or null when there is nothing to undo. */
  undo(): DrawingChange | null {
    const c = this.done.pop()
    if (!c) return null
    this.undone.push(c)
    return c
  }

  /** The change to apply again (its `after`), or null. */
  redo(): DrawingChange | null {
    const c = this.undone.pop()
    if (!c) return null
    this.done.push(c)
    return c
  }

  /** Takes back the last undo or redo after its save failed, so the history matches what is stored. */
  revert(change: DrawingChange, was: 'undo' | 'redo'): void {
    if (was === 'undo' && this.undone.at(-1) === change) this.done.push(this.undone.pop()!)
    if (was === 'redo' && this.done.at(-1) === change) this.undone.push(this.done.pop()!)
  }

  get canUndo(): boolean {
    return this.done.length > 0
  }

  get canRedo(): boolean {
    return this.undone.length > 0
  }
}

/** `list` with one change applied in the direction given (`before` for undo, `after` for redo). */
export function applyChange(list: readonly Drawing[], id: string, next: Drawing | null): Drawing[] {
  const at = list.findIndex((d) => d.id === id)
  if (next === null) return at < 0 ? [...list] : list.filter((d) => d.id !== id)
  if (at < 0) return [...list, next]
  const out = [...list]
  out[at] = next
  return out
}

/** The id a change is about. */
export function changeId(c: DrawingChange): string {
  return (c.after ?? c.before)!.id
}
