import type { ExchangeHealth } from '../../shared/contract/exchange'

/**
 * Every health threshold in one place (docs/HEALTH.md lists them). Each judge returns a state and,
 * when it is not ok, what a trader should do about it. A figure exactly at a limit is on the
 * better side: `ok` up to and including the ok limit, `warning` up to and including the warning
 * limit, `critical` beyond. An unknown figure (null: nothing measured yet) is ok.
 */
export type HealthState = 'ok' | 'warning' | 'critical'
export interface Judged {
  state: HealthState
  advice: string | null
}

const MB = 1024 * 1024

export const THRESHOLDS = {
  /** Event-loop delay p99 (ms): above 50 ms charts and order tickets feel late; above 200 ms it is stuck. */
  eventLoopP99Ms: { ok: 50, warning: 200 },
  /** Resident memory (bytes). */
  rssBytes: { ok: 1024 * MB, warning: 2048 * MB },
  /** CPU as a share of one core over the last sample. */
  cpuShare: { ok: 0.5, warning: 0.9 },
  /** Write-ahead log (bytes): SQLite folds it back at checkpoints; a big one means they are blocked. */
  walBytes: { ok: 64 * MB, warning: 512 * MB },
  /** Exchange health score (0-100, higher is better): ok at or above 80, warning at or above 50. */
  exchangeScore: { ok: 80, warning: 50 },
  /** Share of recent requests that failed. */
  errorRate: { ok: 0.05, warning: 0.2 },
  /** Request weight used as a share of the exchange's limit (for the interval its answer counted over). */
  weightShare: { ok: 0.7, warning: 0.9 },
  /**
   * Age of the last websocket message while a socket is open (ms). Market streams push every
   * second or faster; a socket that only carries the account's stream may be quiet for longer,
   * so amber comes only after a minute.
   */
  wsMessageAgeMs: { ok: 60_000, warning: 300_000 },
  /**
   * Age of a followed series' newest bar, in lengths of its timeframe (now minus the newest bar's
   * open time): a live feed's newest bar is the one forming, under one length old; two lengths
   * allow a late poll, and a feed five lengths behind is not live.
   */
  feedAgeBars: { ok: 2, warning: 5 },
  /** Bars missing from the newest `FEED_GAP_WINDOW` stored bars of a followed series: any is amber. */
  feedMissingBars: { ok: 0, warning: Number.POSITIVE_INFINITY },
} as const

/** How many of a followed series' newest stored bars are looked at for gaps. */
export const FEED_GAP_WINDOW = 1_000

/** A followed series: the age of its newest bar (in bar lengths) and the bars missing from its stored history. */
export function judgeFeed(ageBars: number | null, missingBars: number | null): Judged {
  const age = band(ageBars, THRESHOLDS.feedAgeBars)
  const gaps = band(missingBars, THRESHOLDS.feedMissingBars)
  if (age !== 'ok' && age === worstOf([age, gaps]))
    return judged(
      age,
      'No new bar from this feed for a while: its chart, alerts and strategy decide on old prices. Check the exchange’s row above and your connection; Candlework resubscribes by itself.',
    )
  return judged(
    gaps,
    'The stored history of this series has missing bars: indicators, alerts and backtests read over them as if no time passed. Scroll the chart back over the gap to fetch what the exchange still has; a gap the exchange has too (an outage) stays.',
  )
}

function band(value: number | null, limits: { ok: number; warning: number }): HealthState {
  if (value === null || !Number.isFinite(value)) return 'ok'
  return value <= limits.ok ? 'ok' : value <= limits.warning ? 'warning' : 'critical'
}

function judged(state: HealthState, advice: string): Judged {
  return { state, advice: state === 'ok' ? null : advice }
}

export function judgeEventLoop(p99Ms: number | null): Judged {
  return judged(
    band(p99Ms, THRESHOLDS.eventLoopP99Ms),
    'The engine is slow to respond: close charts or strategies you do not need, and restart the app if it stays slow.',
  )
}

export function judgeMemory(rssBytes: number | null): Judged {
  return judged(
    band(rssBytes, THRESHOLDS.rssBytes),
    'The engine uses a lot of memory: close unused charts and backtests; restart the app when no order is working.',
  )
}

export function judgeCpu(share: number | null): Judged {
  return judged(
    band(share, THRESHOLDS.cpuShare),
    'The engine keeps a core busy: stop a backtest or strategy you do not need; other programs may slow it too.',
  )
}

export function judgeWal(walBytes: number | null): Judged {
  return judged(
    band(walBytes, THRESHOLDS.walBytes),
    'The database journal keeps growing: restart the app when flat so it can fold the journal back, and check free disk space.',
  )
}

/** A weight reading still counts while its interval (a minute when unsaid) has not passed. */
export function freshWeightShare(h: ExchangeHealth, now: number): number | null {
  const w = h.requestWeight
  if (!w || w.share === null) return null
  return now - w.at <= (w.intervalMs ?? 60_000) ? w.share : null
}

/** Worst of the exchange's figures: breaker, clock skew, score, error rate, request weight, websocket. */
export function judgeExchange(h: ExchangeHealth | null, now: number): Judged {
  if (h === null) return { state: 'ok', advice: null }
  if (h.state === 'open') {
    return judged(
      'critical',
      'The exchange does not answer: orders cannot be sent. Check your internet connection and the exchange’s status page; Candlework retries by itself.',
    )
  }
  if (h.clockSkew && !h.clockSkew.withinWindow) {
    return judged(
      'critical',
      'This computer’s clock is off: the exchange refuses signed requests. Turn on automatic time sync in your system settings.',
    )
  }
  const score = h.score === null ? 'ok' : bandHigh(h.score, THRESHOLDS.exchangeScore)
  // Rounded so that a success rate of exactly 95 % is an error rate of exactly 5 % (not 5.0000000000000044 %).
  const errorRate = h.successRate === null ? null : Math.round((1 - h.successRate) * 1e9) / 1e9
  const errors = band(errorRate, THRESHOLDS.errorRate)
  const weight = band(freshWeightShare(h, now), THRESHOLDS.weightShare)
  const breaker: HealthState = h.state === 'half-open' ? 'warning' : 'ok'
  const ws = judgeWebsocket(h.websocket)
  const worst = worstOf([score, errors, weight, breaker, ws])
  if (worst === 'ok') return { state: 'ok', advice: null }
  if (weight === worst) {
    return judged(
      worst,
      'Close to the exchange’s request limit: close charts or strategies on this exchange, or the exchange will block requests for a while.',
    )
  }
  if (ws === worst && score !== worst && errors !== worst && breaker !== worst) {
    return judged(
      worst,
      'The live stream from the exchange is silent or dropped: prices may be late. Candlework reconnects (or polls) by itself; if it stays like this, check that your network allows websockets.',
    )
  }
  return judged(
    worst,
    'The exchange is slow or failing some requests: check your connection, and be careful with market orders until it is green again.',
  )
}

/** The websocket: a dropped socket is amber; an open one judged by the age of its last message. */
export function judgeWebsocket(ws: ExchangeHealth['websocket']): HealthState {
  if (ws.state === 'disconnected') return 'warning'
  if (ws.state !== 'connected') return 'ok'
  return band(ws.lastMessageAgeMs, THRESHOLDS.wsMessageAgeMs)
}

/** For figures where higher is better (the score): ok at or above `ok`, warning at or above `warning`. */
function bandHigh(value: number, limits: { ok: number; warning: number }): HealthState {
  return value >= limits.ok ? 'ok' : value >= limits.warning ? 'warning' : 'critical'
}

export function worstOf(states: HealthState[]): HealthState {
  return states.includes('critical') ? 'critical' : states.includes('warning') ? 'warning' : 'ok'
}
