import type { AlertSpec } from '../../shared/contract/alerts'
import type { Candle } from '../../shared/domain/candles'
import type { Evaluator } from './conditions'

/** What an alert remembers between evaluations and across restarts (the `state` column). */
export interface RunnerState {
  /** False after a level alert with hysteresis fired, until the value went back by the margin. */
  armed: boolean
  /** The side the last hysteresis firing was on. */
  side: 'above' | 'below' | null
  lastFiredAt: number | null
  lastFiredBar: number | null
  /** Open time of the last closed bar evaluated: "while you were away" resumes after it. */
  checkedThrough: number | null
}

export const FRESH_STATE: RunnerState = {
  armed: true,
  side: null,
  lastFiredAt: null,
  lastFiredBar: null,
  checkedThrough: null,
}

export interface Trigger {
  time: number
  barTime: number
  values: Record<string, number | null>
}

type Gates = Pick<AlertSpec, 'evaluate' | 'frequency' | 'minIntervalMs' | 'expiresAt' | 'hysteresis'>

/** Whether an alert looks only at closed bars: asked to, or firing once per bar close. */
export function onCloseOnly(spec: Pick<AlertSpec, 'evaluate' | 'frequency'>): boolean {
  return spec.evaluate === 'bar_close' || spec.frequency === 'once_per_bar_close'
}

/**
 * One alert's evaluation over its condition: which bars it looks at (intrabar or on close), how
 * often it may fire (once, once per bar, once per bar close, every time with a minimum
 * interval), its expiry and its hysteresis. The same object runs live, on start over the bars
 * that closed while the app was away, and in the preview, so all three agree.
 */
export class AlertRunner {
  status: 'active' | 'fired' | 'expired' = 'active'
  readonly closeOnly: boolean

  constructor(
    private readonly spec: Gates,
    readonly evaluator: Evaluator,
    readonly state: RunnerState = { ...FRESH_STATE },
    /** The preview counts a `once` alert's every firing (once per bar), or it could only say 1. */
    private readonly countAll = false,
  ) {
    this.closeOnly = onCloseOnly(spec)
  }

  /** A closed bar before the evaluation starts: it moves the indicators and the previous value, and fires nothing. */
  warm(bar: Candle): void {
    this.evaluator.step(bar, true)
    this.state.checkedThrough = bar.time
  }

  /**
   * Evaluates one live update (`closed`: the bar is complete) at time `now`; answers the firing,
   * if any. A forming bar is ignored by an alert that looks only at closed bars.
   */
  onBar(bar: Candle, closed: boolean, now: number): Trigger | null {
    if (this.status !== 'active') return null
    if (this.spec.expiresAt !== null && now >= this.spec.expiresAt) {
      this.status = 'expired'
      return null
    }
    if (!closed && this.closeOnly) return null
    const v = this.evaluator.step(bar, closed)
    if (closed) this.state.checkedThrough = bar.time
    if (!v) return null
    const h = this.spec.hysteresis
    const s = this.state
    if (h && !s.armed && v.distance !== undefined) {
      const margin = h.unit === 'absolute' ? h.value : ((v.scale ?? 0) * h.value) / 100
      if ((s.side === 'above' && v.distance <= -margin) || (s.side === 'below' && v.distance >= margin)) {
        s.armed = true
        s.side = null
      }
    }
    if (!v.hit || (h && !s.armed)) return null
    switch (this.countAll && this.spec.frequency === 'once' ? 'once_per_bar' : this.spec.frequency) {
      case 'once':
        this.status = 'fired'
        break
      case 'once_per_bar':
      case 'once_per_bar_close':
        if (s.lastFiredBar === bar.time) return null
        break
      case 'every_time':
        if (s.lastFiredAt !== null && now - s.lastFiredAt < this.spec.minIntervalMs) return null
        break
    }
    s.lastFiredAt = now
    s.lastFiredBar = bar.time
    if (h && v.side) {
      s.armed = false
      s.side = v.side
    }
    return { time: now, barTime: bar.time, values: v.values }
  }
}
