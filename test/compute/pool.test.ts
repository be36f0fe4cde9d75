import { availableParallelism } from 'node:os'
import { threadId } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ComputePool,
  defaultPoolSize,
  defineTask,
  inlineCompute,
  workerSpawner,
  type Progress,
} from '../../src/main/compute'
import { createComputePool } from '../../src/main/compute-pool'
import { silentLogger } from '../../src/main/log'
import { longTask, meetTask, ranTask, shortTask, stepsTask, TEST_TASKS, type Spun } from './fixtures/tasks'

/**
 * The compute pool with real worker threads running the test kinds of fixtures/tasks.ts
 * (fixtures/worker.ts is their worker entry, started through tsx as the engine's is in tests).
 */

const pools: ComputePool[] = []
afterEach(async () => {
  for (const p of pools.splice(0)) await p.close()
})

function pool(opts: { size: number; timeoutMs?: number }): ComputePool {
  const p = new ComputePool({
    log: silentLogger,
    kinds: TEST_TASKS,
    spawn: workerSpawner(undefined, new URL('./fixtures/worker.ts', import.meta.url)),
    ...opts,
  })
  pools.push(p)
  return p
}

/** Resolves once the job reports its first progress, i.e. it is running in a worker. */
function started(): { onProgress: (p: Progress) => void; running: Promise<void> } {
  let onProgress!: (p: Progress) => void
  const running = new Promise<void>((resolve) => (onProgress = () => resolve()))
  return { onProgress, running }
}

describe('compute pool size', () => {
  it('is one per core but one, at least 1, unless configured', () => {
    expect(defaultPoolSize(1)).toBe(1)
    expect(defaultPoolSize(2)).toBe(1)
    expect(defaultPoolSize(8)).toBe(7)
    expect(defaultPoolSize()).toBe(Math.max(1, availableParallelism() - 1))
    const byDefault = new ComputePool({ log: silentLogger, kinds: [], spawn: () => null as never })
    expect(byDefault.size).toBe(defaultPoolSize())
    expect(pool({ size: 3 }).size).toBe(3)
    for (const size of [0, -1, 1.5, NaN]) {
      expect(() => pool({ size })).toThrow(/compute pool size must be a whole number of at least 1/)
    }
    // The engine's pool (EngineOptions.computeWorkers) the same way.
    expect(createComputePool({ log: silentLogger }).size).toBe(defaultPoolSize())
    expect(createComputePool({ log: silentLogger, size: 4 }).size).toBe(4)
  })

  it('runs up to `size` jobs at once, each in its own worker thread, and starts no more', async () => {
    const p = pool({ size: 2 })
    // Each job waits (up to 20 s) until two have arrived: only jobs running at once can meet.
    const arrived = new Int32Array(new SharedArrayBuffer(4))
    const jobs = [1, 2, 3].map(() => p.run(meetTask, { arrived, count: 2, waitMs: 20_000 }))
    expect(p.workerCount).toBe(2)
    expect(p.queued).toBe(1)
    const met = await Promise.all(jobs)
    expect(met.map((r) => r.met)).toEqual([true, true, true])
    expect(new Set(met.map((r) => r.threadId)).size).toBe(2)
    expect(met.map((r) => r.threadId)).not.toContain(threadId)
    expect(p.workerCount).toBe(2)

    // With one worker the same two jobs cannot meet: the first gives up waiting.
    const one = pool({ size: 1 })
    const alone = new Int32Array(new SharedArrayBuffer(4))
    const apart = await Promise.all(
      [1, 2].map(() => one.run(meetTask, { arrived: alone, count: 2, waitMs: 300 })),
    )
    expect(apart.map((r) => r.met)).toEqual([false, true])
  })
})

describe('compute pool fairness', () => {
  it('a queue of long jobs of one kind delays a short job of another by one job at most', async () => {
    const p = pool({ size: 1 })
    const done: string[] = []
    const post = (task: typeof longTask, tag: string, ms: number) =>
      p.run(task, { tag, ms }).then((r) => {
        done.push(tag)
        return r
      })
    const longs = [1, 2, 3].map((i) => post(longTask, `long${i}`, 200))
    const short = await post(shortTask, 'short', 1)
    await Promise.all(longs)
    // First come first served would have run the short job last, after 600 ms of long ones.
    expect(done).toEqual(['long1', 'short', 'long2', 'long3'])
    const [long1, long2] = (await Promise.all(longs.slice(0, 2))) as [Spun, Spun]
    expect(short.start).toBeGreaterThanOrEqual(long1.end)
    expect(short.end).toBeLessThanOrEqual(long2.start)
  })

  it('alternates between kinds that both have queued work, each in its order', async () => {
    const p = pool({ size: 1 })
    const done: string[] = []
    const post = (task: typeof longTask, tag: string) =>
      p.run(task, { tag, ms: 20 }).then(() => void done.push(tag))
    await Promise.all([
      post(longTask, 'a1'),
      post(longTask, 'a2'),
      post(longTask, 'a3'),
      post(shortTask, 'b1'),
      post(shortTask, 'b2'),
    ])
    expect(done).toEqual(['a1', 'b1', 'a2', 'b2', 'a3'])
  })
})

describe('compute pool cancellation', () => {
  it('drops a queued job at once: it never runs, the signal’s reason is the error', async () => {
    const p = pool({ size: 1 })
    const running = p.run(longTask, { tag: 'first', ms: 300 })
    const abort = new AbortController()
    const queued = p.run(shortTask, { tag: 'dropped', ms: 1 }, { signal: abort.signal })
    expect(p.queued).toBe(1)
    const reason = new Error('not needed any more')
    abort.abort(reason)
    await expect(queued).rejects.toBe(reason)
    expect(p.queued).toBe(0)
    const first = (await running) as Spun
    const after = await p.run(ranTask, undefined)
    expect(after.threadId).toBe(first.threadId)
    expect(after.ran).toEqual(['first'])
  })

  it('stops a running job by replacing its worker; the next job runs in a new thread', async () => {
    const p = pool({ size: 1 })
    const abort = new AbortController()
    const { onProgress, running } = started()
    const t0 = performance.now()
    const job = p.run(longTask, { tag: 'endless', ms: 20_000 }, { signal: abort.signal, onProgress })
    await running
    const before = await Promise.race([
      p.run(ranTask, undefined).then(() => 'ran'),
      new Promise((r) => setTimeout(() => r('still queued'), 50)),
    ])
    expect(before).toBe('still queued')
    abort.abort()
    await expect(job).rejects.toMatchObject({ name: 'AbortError' })
    expect(performance.now() - t0).toBeLessThan(10_000)
    // The queued job went to a fresh worker: it never saw the cancelled one's work.
    const next = await p.run(ranTask, undefined)
    expect(next.ran).toEqual([])
    expect(p.workerCount).toBe(1)
  })

  it('refuses a job whose signal is already aborted, in a worker or inline', async () => {
    const p = pool({ size: 1 })
    const signal = AbortSignal.abort(new Error('too late'))
    await expect(p.run(shortTask, { tag: 'x', ms: 1 }, { signal })).rejects.toThrow('too late')
    await expect(p.run(shortTask, { tag: 'x', ms: 1 }, { signal, inline: true })).rejects.toThrow('too late')
    await expect(inlineCompute.run(shortTask, { tag: 'x', ms: 1 }, { signal })).rejects.toThrow('too late')
    expect(p.workerCount).toBe(0)
  })

  it('fails a job that outruns the timeout and replaces its worker', async () => {
    const p = pool({ size: 1, timeoutMs: 300 })
    // The time is the job's own, from when its worker is ready (a worker's start-up is not counted).
    const stuck = await p.run(longTask, { tag: 'slow', ms: 10_000 }).catch((e: unknown) => e)
    expect(stuck).toMatchObject({
      kind: 'internal',
      message: 'test.long computation did not finish within 0.3 s',
    })
    const next = await p.run(ranTask, undefined)
    expect(next.ran).toEqual([])
  })

  it('gives one job its own time limit, longer or shorter than the pool’s (a backup of a big database)', async () => {
    const p = pool({ size: 1, timeoutMs: 300 })
    // 600 ms of work would outrun the pool's 300 ms; its own 10 s lets it finish.
    await expect(p.run(longTask, { tag: 'big', ms: 600 }, { timeoutMs: 10_000 })).resolves.toBeDefined()
    const cut = await p
      .run(longTask, { tag: 'slow', ms: 10_000 }, { timeoutMs: 100 })
      .catch((e: unknown) => e)
    expect(cut).toMatchObject({ message: 'test.long computation did not finish within 0.1 s' })
  })
})

describe('compute pool progress', () => {
  it('hands the caller each report of a running job, in order, before the result', async () => {
    const p = pool({ size: 1 })
    const events: Progress[] = []
    const result = await p.run(stepsTask, { n: 4, gapMs: 80 }, { onProgress: (e) => events.push(e) })
    expect(result).toBe(4)
    expect(events).toEqual([
      { done: 1, total: 4 },
      { done: 2, total: 4 },
      { done: 3, total: 4 },
      { done: 4, total: 4 },
    ])
  })

  it('thins reports that come faster than a message is worth, but always gives the last', async () => {
    const p = pool({ size: 1 })
    const events: Progress[] = []
    await p.run(stepsTask, { n: 100_000, gapMs: 0 }, { onProgress: (e) => events.push(e) })
    expect(events.length).toBeLessThan(50)
    expect(events.at(-1)).toEqual({ done: 100_000, total: 100_000 })
    // Inline too.
    const inline: Progress[] = []
    await inlineCompute.run(stepsTask, { n: 100_000, gapMs: 0 }, { onProgress: (e) => inline.push(e) })
    expect(inline.length).toBeLessThan(50)
    expect(inline.at(-1)).toEqual({ done: 100_000, total: 100_000 })
  })
})

describe('compute pool kinds', () => {
  it('refuses a kind it was not given, and two kinds of one name', async () => {
    const p = pool({ size: 1 })
    const stranger = defineTask('test.stranger', () => ({ value: 1, transfer: [] }))
    await expect(p.run(stranger, undefined)).rejects.toMatchObject({
      kind: 'internal',
      message: expect.stringMatching(/compute task test\.stranger is not registered/),
    })
    // A different definition under a registered name is refused too.
    const impostor = defineTask('test.ran', () => ({ value: 1, transfer: [] }))
    await expect(p.run(impostor, undefined)).rejects.toMatchObject({ kind: 'internal' })
    expect(
      () =>
        new ComputePool({
          log: silentLogger,
          kinds: [stepsTask, stepsTask],
          spawn: () => null as never,
          size: 1,
        }),
    ).toThrow(/test\.steps is registered twice/)
  })
})
