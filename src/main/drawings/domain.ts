import type { drawingsContract } from '../../shared/contract/drawings'
import type { Clock } from '../clock'
import type { Domain } from '../domain'
import type { Db } from '../storage/db'
import { deleteDrawing, listDrawings, saveDrawing } from './store'

export interface DrawingsDeps {
  db: Db
  clock: Clock
}

/**
 * The chart's drawings, stored per series in SQLite. The engine only keeps them: drawing,
 * hit-testing and the undo stack are the renderer's (features/drawings).
 */
export function createDrawingsDomain({ db, clock }: DrawingsDeps): Domain<typeof drawingsContract> {
  return {
    name: 'drawings',
    handlers: {
      'drawings.list': ({ source, symbol }) => listDrawings(db, { source, symbol }),
      'drawings.save': ({ source, symbol, drawing }) =>
        saveDrawing(db, { source, symbol }, drawing, clock.now()),
      'drawings.delete': ({ source, symbol, id }) => ({ deleted: deleteDrawing(db, { source, symbol }, id) }),
    },
  }
}
