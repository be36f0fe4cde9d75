import type { Drawing } from '../../../../shared/contract/drawings'
import { onReconnected } from '../../connection'
import { slot } from '../../sync/index'
import { reportError } from '../notices/store'
import { useDrawings } from './store'
import type { Tool } from './tools'
import { applyChange, changeId, UndoStack, type DrawingChange } from './undo-stack'

const set = useDrawings.setState
const get = useDrawings.getState
const shown = slot()

/** Undo history per series (`source\0symbol`), kept while the app runs. */
const stacks = new Map<string, UndoStack>()

const keyOf = (s: { source: string; symbol: string }): string => `${s.source}\u0000${s.symbol}`

function stack(): UndoStack | null {
  const s = get().series
  if (!s) return null
  let st = stacks.get(keyOf(s))
  if (!st) {
    st = new UndoStack()
    stacks.set(keyOf(s), st)
  }
  return st
}

function flags(): void {
  const st = stack()
  set({ canUndo: st?.canUndo ?? false, canRedo: st?.canRedo ?? false })
}

/** Shows the drawings of a series (null: none); loads them again after a reconnect. */
export function showDrawingsOf(series: { source: string; symbol: string } | null): () => void {
  const scope = shown.open(series ? keyOf(series) : '')
  set({ series, list: [], selected: null })
  flags()
  if (!series) return () => shown.close(scope)
  const load = async (): Promise<void> => {
    const res = await scope.invoke('drawings.list', series, 'list')
    if (!res) return
    if (!res.ok) reportError('Could not load the drawings', res.error)
    else set({ list: res.value })
  }
  void load()
  scope.onClose(onReconnected(() => void load()))
  return () => shown.close(scope)
}

/** Stores `next` for the drawing `id` (null: deletes it); on a refusal says so and reloads. */
async function store(id: string, next: Drawing | null): Promise<boolean> {
  const series = get().series
  const scope = shown.current
  if (!series || !scope) return false
  const res = next
    ? await scope.invoke('drawings.save', { ...series, drawing: next })
    : await scope.invoke('drawings.delete', { ...series, id })
  if (!res) return false
  if (res.ok) return true
  reportError(next ? 'Could not save the drawing' : 'Could not delete the drawing', res.error)
  const again = await scope.invoke('drawings.list', series, 'list')
  if (again?.ok) set({ list: again.value })
  return false
}

/** A change the trader made: shown at once, kept for undo, then stored. */
function change(c: DrawingChange): void {
  const id = changeId(c)
  set((s) => ({ list: applyChange(s.list, id, c.after) }))
  stack()?.push(c)
  flags()
  void store(id, c.after)
}

export function addDrawing(d: Drawing): void {
  change({ before: null, after: d })
  set({ selected: d.id })
}

export function updateDrawing(before: Drawing, after: Drawing): void {
  change({ before, after })
}

/** Deletes the selected drawing; false when none is selected. */
export function deleteSelected(): boolean {
  const { selected, list } = get()
  const d = list.find((x) => x.id === selected)
  if (!d) return false
  change({ before: d, after: null })
  set({ selected: null })
  return true
}

export function undoDrawing(): void {
  const st = stack()
  const c = st?.undo()
  if (!st || !c) return
  const id = changeId(c)
  set((s) => ({ list: applyChange(s.list, id, c.before), selected: c.before ? id : null }))
  flags()
  void store(id, c.before)
}

export function redoDrawing(): void {
  const st = stack()
  const c = st?.redo()
  if (!st || !c) return
  const id = changeId(c)
  set((s) => ({ list: applyChange(s.list, id, c.after), selected: c.after ? id : null }))
  flags()
  void store(id, c.after)
}

export function selectDrawing(id: string | null): void {
  set({ selected: id })
}

export function chooseTool(tool: Tool): void {
  set({ tool, ...(tool !== 'cursor' ? { selected: null } : {}) })
}
