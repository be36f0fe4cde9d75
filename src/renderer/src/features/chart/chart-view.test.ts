import { describe, expect, it } from 'vitest'
import { viewAfterReload, viewAnchor } from './chart-view'

/** Bars one minute apart, times in seconds. */
const bars = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ time: (from + i) * 60 }))

describe('keeping the view when a series is loaded again', () => {
  it('a view that showed the latest bar follows the new latest one, with the same zoom and right margin', () => {
    const before = bars(0, 100) // bars 0..99
    const anchor = viewAnchor({ from: 70.5, to: 102 }, before)! // 31.5 bars wide, 2 bars of margin
    expect(anchor).toMatchObject({ following: true, index: 99 })
    const after = bars(0, 103) // three bars closed while disconnected
    expect(viewAfterReload(anchor, after)).toEqual({ from: 73.5, to: 105 })
  })

  it('a view scrolled back into history stays on the same bars, found by time', () => {
    const before = bars(50, 100) // a window of history: bars 50..149
    const anchor = viewAnchor({ from: 20.25, to: 60 }, before)!
    expect(anchor).toMatchObject({ following: false, index: 20, time: 70 * 60 })
    // The reload starts later (the newest N bars) and has more at the end: indices move by -3.
    const after = bars(53, 103)
    const view = viewAfterReload(anchor, after)!
    expect(view).toEqual({ from: 17.25, to: 57 })
    expect(after[Math.floor(view.from)]!.time).toBe(70 * 60) // the same first bar on screen
  })

  it('starts afresh when the bar it was pinned to is gone, or there were no bars', () => {
    const anchor = viewAnchor({ from: 5, to: 40 }, bars(0, 100))!
    expect(viewAfterReload(anchor, bars(10, 100))).toBeNull() // bar 5 no longer loaded
    expect(viewAnchor({ from: 0, to: 10 }, [])).toBeNull()
    expect(viewAnchor(null, bars(0, 10))).toBeNull()
    const following = viewAnchor({ from: 0, to: 9 }, bars(0, 10))!
    expect(viewAfterReload(following, [])).toBeNull()
  })

  it('a view left of the first bar pins to the first bar', () => {
    const anchor = viewAnchor({ from: -12, to: 30 }, bars(0, 100))!
    expect(anchor).toMatchObject({ index: 0, following: false })
    expect(viewAfterReload(anchor, bars(0, 101))).toEqual({ from: -12, to: 30 })
  })
})
