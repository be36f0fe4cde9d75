import { afterEach, describe, expect, it, vi } from 'vitest'
import { throttle } from '../../src/main/book/throttle'

/** The book streams' throttle: at most one event per interval, the latest book, every trade. */

afterEach(() => {
  vi.useRealTimers()
})

describe('throttle', () => {
  it('sends the first value at once and then at most one per interval, the latest', () => {
    vi.useFakeTimers()
    const sent: number[] = []
    const t = throttle<number>((v) => sent.push(v), 100)
    t.push(1)
    expect(sent).toEqual([1])
    // A flood of 50 values a second for 2 s: 1000/100 = 10 events a second at most.
    for (let i = 2; i <= 100; i++) {
      t.push(i)
      vi.advanceTimersByTime(20)
    }
    vi.advanceTimersByTime(200)
    expect(sent.length).toBeLessThanOrEqual(1 + Math.ceil((99 * 20) / 100))
    expect(sent.length).toBeGreaterThanOrEqual(Math.floor((99 * 20) / 100))
    expect(sent.at(-1)).toBe(100)
    // In order, none repeated.
    for (let i = 1; i < sent.length; i++) expect(sent[i]!).toBeGreaterThan(sent[i - 1]!)
    t.dispose()
  })

  it('merges what waits (trades are appended, none lost) and stops for good on dispose', () => {
    vi.useFakeTimers()
    const sent: number[][] = []
    const t = throttle<number[]>(
      (v) => sent.push(v),
      100,
      (a, b) => [...a, ...b],
    )
    t.push([1])
    t.push([2])
    t.push([3, 4])
    expect(sent).toEqual([[1]])
    vi.advanceTimersByTime(100)
    expect(sent).toEqual([[1], [2, 3, 4]])
    // Quiet: the next value goes out at once again after an interval without one.
    vi.advanceTimersByTime(100)
    t.push([5])
    expect(sent.at(-1)).toEqual([5])
    t.push([6])
    t.dispose()
    vi.advanceTimersByTime(500)
    t.push([7])
    expect(sent.flat()).toEqual([1, 2, 3, 4, 5])
  })
})
