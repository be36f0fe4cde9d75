/**
 * The cost of collecting the health figures (docs/HEALTH.md "History"). Goal: under 1 % of one
 * core. The recorder reads the process every 5 s and writes one ring sample a minute; this
 * measures, on a real SQLite file, the CPU time of one reading (meter.read with the hub's health
 * of 5 exchanges) and of one ring write, and the event-loop histogram's own cost (the process's
 * CPU over 3 s idle with it enabled minus without), and adds them up per second.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ProcessMeter } from '../src/main/health/process-meter'
import { createHealthRecorder } from '../src/main/health/recorder'
import { HealthRing } from '../src/main/health/ring'
import { silentLogger } from '../src/main/log'
import { openDatabase } from '../src/main/storage/database'
import type { ExchangeHealth } from '../src/shared/contract/exchange'
import { bestOf, report } from './harness'

const exchanges: ExchangeHealth[] = ['binance', 'bybit', 'okx', 'kraken', 'coinbase'].map((exchange) => ({
  exchange,
  state: 'closed',
  score: 95,
  successRate: 1,
  samples: 100,
  consecutiveFailures: 0,
  latencyMs: { p50: 40, p95: 90, p99: 150 },
  openUntil: null,
  lastError: null,
  lastErrorAt: null,
  clockSkew: null,
  requestWeight: { used: 120, limit: 6000, share: 0.02, intervalMs: 60_000, at: 0 },
  websocket: { state: 'connected', clients: 1, lastMessageAt: 0, lastMessageAgeMs: 100 },
}))

async function idleCpuMs(ms: number): Promise<number> {
  const before = process.cpuUsage()
  await new Promise((r) => setTimeout(r, ms))
  const d = process.cpuUsage(before)
  return (d.user + d.system) / 1000
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-health-bench-'))
  const db = openDatabase(join(dir, 'bench.db'))
  try {
    const meter = new ProcessMeter()
    const ring = new HealthRing(db)
    let t = Date.UTC(2026, 0, 1)
    const recorder = createHealthRecorder({
      meter,
      ring,
      clock: { now: () => (t += 60_000) },
      log: silentLogger,
      exchangeHealth: () => exchanges,
      tickMs: 3_600_000,
    })
    const readMs = bestOf(() => meter.read(), { minMs: 300 })
    // sampleNow: a reading, the hub's health and one ring write (INSERT OR REPLACE of one row).
    const sampleMs = bestOf(() => recorder.sampleNow(), { minMs: 300 })

    const withoutMs = await idleCpuMs(3_000)
    meter.start()
    const withMs = await idleCpuMs(3_000)
    meter.stop()
    const histogramMsPerS = Math.max(0, (withMs - withoutMs) / 3)

    // Per second: a reading every 5 s, a ring sample every 60 s, the histogram all the time.
    const perSecondMs = readMs / 5 + sampleMs / 60 + histogramMsPerS
    report({
      name: 'health collection',
      value: Number((perSecondMs / 10).toPrecision(3)),
      unit: '% of one core',
      readMs: Math.round(readMs * 1000) / 1000,
      ringSampleMs: Math.round(sampleMs * 1000) / 1000,
      histogramMsPerSecond: Math.round(histogramMsPerS * 1000) / 1000,
      goal: 'under 1 % of one core',
      pass: perSecondMs / 1000 < 0.01,
    })
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
