import { describe, expect, it } from 'vitest'
import type { Drawing } from '../../../../shared/contract/drawings'
import { applyChange, changeId, UNDO_LIMIT, UndoStack } from './undo-stack'

const a: Drawing = { id: 'a', kind: 'hline', points: [{ time: 0, price: 1 }] }
const a2: Drawing = { id: 'a', kind: 'hline', points: [{ time: 0, price: 2 }] }
const b: Drawing = { id: 'b', kind: 'hray', points: [{ time: 0, price: 3 }] }

describe('undo stack', () => {
  it('undoes and redoes adds, moves and deletes in order; a new change drops the redo', () => {
    const s = new UndoStack()
    let list: Drawing[] = []
    const change = (before: Drawing | null, after: Drawing | null) => {
      s.push({ before, after })
      list = applyChange(list, (after ?? before)!.id, after)
    }
    change(null, a)
    change(null, b)
    change(a, a2)
    change(b, null)
    expect(list).toEqual([a2])
    const undo = () => {
      const c = s.undo()!
      list = applyChange(list, changeId(c), c.before)
    }
    const redo = () => {
      const c = s.redo()!
      list = applyChange(list, changeId(c), c.after)
    }
    undo()
    expect(list).toEqual([a2, b])
    undo()
    expect(list).toEqual([a, b])
    redo()
    expect(list).toEqual([a2, b])
    expect(s.canRedo).toBe(true)
    change(a2, a)
    expect(s.canRedo).toBe(false)
    expect(s.redo()).toBeNull()
    undo()
    undo()
    undo()
    undo()
    expect(list).toEqual([])
    expect(s.canUndo).toBe(false)
    expect(s.undo()).toBeNull()
  })

  it('keeps the last UNDO_LIMIT changes, and takes back an undo whose save failed', () => {
    const s = new UndoStack()
    for (let i = 0; i <= UNDO_LIMIT; i++) s.push({ before: null, after: { ...a, id: `d${i}` } })
    let n = 0
    while (s.undo()) n++
    expect(n).toBe(UNDO_LIMIT)
    const t = new UndoStack()
    t.push({ before: null, after: a })
    const c = t.undo()!
    t.revert(c, 'undo')
    expect(t.canUndo).toBe(true)
    expect(t.canRedo).toBe(false)
  })
})
