import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ProcessMeter } from '../../src/main/health/process-meter'
import { createHealthRecorder } from '../../src/main/health/recorder'
import { HealthRing } from '../../src/main/health/ring'
import { silentLogger } from '../../src/main/log'
import { openDatabase } from '../../src/main/storage/database'
import { useTempDirs } from '../support/temp-dir'

const tempDir = useTempDirs()

describe('the health recorder', () => {
  it('measures a blocked event loop and busy CPU, and writes the minute’s sample to the ring', async () => {
    const db = openDatabase(join(tempDir(), 'rec.db'))
    const clock = { now: () => Date.now() }
    const recorder = createHealthRecorder({
      meter: new ProcessMeter(),
      ring: new HealthRing(db),
      clock,
      log: silentLogger,
      exchangeHealth: () => [],
      tickMs: 60_000,
    })
    recorder.start()
    try {
      // Let the histogram sample, then block the loop for 300 ms: p99 must see it.
      await new Promise((r) => setTimeout(r, 100))
      const until = performance.now() + 300
      while (performance.now() < until) {
        /* busy on purpose */
      }
      await new Promise((r) => setTimeout(r, 50))
      const s = recorder.sampleNow()
      expect(s.eventLoopP99Ms).toBeGreaterThanOrEqual(100)
      // CPU time, unlike the wall-clock delay, depends on how busy the shared machine is: only its presence is certain.
      expect(s.cpuShare).toBeGreaterThan(0)
      expect(s.cpuShare).toBeLessThan(4)
      expect(s.rssBytes).toBeGreaterThan(s.heapUsedBytes)
      expect(recorder.live()?.eventLoopP99Ms).toBe(s.eventLoopP99Ms)
      expect(recorder.history(0)).toEqual([s])
    } finally {
      recorder.close()
      db.close()
    }
  })
})
