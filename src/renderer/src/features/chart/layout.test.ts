import { describe, expect, it } from 'vitest'
import type { Timeframe } from '../../../../shared/domain/timeframes'
import { DEFAULT_LAYOUT, parseLayout, shownCharts, withActiveSlot, withCount, type Layout } from './layout'

const BTC = { source: 'demo', symbol: 'BTC/USDT', timeframe: '15m' as const }
const ETH = { source: 'demo', symbol: 'ETH/USDT', timeframe: '1h' as const }
const keepTf = (_: unknown, wanted: Timeframe): Timeframe => wanted

describe('chart layout', () => {
  it('reads back what was saved, and the default from anything broken', () => {
    const saved: Layout = {
      count: 2,
      active: 1,
      charts: [BTC, ETH, null, null],
      linkSymbol: true,
      linkCrosshair: false,
    }
    expect(parseLayout(JSON.stringify(saved))).toEqual(saved)
    expect(parseLayout(null)).toEqual(DEFAULT_LAYOUT)
    expect(parseLayout('{not json')).toEqual(DEFAULT_LAYOUT)
    expect(parseLayout('null')).toEqual(DEFAULT_LAYOUT)
    // Field by field: a bad count is one chart, a bad chart is none, an active chart past the count the first.
    expect(
      parseLayout(JSON.stringify({ count: 3, active: 1, charts: [BTC, { symbol: 'x' }], linkSymbol: 'yes' })),
    ).toEqual({ ...DEFAULT_LAYOUT, charts: [BTC, null, null, null] })
  })

  it('shows every chart when the window has room, else the active one and the first others', () => {
    expect(shownCharts({ count: 4, active: 2 }, 4)).toEqual([0, 1, 2, 3])
    expect(shownCharts({ count: 4, active: 0 }, 2)).toEqual([0, 1])
    expect(shownCharts({ count: 4, active: 3 }, 2)).toEqual([0, 3])
    expect(shownCharts({ count: 2, active: 1 }, 2)).toEqual([0, 1])
    expect(shownCharts({ count: 1, active: 0 }, 2)).toEqual([0])
  })

  it('a chart newly shown starts as a copy of the active one; going back keeps the others as they were', () => {
    const two = withCount({ ...DEFAULT_LAYOUT, charts: [BTC, null, ETH, null] }, 2, BTC)
    expect(two.charts).toEqual([BTC, BTC, ETH, null])
    const one = withCount({ ...two, active: 1 }, 1, BTC)
    expect(one.active).toBe(0)
    expect(withCount(one, 4, BTC).charts).toEqual([BTC, BTC, ETH, BTC])
  })

  it('a linked symbol reaches every shown chart, each keeping its timeframe; unlinked only the active one', () => {
    const layout: Layout = {
      ...DEFAULT_LAYOUT,
      count: 2,
      charts: [BTC, { ...BTC, timeframe: '4h' }, BTC, null],
    }
    const eth15 = { ...ETH, timeframe: '15m' as const }
    expect(withActiveSlot(layout, eth15, keepTf).charts).toEqual([
      eth15,
      { ...BTC, timeframe: '4h' },
      BTC,
      null,
    ])
    const linked = withActiveSlot({ ...layout, linkSymbol: true }, eth15, keepTf)
    // The hidden third chart is left alone.
    expect(linked.charts).toEqual([eth15, { ...ETH, timeframe: '4h' }, BTC, null])
    // Nothing changed: the same object, so nothing is saved or redrawn.
    expect(withActiveSlot(linked, eth15, keepTf)).toBe(linked)
  })
})
