import type { SeriesMarker, Time, UTCTimestamp } from 'lightweight-charts'
import { describe, expect, it } from 'vitest'
import { stackMarkers } from './marker-stack'

const m = (
  time: number,
  position: 'aboveBar' | 'belowBar',
  text: string,
  color = '#111111',
): SeriesMarker<Time> => ({
  time: time as UTCTimestamp,
  position,
  shape: position === 'belowBar' ? 'arrowUp' : 'arrowDown',
  color,
  text,
})

describe('stacked markers', () => {
  it('leave one marker per bar and side, its label listing each text once', () => {
    const out = stackMarkers([
      m(60, 'belowBar', 'B 72', '#26a69a'),
      m(60, 'belowBar', 'Buy 0.5', '#4f8cff'),
      m(60, 'belowBar', 'Buy 0.5', '#4f8cff'),
      m(60, 'aboveBar', 'S 40'),
      m(120, 'belowBar', 'B 80'),
    ])
    expect(out.map((x) => [x.time, x.position, x.text, x.color])).toEqual([
      [60, 'belowBar', 'B 72 · Buy 0.5', '#26a69a'],
      [60, 'aboveBar', 'S 40', '#111111'],
      [120, 'belowBar', 'B 80', '#111111'],
    ])
  })

  it('keep time order and leave the input alone', () => {
    const input = [m(180, 'aboveBar', 'a'), m(60, 'aboveBar', 'b'), m(180, 'aboveBar', 'c')]
    const out = stackMarkers(input)
    expect(out.map((x) => x.text)).toEqual(['b', 'a · c'])
    expect(input[0]!.text).toBe('a')
  })
})
