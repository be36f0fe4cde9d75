import { describe, expect, it } from 'vitest'
import type { SymbolInfo } from '../../../../shared/contract/market'
import type { Candle } from '../../../../shared/domain/candles'
import type { CandleworkClient } from '../../../../shared/rpc/client'
import { Slot } from '../../sync/scope'
import { SharedStreams } from '../../sync/shared-streams'
import type { IndicatorInfo } from '../../../../shared/contract/charting'
import type { LayerInstance } from '../indicators/indicator-layer'
import { loadLayoutIndicators } from './layout-indicators'
import { loadLayoutSeries } from './layout-series'
import type { LoadedSeries } from './store'

/** A fake engine: counts live subscriptions, answers `market.candles` when the test says. */
function engine() {
  const subs: { params: unknown; emit: (e: unknown) => void; stopped: boolean }[] = []
  const subscribe = ((_name: string, params: unknown, onEvent: (e: unknown) => void) => {
    const sub = { params, emit: onEvent, stopped: false }
    subs.push(sub)
    return () => void (sub.stopped = true)
  }) as CandleworkClient['subscribe']
  const answers: ((v: unknown) => void)[] = []
  const asked: { name: string; params: unknown }[] = []
  const invoke = ((name: string, params: unknown) => {
    asked.push({ name, params })
    return new Promise((r) => answers.push(r))
  }) as unknown as CandleworkClient['invoke']
  const streams = new SharedStreams(subscribe, () => {})
  const answer = (time: number[]) =>
    answers.shift()!({
      ok: true,
      value: { candles: { time, open: time, high: time, low: time, close: time, volume: time }, gaps: [] },
    })
  const reply = (value: unknown) => answers.shift()!({ ok: true, value })
  return {
    subs,
    asked,
    answer,
    reply,
    slot: () => new Slot(() => ({ invoke, streams })),
    live: () => subs.filter((s) => !s.stopped),
  }
}

const INFO = { source: 'demo', symbol: 'ETH/USDT', live: true, pricePrecision: 2 } as SymbolInfo
const ETH = { source: 'demo', symbol: 'ETH/USDT', timeframe: '1h' as const }
const bar = (time: number): Candle => ({ time, open: 1, high: 1, low: 1, close: 1, volume: 1 })

function sink() {
  const got = { bars: [] as LoadedSeries[], live: [] as number[], failed: [] as string[] }
  return {
    got,
    sink: {
      bars: (s: LoadedSeries) => got.bars.push(s),
      live: (c: Candle) => got.live.push(c.time),
      failed: (m: string) => got.failed.push(m),
    },
  }
}

describe("the layout's other charts", () => {
  it('keep a bar that closes while the history loads, and unsubscribe when the chart leaves', async () => {
    const e = engine()
    const feed = e.slot()
    const { got, sink: s } = sink()
    const loading = loadLayoutSeries(feed, ETH, INFO, s)
    expect(e.live()).toHaveLength(1)
    e.subs[0]!.emit({ candle: bar(3), closed: false })
    e.answer([1, 2])
    await loading
    expect(got.bars[0]!.columns.time).toEqual([1, 2])
    expect(got.live).toEqual([3])
    e.subs[0]!.emit({ candle: bar(4), closed: false })
    expect(got.live).toEqual([3, 4])
    // The chart is removed from the layout: its live stream goes.
    feed.close()
    expect(e.live()).toHaveLength(0)
  })

  it('drop the answer for a series replaced meanwhile, with its stream', async () => {
    const e = engine()
    const feed = e.slot()
    const { got, sink: s } = sink()
    const first = loadLayoutSeries(feed, ETH, INFO, s)
    const second = loadLayoutSeries(feed, { ...ETH, timeframe: '4h' }, INFO, s)
    expect(e.live()).toHaveLength(1)
    expect(e.live()[0]!.params).toMatchObject({ timeframe: '4h' })
    e.answer([1])
    e.answer([10])
    await Promise.all([first, second])
    expect(got.bars.map((b) => b.timeframe)).toEqual(['4h'])
  })

  it('draw the indicators their symbol shows over their bars, then follow their live points until removed', async () => {
    const e = engine()
    const feed = e.slot()
    const series = {
      key: 'k',
      source: 'demo',
      symbol: 'ETH/USDT',
      timeframe: '1h' as const,
      precision: 2,
      columns: { time: [1, 2, 3], open: [], high: [], low: [], close: [], volume: [] },
      gaps: [],
    }
    const catalogue = [{ id: 'rsi' }] as IndicatorInfo[]
    const drawn: LayerInstance[][] = []
    const live: string[][] = []
    const loading = loadLayoutIndicators(feed, series, INFO, catalogue, {
      draw: (list) => drawn.push(list),
      live: (_, keys) => live.push(keys),
    })
    e.reply({
      indicators: [
        { key: 'r', id: 'rsi', params: { period: 7 }, colors: {}, visible: true },
        // An indicator this build does not offer is left out.
        { key: 'x', id: 'gone', params: {}, colors: {}, visible: true },
      ],
      volume: false,
      markers: true,
      pinned: false,
    })
    await new Promise((r) => setTimeout(r, 0))
    expect(e.asked[1]).toEqual({
      name: 'charting.series',
      params: {
        source: 'demo',
        symbol: 'ETH/USDT',
        timeframe: '1h',
        instances: [{ id: 'rsi', params: { period: 7 } }],
        to: 3,
        limit: 3,
      },
    })
    e.reply({ time: [1, 2, 3], instances: [{ id: 'rsi', outputs: [] }] })
    await loading
    expect(drawn[0]!.map((i) => [i.key, i.request])).toEqual([['r', { to: 3, limit: 3 }]])
    expect(e.live()[0]!.params).toMatchObject({
      from: 1,
      after: 3,
      instances: [{ id: 'rsi', params: { period: 7 } }],
    })
    e.live()[0]!.emit({ time: 4, closed: false, values: [[50]] })
    expect(live).toEqual([['r']])
    feed.close()
    expect(e.live()).toHaveLength(0)
  })
})
