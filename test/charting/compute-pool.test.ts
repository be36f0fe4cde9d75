import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { computeIndicators } from '../../src/main/charting/series'
import { CHARTING_TASKS, computeJobs, type ComputeJob } from '../../src/main/charting/tasks'
import { ComputePool } from '../../src/main/compute'
import { createComputePool } from '../../src/main/compute-pool'
import { createDemoMarket } from '../../src/main/demo'
import { NOW, recordingLogger, toSeries } from './support'

const series = toSeries(createDemoMarket().candles('BTC/USDT', '5m', NOW, 20_000, NOW))
const jobs: ComputeJob[] = [
  { id: 'ema', params: { period: 20 }, start: 0, keep: 1_000 },
  { id: 'stoch', params: { period: 14, kSmooth: 3, dPeriod: 3 }, start: 500, keep: 1_000 },
]

/** The chart's indicator jobs through the engine's pool (one worker), large ones in the worker. */
const run = (pool: ComputePool, s: typeof series, j: ComputeJob[]) => computeIndicators(pool, s, j, 1_000)
const workerOf = (pool: ComputePool): Worker =>
  (pool as unknown as { slots: { worker: Worker }[] }).slots[0]!.worker

describe('indicator jobs in the compute pool', () => {
  it('runs large jobs in the worker with the same numbers as inline', async () => {
    const log = recordingLogger()
    const pool = createComputePool({ log, size: 1 })
    try {
      const inline = computeJobs(series, jobs)
      const viaWorker = await run(pool, series, jobs)
      expect(viaWorker.map((j) => j.map((c) => Array.from(c)))).toEqual(
        inline.map((j) => j.map((c) => Array.from(c))),
      )
      expect(viaWorker[0]![0]!.length).toBe(19_000)
      expect(log.lines).toEqual([])
    } finally {
      pool.close()
    }
  })

  it('falls back to the main thread when the worker fails, saying so once', async () => {
    const log = recordingLogger()
    let spawned = 0
    const pool = new ComputePool({
      log,
      size: 1,
      kinds: CHARTING_TASKS,
      spawn: () => {
        spawned++
        return new Worker('throw new Error("no worker here")', { eval: true })
      },
    })
    try {
      const [a, b] = await Promise.all([run(pool, series, jobs), run(pool, series, jobs.slice(1))])
      expect(Array.from(a![1]![0]!)).toEqual(Array.from(computeJobs(series, jobs)[1]![0]!))
      expect(b).toHaveLength(1)
      // Later work stays in the main thread; no second worker is tried.
      await run(pool, series, jobs)
      expect(spawned).toBe(1)
      expect(log.lines).toEqual([
        expect.stringMatching(/^WARN compute worker failed; computing in the main thread/),
      ])
    } finally {
      pool.close()
    }
  })

  it('reports a bad candle as the library does, from the worker too', async () => {
    const pool = createComputePool({ log: recordingLogger(), size: 1 })
    try {
      const bad = { ...series, high: series.high.slice() }
      bad.high[5_000] = NaN
      await expect(run(pool, bad, jobs)).rejects.toMatchObject({ kind: 'validation' })
    } finally {
      pool.close()
    }
  })

  it('terminates the worker on close: jobs in flight and later fail with "engine closing", close is idempotent', async () => {
    const pool = createComputePool({ log: recordingLogger(), size: 1 })
    // Start the worker and let it answer once, so the next job is really in its hands.
    await run(pool, series, jobs)
    expect(pool.workerCount).toBe(1)
    const worker = workerOf(pool)
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve))
    const inFlight = run(pool, series, jobs)
    const first = pool.close()
    expect(pool.close()).toBe(first)
    await expect(inFlight).rejects.toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(/^engine closing/),
    })
    await first
    expect(pool.workerCount).toBe(0)
    expect(await exited).toBe(1) // terminated
    await expect(run(pool, series, jobs)).rejects.toMatchObject({ kind: 'unavailable' })
    // Even small jobs (inline) are refused once closed, and no worker is started again.
    await expect(run(pool, series, [{ ...jobs[0]!, start: 19_900, keep: 19_900 }])).rejects.toMatchObject({
      kind: 'unavailable',
    })
    expect(pool.workerCount).toBe(0)
  })
})
