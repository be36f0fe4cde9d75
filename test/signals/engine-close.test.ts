import type { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ComputePool } from '../../src/main/compute'
import { createEngine } from '../../src/main/engine'
import { silentLogger } from '../../src/main/log'
import { seedTask } from '../../src/main/signals/tasks'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()

afterEach(() => {
  vi.restoreAllMocks()
})

const ctx = { transport: 'memory', peer: 'test' } as const

describe('engine close', () => {
  it('fails a cold seed in flight with "engine closing" and leaves no worker thread', async () => {
    // The engine's pool, seen through the first task it is given.
    const task = vi.spyOn(ComputePool.prototype, 'run')
    const engine = createEngine({ dataDir: tempDir(), host: 'headless', log: silentLogger })
    const pending = engine.registry.invoke('signals.current', { source: 'demo', symbol: 'BTC/USDT' }, ctx)
    await vi.waitFor(() => expect(task).toHaveBeenCalled())
    const pool = task.mock.contexts[0] as ComputePool
    expect(pool.workerCount).toBe(1)
    const worker = (pool as unknown as { slots: { worker: Worker }[] }).slots[0]!.worker
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve))
    await engine.close()
    const res = await pending
    expect(res.ok).toBe(false)
    if (!res.ok) {
      expect(res.error.kind).toBe('unavailable')
      expect(res.error.message).toMatch(/^engine closing/)
    }
    expect(pool.workerCount).toBe(0)
    await exited
    // Idempotent, and later commands fail the same way.
    await engine.close()
    await expect(pool.run(seedTask, {} as never)).rejects.toMatchObject({ kind: 'unavailable' })
  })

  it('closes an engine whose worker never started', async () => {
    const engine = createEngine({ dataDir: tempDir(), host: 'headless', log: silentLogger })
    await engine.close()
    await engine.close()
  })
})
