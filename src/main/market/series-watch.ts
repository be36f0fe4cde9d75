import type { Db } from '../storage/database'
import { perConnection } from '../storage/statements'

const signatureOf = perConnection((db: Db) =>
  db.prepare<[], { s: string | null }>(
    `SELECT group_concat(key, char(10)) AS s FROM (
       SELECT source || char(0) || symbol || char(0) || timeframe AS key
       FROM candle_series WHERE count > 0 ORDER BY key)`,
  ),
)

/** How often the stored series are looked at: an import shows in the list within this. */
export const SERIES_WATCH_MS = 1000

/**
 * Tells listeners when the set of stored series with bars changes, whoever wrote them: this
 * engine (an exchange backfill) or another process on the same database file (the CLI's
 * `import-candles`, which writes the file directly while the app runs). SQLite sends no
 * notification across processes, so the watch reads a signature of `candle_series` (one row per
 * series: a few dozen) once a second, and only while someone listens. Bars added to a series
 * already listed do not count: the list names series, the chart follows their bars.
 */
export class SeriesWatch {
  private readonly listeners = new Set<() => void>()
  private timer: ReturnType<typeof setInterval> | null = null
  /** The series as last seen; a change while nobody listened is told to the next listener. */
  private last: string

  constructor(
    private readonly db: Db,
    private readonly intervalMs = SERIES_WATCH_MS,
  ) {
    this.last = this.signature()
  }

  /** Calls `onChange` after each change from the last look on; returns the unsubscribe. */
  subscribe(onChange: () => void): () => void {
    if (this.listeners.size === 0) {
      this.timer = setInterval(() => this.check(), this.intervalMs)
      this.timer.unref?.()
    }
    this.listeners.add(onChange)
    return () => {
      this.listeners.delete(onChange)
      if (this.listeners.size === 0) this.stop()
    }
  }

  /** Looks now (the timer's tick); true when the series changed since the last look. */
  check(): boolean {
    const now = this.signature()
    if (now === this.last) return false
    this.last = now
    for (const listener of [...this.listeners]) listener()
    return true
  }

  close(): void {
    this.listeners.clear()
    this.stop()
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private signature(): string {
    return signatureOf(this.db).get()?.s ?? ''
  }
}
