import { describe, expect, it } from 'vitest'
import { IDLE_PREVIEW, type PreviewState } from './form-store'
import { previewMarkers } from './preview-markers'

const series = { source: 'demo', symbol: 'BTC/USDT', timeframe: '1h' } as const
const H = 3_600_000
const ready: PreviewState = {
  state: 'ready',
  days: 30,
  series,
  reason: null,
  result: {
    bars: 720,
    from: 0,
    to: 719 * H,
    fired: 2,
    firings: [
      { time: 11 * H, barTime: 10 * H, values: { left: 1 } },
      { time: 41 * H, barTime: 40 * H, values: { left: 2 } },
    ],
  },
}

describe('preview markers', () => {
  it("marks each bar the preview fired on, in seconds, on the previewed series' chart only", () => {
    const m = previewMarkers(ready, series)
    expect(m.map((x) => x.time)).toEqual([36_000, 144_000])
    expect(m[0]).toMatchObject({ position: 'aboveBar', shape: 'circle', id: 'alert-preview-36000000' })
    expect(previewMarkers(ready, { ...series, timeframe: '15m' })).toEqual([])
    expect(previewMarkers(ready, { ...series, symbol: 'ETH/USDT' })).toEqual([])
    expect(previewMarkers(ready, { ...series, source: 'import:x' })).toEqual([])
    expect(previewMarkers(ready, null)).toEqual([])
  })

  it('draws nothing while the preview loads, failed, or the form is closed', () => {
    expect(previewMarkers({ ...ready, state: 'loading' }, series)).toEqual([])
    expect(previewMarkers({ ...ready, state: 'error' }, series)).toEqual([])
    expect(previewMarkers(IDLE_PREVIEW, series)).toEqual([])
  })
})
