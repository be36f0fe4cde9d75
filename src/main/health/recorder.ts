import type { ExchangeHealth } from '../../shared/contract/exchange'
import type { Clock } from '../clock'
import type { Part } from '../domain'
import type { Logger } from '../log'
import type { ProcessFigures, ProcessMeter } from './process-meter'
import type { HealthRing, RingSample } from './ring'

export interface RecorderDeps {
  meter: ProcessMeter
  ring: HealthRing
  clock: Clock
  log: Logger
  /** The hub's exchange health, for each exchange's latency in the ring. */
  exchangeHealth(): ExchangeHealth[]
  /** Milliseconds between two readings of the process (default 5 s); the ring gets one a minute. */
  tickMs?: number
  ringEveryMs?: number
}

/**
 * Reads the process figures every few seconds (what the Health view shows as live) and writes
 * one sample a minute into the ring: mean p50, worst p99 and mean CPU of the minute's readings,
 * the last memory figures, and each exchange's latency. Timers are unref'd: they never keep a
 * process alive.
 */
export function createHealthRecorder(deps: RecorderDeps): Part & {
  start(): void
  close(): void
  live(): ProcessFigures | null
  /** Ring samples newer than `since`, then the readings since the last one (the sparkline's newest points). */
  history(since: number): RingSample[]
  /** Takes a reading now and writes it to the ring (the Health bench and tests call it). */
  sampleNow(): RingSample
} {
  const tickMs = deps.tickMs ?? 5_000
  const ringEveryMs = deps.ringEveryMs ?? 60_000
  let readings: { at: number; f: ProcessFigures; exchanges: RingSample['exchanges'] }[] = []
  let latest: ProcessFigures | null = null
  let lastRingAt = deps.clock.now()
  let timer: NodeJS.Timeout | null = null
  let first: NodeJS.Timeout | null = null

  const latencies = (): RingSample['exchanges'] =>
    Object.fromEntries(deps.exchangeHealth().map((h) => [h.exchange, h.latencyMs]))

  const aggregate = (at: number): RingSample => {
    const fs = readings.map((r) => r.f)
    const last = fs[fs.length - 1]!
    return {
      at,
      eventLoopP50Ms: mean(fs.map((f) => f.eventLoopP50Ms)),
      eventLoopP99Ms: max(fs.map((f) => f.eventLoopP99Ms)),
      rssBytes: last.rssBytes,
      heapUsedBytes: last.heapUsedBytes,
      cpuShare: mean(fs.map((f) => f.cpuShare)),
      exchanges: latencies(),
    }
  }

  const tick = (): void => {
    try {
      const at = deps.clock.now()
      latest = deps.meter.read()
      readings.push({ at, f: latest, exchanges: latencies() })
      if (at - lastRingAt >= ringEveryMs) {
        deps.ring.write(aggregate(at))
        readings = []
        lastRingAt = at
      }
    } catch (err) {
      deps.log.warn('health sample failed', { error: String(err) })
    }
  }

  return {
    name: 'health-recorder',
    start() {
      deps.meter.start()
      first = setTimeout(tick, Math.min(1_000, tickMs))
      first.unref()
      timer = setInterval(tick, tickMs)
      timer.unref()
    },
    close() {
      if (first) clearTimeout(first)
      if (timer) clearInterval(timer)
      deps.meter.stop()
    },
    live: () => latest,
    history: (since) => [
      ...deps.ring.since(since),
      ...readings.map(({ at, f, exchanges }) => ({
        at,
        eventLoopP50Ms: f.eventLoopP50Ms,
        eventLoopP99Ms: f.eventLoopP99Ms,
        rssBytes: f.rssBytes,
        heapUsedBytes: f.heapUsedBytes,
        cpuShare: f.cpuShare,
        exchanges,
      })),
    ],
    sampleNow() {
      const at = deps.clock.now()
      latest = deps.meter.read()
      readings.push({ at, f: latest, exchanges: latencies() })
      const sample = aggregate(at)
      deps.ring.write(sample)
      readings = []
      lastRingAt = at
      return sample
    },
  }
}

function present(xs: (number | null)[]): number[] {
  return xs.filter((x): x is number => x !== null && Number.isFinite(x))
}
function mean(xs: (number | null)[]): number | null {
  const p = present(xs)
  return p.length === 0 ? null : p.reduce((a, b) => a + b, 0) / p.length
}
function max(xs: (number | null)[]): number | null {
  const p = present(xs)
  return p.length === 0 ? null : Math.max(...p)
}
