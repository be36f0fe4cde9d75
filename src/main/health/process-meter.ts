import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'

/** The histogram's timer period (ms). */
const RESOLUTION_MS = 20

/**
 * The histogram records the time between two of its timer's runs, so an idle loop reads the
 * period itself (about 20 ms): the delay is what is beyond the period.
 */
function lateBy(ns: number): number {
  return Math.max(0, ns / 1e6 - RESOLUTION_MS)
}

/** The engine process's own figures over the window since the last reading. */
export interface ProcessFigures {
  /** Event-loop delay percentiles (ms) over the window; null before any delay was sampled. */
  eventLoopP50Ms: number | null
  eventLoopP99Ms: number | null
  rssBytes: number
  heapUsedBytes: number
  heapTotalBytes: number
  /** CPU time (user + system) over wall time in the window: 1 is one core fully busy. */
  cpuShare: number | null
}

/**
 * Measures the engine's process: event-loop delay (perf_hooks' histogram, sampled every 20 ms by
 * libuv's timer, so it costs almost nothing), memory and CPU share of one core. `read()` returns
 * the figures since the previous `read()` and starts a new window.
 */
export class ProcessMeter {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  private lastCpu = process.cpuUsage()
  private lastAt = performance.now()

  start(): void {
    this.histogram.enable()
  }

  stop(): void {
    this.histogram.disable()
  }

  /** The figures since the last read; a new window starts. */
  read(): ProcessFigures {
    const now = performance.now()
    const cpu = process.cpuUsage(this.lastCpu)
    const wallMs = now - this.lastAt
    const mem = process.memoryUsage()
    const h = this.histogram
    const sampled = h.count > 0
    const figures: ProcessFigures = {
      eventLoopP50Ms: sampled ? lateBy(h.percentile(50)) : null,
      eventLoopP99Ms: sampled ? lateBy(h.percentile(99)) : null,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      heapTotalBytes: mem.heapTotal,
      cpuShare: wallMs > 0 ? (cpu.user + cpu.system) / 1000 / wallMs : null,
    }
    h.reset()
    this.lastCpu = process.cpuUsage()
    this.lastAt = now
    return figures
  }
}
