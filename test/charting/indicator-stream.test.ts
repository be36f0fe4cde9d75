import { describe, expect, it } from 'vitest'
import type { IndicatorInstance, LiveIndicatorEvent } from '../../src/shared/contract/charting'
import type { Candle } from '../../src/shared/domain/candles'
import { bucketStart } from '../../src/shared/domain/timeframes'
import { startIndicatorStream, type IndicatorStreamDeps } from '../../src/main/charting/indicator-stream'
import { memoryPair } from '../support/memory-transport'
import { useTempDirs } from '../support/temp-dir'
import { NOW, rig, type Rig } from './support'

const tempDir = useTempDirs()
const TF = '1m' as const
const MIN = 60_000
const SYMBOL = 'BTC/USDT'
const INSTANCES: IndicatorInstance[] = [
  { id: 'sma', params: { period: 20 } },
  { id: 'rsi', params: { period: 14 } },
  { id: 'macd', params: {} },
  { id: 'obv', params: {} },
]

type OnCandle = (e: { candle: Candle; closed: boolean }) => void

/** Drives the stream by hand: the test decides when the forming bar changes or a bar closes. */
function manualWatch() {
  let listener: OnCandle | null = null
  const live: IndicatorStreamDeps['candleUpdates'] = {
    follows: (source) => source === 'demo',
    watch: (_source, _symbol, _tf, sink) => {
      listener = (e) => sink.emit(e)
      return () => (listener = null)
    },
  }
  return {
    live,
    started: () => listener !== null,
    send: (candle: Candle, closed = false) => listener?.({ candle, closed }),
  }
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 5))
  if (!cond()) throw new Error(`timed out waiting for ${what}`)
}

/** The chart's request: 300 closed 1m bars ending at the last bar closed by now. */
async function chartSeries(r: Rig, to: number) {
  return r.invoke('charting.series', {
    source: 'demo',
    symbol: SYMBOL,
    timeframe: TF,
    instances: INSTANCES,
    to,
    limit: 300,
  })
}

describe('charting.live', () => {
  it('sends only changed points, and its committed values equal the batch values', async () => {
    const r = rig(tempDir())
    try {
      const series = await chartSeries(r, r.clock.now())
      const from = series.time[0]!
      const last = series.time[series.time.length - 1]!
      const forming = bucketStart(NOW, TF)
      expect(last).toBe(forming - MIN)

      const w = manualWatch()
      const events: LiveIndicatorEvent[] = []
      let ended: unknown = 'no'
      const stop = startIndicatorStream(
        { bars: { db: r.db, demo: r.demo }, clock: r.clock, candleUpdates: w.live },
        { source: 'demo', symbol: SYMBOL, timeframe: TF, instances: INSTANCES, from, after: last },
        (e) => events.push(e),
        (err) => (ended = err),
      )
      await until(w.started, 'the replay to finish')
      // Nothing closed after `after`: no catch-up points.
      expect(events).toEqual([])

      // The forming bar at three moments; the second repeats the first and sends nothing.
      for (const dt of [5_000, 5_000, 20_000]) {
        r.clock.set(forming + dt)
        w.send(r.demo.formingCandle(SYMBOL, TF, forming + dt))
      }
      expect(events.map((e) => [e.time, e.closed])).toEqual([
        [forming, false],
        [forming, false],
      ])
      for (const e of events) {
        // One point per event: a value per output of each instance, never a series.
        expect(e.values.map((v) => v.length)).toEqual([1, 1, 3, 1])
        expect(e.values.flat().every((v) => typeof v === 'number')).toBe(true)
      }
      expect(events[0]!.values).not.toEqual(events[1]!.values)

      // The bar closes: its committed values equal charting.series over the same bars.
      r.clock.set(forming + MIN + 1_000)
      const closedBar = r.demo.candles(SYMBOL, TF, forming, 1, r.clock.now())
      w.send(
        {
          time: forming,
          open: closedBar.open[0]!,
          high: closedBar.high[0]!,
          low: closedBar.low[0]!,
          close: closedBar.close[0]!,
          volume: closedBar.volume[0]!,
        },
        true,
      )
      const committed = events.filter((e) => e.closed)
      expect(committed.map((e) => e.time)).toEqual([forming])
      const after = await chartSeries(r, forming)
      // Same first bar? The later request's window moved by one bar; compare with the warm-up
      // anchored at `from` instead: a request covering exactly from..forming.
      const anchored = await r.invoke('charting.series', {
        source: 'demo',
        symbol: SYMBOL,
        timeframe: TF,
        instances: INSTANCES,
        to: forming,
        limit: 301,
      })
      expect(anchored.time[0]).toBe(from)
      expect(committed[0]!.values).toEqual(
        anchored.instances.map((i) => i.outputs.map((o) => o.values.at(-1))),
      )
      // Every indicator but the cumulative OBV is the same whatever the window's start.
      expect(committed[0]!.values.slice(0, 3)).toEqual(
        after.instances.slice(0, 3).map((i) => i.outputs.map((o) => o.values.at(-1))),
      )

      // A stale forming bar (already committed) is ignored; the next bar's preview is sent.
      w.send(r.demo.formingCandle(SYMBOL, TF, forming + 50_000))
      expect(events).toHaveLength(3)
      w.send(r.demo.formingCandle(SYMBOL, TF, forming + MIN + 1_000))
      expect(events.at(-1)).toMatchObject({ time: forming + MIN, closed: false })
      stop()
      expect(ended).toBe('no')
    } finally {
      await r.close()
    }
  })

  it('catches up on bars closed after `after` and on bars the watcher skipped, in order', async () => {
    const r = rig(tempDir())
    try {
      const series = await chartSeries(r, r.clock.now() - 4 * MIN)
      const from = series.time[0]!
      const after = series.time.at(-1)!
      const forming = bucketStart(NOW, TF)
      expect(forming - after).toBe(4 * MIN)

      const w = manualWatch()
      const events: LiveIndicatorEvent[] = []
      startIndicatorStream(
        { bars: { db: r.db, demo: r.demo }, clock: r.clock, candleUpdates: w.live },
        { source: 'demo', symbol: SYMBOL, timeframe: TF, instances: INSTANCES, from, after },
        (e) => events.push(e),
        () => {},
      )
      await until(w.started, 'the replay to finish')
      // The three bars that closed after the chart's request come first, committed.
      expect(events.map((e) => [e.time - after, e.closed])).toEqual([
        [MIN, true],
        [2 * MIN, true],
        [3 * MIN, true],
      ])
      // The timer stalls for three bars; the next forming bar brings them in order first.
      r.clock.set(forming + 3 * MIN + 10_000)
      w.send(r.demo.formingCandle(SYMBOL, TF, r.clock.now()))
      expect(events.slice(3).map((e) => [e.time - forming, e.closed])).toEqual([
        [0, true],
        [MIN, true],
        [2 * MIN, true],
        [3 * MIN, false],
      ])
      const check = await r.invoke('charting.series', {
        source: 'demo',
        symbol: SYMBOL,
        timeframe: TF,
        instances: INSTANCES,
        to: forming + 2 * MIN,
        limit: 306,
      })
      expect(check.time[0]).toBe(from)
      const closed = events.filter((e) => e.closed)
      closed.forEach((e) => {
        const j = check.time.indexOf(e.time)
        expect(e.values).toEqual(check.instances.map((i) => i.outputs.map((o) => o.values[j])))
      })
    } finally {
      await r.close()
    }
  })

  it('streams over the contract with the real forming-bar watcher, and refuses stored histories', async () => {
    const r = rig(tempDir())
    r.clock.set(Date.now())
    const { client, disconnect } = memoryPair(r.registry)
    try {
      const now = r.clock.now()
      const from = bucketStart(now, TF) - 100 * MIN
      const events: LiveIndicatorEvent[] = []
      const stop = client.subscribe(
        'charting.live',
        {
          source: 'demo',
          symbol: SYMBOL,
          timeframe: TF,
          instances: INSTANCES.slice(0, 2),
          from,
          after: bucketStart(now, TF) - MIN,
        },
        (e) => events.push(e),
        () => {},
      )
      await until(() => events.length > 0, 'a first live point')
      expect(events[0]!.closed).toBe(false)
      expect(events[0]!.values.map((v) => v.length)).toEqual([1, 1])
      stop()

      let error: unknown
      client.subscribe(
        'charting.live',
        { source: 'import:x', symbol: 'ABC', timeframe: TF, instances: INSTANCES, from, after: from },
        () => {},
        (e) => (error = e),
      )
      await until(() => error !== undefined, 'the refusal')
      expect(error).toMatchObject({ kind: 'unavailable', path: 'params.source' })
    } finally {
      disconnect()
      await r.close()
    }
  })
})
