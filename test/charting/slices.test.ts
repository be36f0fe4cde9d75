import { describe, expect, it } from 'vitest'
import { pause, runInSlices } from '../../src/main/market/slices'
import { useTempDirs } from '../support/temp-dir'
import { rig } from './support'

const tempDir = useTempDirs()

/** Counts iterations of the event loop (one setImmediate a turn) until stopped. */
function loopTurns(): { readonly count: number; stop(): void } {
  let count = 0
  let stopped = false
  const tick = (): void => {
    count++
    if (!stopped) setImmediate(tick)
  }
  setImmediate(tick)
  return {
    get count() {
      return count
    },
    stop: () => (stopped = true),
  }
}

function spin(ms: number): void {
  const t0 = performance.now()
  while (performance.now() - t0 < ms);
}

describe('work in slices', () => {
  it('hands out one turn of the event loop at a time, in the order callers paused', async () => {
    const turns = loopTurns()
    const seen: [string, number][] = []
    await Promise.all(
      ['a', 'b', 'c'].map(async (k) => {
        await pause()
        seen.push([k, turns.count])
      }),
    )
    turns.stop()
    expect(seen.map(([k]) => k)).toEqual(['a', 'b', 'c'])
    const at = seen.map(([, n]) => n)
    expect(new Set(at).size).toBe(3)
  })

  it('runs steps to their value, pausing only once a slice has taken its time', async () => {
    function* steps(n: number, ms: number): Generator<void, number, undefined> {
      let sum = 0
      for (let i = 1; i <= n; i++) {
        spin(ms)
        sum += i
        if (i < n) yield
      }
      return sum
    }
    let turns = loopTurns()
    expect(await runInSlices(steps(100, 0), 1000)).toBe(5050)
    turns.stop()
    expect(turns.count).toBe(0)
    turns = loopTurns()
    expect(await runInSlices(steps(10, 2), 3)).toBe(55)
    turns.stop()
    expect(turns.count).toBeGreaterThanOrEqual(4)
  })

  it('charting.series and market.candles of 100,000 bars let the event loop turn while they work', async () => {
    // Indicators computed inline: every turn the loop gets is one the call gave it.
    const r = rig(tempDir(), { inlineLimit: Number.MAX_SAFE_INTEGER })
    try {
      const base = { source: 'demo', symbol: 'BTC/USDT', timeframe: '1m' as const, limit: 100_000 }
      let turns = loopTurns()
      const candles = await r.invoke('market.candles', base)
      turns.stop()
      expect(candles.candles.time).toHaveLength(100_000)
      expect(turns.count).toBeGreaterThan(2)
      turns = loopTurns()
      const series = await r.invoke('charting.series', {
        ...base,
        instances: [{ id: 'sma', params: { period: 20 } }, { id: 'macd' }],
      })
      turns.stop()
      expect(series.time).toEqual(candles.candles.time)
      expect(series.instances[1]!.outputs[0]!.values).toHaveLength(100_000)
      expect(turns.count).toBeGreaterThan(2)
    } finally {
      await r.close()
    }
  })
})
