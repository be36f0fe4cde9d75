import { describe, expect, it } from 'vitest'
import type { Drawing } from '../../../../shared/contract/drawings'
import { distanceToSegment, hitTest, type Shape } from './geometry'

const p = { time: 0, price: 1 }
const shape = (drawing: Drawing, points: { x: number; y: number }[], box?: Shape['box']): Shape => ({
  drawing,
  points,
  ...(box ? { box } : {}),
})
const hline = shape({ id: 'h', kind: 'hline', points: [p] }, [{ x: 50, y: 100 }])
const hray = shape({ id: 'r', kind: 'hray', points: [p] }, [{ x: 200, y: 300 }])
const trend = shape({ id: 't', kind: 'trend', points: [p, p] }, [
  { x: 100, y: 200 },
  { x: 300, y: 100 },
])
const rect = shape({ id: 'q', kind: 'rect', points: [p, p] }, [
  { x: 400, y: 50 },
  { x: 500, y: 150 },
])
const note = shape({ id: 'n', kind: 'note', points: [p], text: 'hi' }, [{ x: 600, y: 400 }], {
  x: 600,
  y: 380,
  width: 40,
  height: 20,
})
const all = [hline, hray, trend, rect, note]

describe('hit tests', () => {
  it('measures the distance to a segment, its ends included', () => {
    expect(distanceToSegment({ x: 5, y: 5 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(5)
    expect(distanceToSegment({ x: -3, y: 4 }, { x: 0, y: 0 }, { x: 10, y: 0 })).toBe(5)
    expect(distanceToSegment({ x: 3, y: 4 }, { x: 0, y: 0 }, { x: 0, y: 0 })).toBe(5)
  })

  it('finds the line, ray, segment, rectangle or note under the pointer, and nothing beside them', () => {
    expect(hitTest(all, { x: 900, y: 103 }, null)).toMatchObject({ id: 'h', part: 'body' })
    expect(hitTest(all, { x: 700, y: 298 }, null)).toMatchObject({ id: 'r' })
    // Left of its start a ray is not there.
    expect(hitTest(all, { x: 150, y: 300 }, null)).toBeNull()
    expect(hitTest(all, { x: 200, y: 152 }, null)).toMatchObject({ id: 't' })
    expect(hitTest(all, { x: 200, y: 170 }, null)).toBeNull()
    expect(hitTest(all, { x: 450, y: 120 }, null)).toMatchObject({ id: 'q' })
    expect(hitTest(all, { x: 620, y: 390 }, null)).toMatchObject({ id: 'n' })
    expect(hitTest(all, { x: 800, y: 600 }, null)).toBeNull()
  })

  it("grabs a selected drawing's anchor before its body, the one drawn last on a tie", () => {
    expect(hitTest(all, { x: 302, y: 102 }, 't')).toMatchObject({ id: 't', part: 'point1' })
    expect(hitTest(all, { x: 99, y: 199 }, 't')).toMatchObject({ id: 't', part: 'point0' })
    // Not selected: the anchor is just the body.
    expect(hitTest([trend], { x: 302, y: 102 }, null)).toMatchObject({ id: 't', part: 'body' })
    const twin = shape({ id: 'h2', kind: 'hline', points: [p] }, [{ x: 0, y: 100 }])
    expect(hitTest([hline, twin], { x: 10, y: 100 }, null)).toMatchObject({ id: 'h2' })
  })
})
