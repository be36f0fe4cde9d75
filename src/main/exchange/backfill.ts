import type { AppErrorShape } from '../../shared/contract/errors'
import type { Candle, Gap } from '../../shared/domain/candles'
import { bucketStart, nextBucket, type Timeframe } from '../../shared/domain/timeframes'
import { backoffDelay, type BackoffPolicy } from '../../shared/net/backoff'
import { readCandleRange, seriesBounds, upsertCandles, type SeriesKey } from '../storage/candle-store'
import type { Db } from '../storage/database'
import { classifyExchangeError } from './errors'
import { addFetchedRange, readFetchedRanges, type BarRange } from './schema'

/** One page of bars from an exchange: `[time, open, high, low, close, volume]` rows (ccxt's OHLCV). */
export type OhlcvRow = readonly (number | undefined)[]

export interface OhlcvPager {
  /** Up to `limit` bars opening at or after `since`, oldest first. */
  fetch(since: number, limit: number): Promise<readonly OhlcvRow[]>
  /** The most bars a page may hold. */
  pageLimit: number
}

export interface BackfillRequest {
  /** Bars opening at or after this... */
  from: number
  /** ...and at or before this (default: now). Only closed bars are fetched. */
  to?: number | undefined
  /** Pages to ask for at most in this call; the rest is left for the next one. */
  maxRequests: number
  /** Retries of one page after an outage (5xx, timeout, 429 with a short Retry-After). */
  retries?: number
}

export interface BackfillOutcome {
  requests: number
  stored: number
  historyStart: number | null
  gaps: Gap[]
  remaining: { from: number; to: number }[]
  complete: boolean
  stoppedBy: AppErrorShape | null
}

export interface BackfillDeps {
  now: number
  sleep?: (ms: number) => Promise<void>
  /** Longest wait before a retry; a longer Retry-After stops the backfill instead. */
  maxRetryWaitMs?: number
}

/**
 * A page's retries wait 0.5 s, 1 s, 2 s ... (uncapped: `retries` and `maxRetryWaitMs` bound
 * them), or the Retry-After if longer, like every other backoff in the app.
 */
const PAGE_RETRY: BackoffPolicy = { baseMs: 500, maxMs: Infinity }

/** The open time of the last bar that has closed by `t`. */
export function lastClosedOpen(t: number, tf: Timeframe): number {
  const open = bucketStart(t, tf)
  return nextBucket(open, tf) <= t ? open : bucketStart(open - 1, tf)
}

/** Bars opening in `[first, last]`. */
function barsIn(first: number, last: number, tf: Timeframe): number {
  if (last < first) return 0
  if (tf !== '1M') return Math.floor((last - first) / (nextBucket(first, tf) - first)) + 1
  let n = 0
  for (let t = first; t <= last; t = nextBucket(t, tf)) n++
  return n
}

/** `[start, end]` minus the covered ranges (sorted, disjoint). */
export function uncovered(
  start: number,
  end: number,
  covered: readonly BarRange[],
  tf: Timeframe,
): BarRange[] {
  const out: BarRange[] = []
  let cursor = start
  for (const r of covered) {
    if (r.last < cursor) continue
    if (r.first > end) break
    if (r.first > cursor) out.push({ first: cursor, last: Math.min(end, bucketStart(r.first - 1, tf)) })
    cursor = nextBucket(r.last, tf)
    if (cursor > end) break
  }
  if (cursor <= end) out.push({ first: cursor, last: end })
  return out.filter((r) => r.first <= r.last)
}

function toCandle(row: OhlcvRow): Candle | null {
  const [time, open, high, low, close, volume] = row
  if ([time, open, high, low, close].some((v) => typeof v !== 'number' || !Number.isFinite(v))) return null
  return {
    time: time!,
    open: open!,
    high: high!,
    low: low!,
    close: close!,
    volume: Number.isFinite(volume) ? volume! : 0,
  }
}

/**
 * Fills the candle store from an exchange, resumably:
 *
 * 1. The range is the closed bars opening in `[from, to]` (`to` defaults to now).
 * 2. Ranges fetched before (`exchange_fetched_ranges`, empty stretches included) are skipped; only
 *    what lies outside them is asked for, oldest first, `pageLimit` bars a page, each page asking
 *    for no more bars than the hole has.
 * 3. Each page's bars and the range it proved (from the requested start to its last bar, or to the
 *    end of the hole when the exchange has nothing more) are written in one transaction, so an
 *    interrupted run loses nothing and the next continues from the last stored bar.
 * 4. An outage is retried (`retries`, waiting an exponential backoff, or the Retry-After if longer); when it
 *    persists, or the budget of `maxRequests` runs out, the call stops and says what is left.
 *
 * Gaps are bars missing inside the exchange's history (after its first bar) in fetched ranges;
 * they are reported, never filled. The stretch before the first bar is `historyStart`, not a gap.
 */
export async function backfillCandles(
  db: Db,
  key: SeriesKey,
  pager: OhlcvPager,
  req: BackfillRequest,
  deps: BackfillDeps,
): Promise<BackfillOutcome> {
  const tf = key.timeframe
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const maxWait = deps.maxRetryWaitMs ?? 5_000
  const retries = req.retries ?? 2
  const aligned = bucketStart(req.from, tf)
  const start = aligned < req.from ? nextBucket(aligned, tf) : aligned
  const end = Math.min(bucketStart(req.to ?? deps.now, tf), lastClosedOpen(deps.now, tf))
  const next = (t: number) => nextBucket(t, tf)
  let requests = 0
  let stored = 0
  let stoppedBy: AppErrorShape | null = null

  const holes = start <= end ? uncovered(start, end, readFetchedRanges(db, key), tf) : []
  outer: for (const hole of holes) {
    let cursor = hole.first
    while (cursor <= hole.last) {
      if (requests >= req.maxRequests) break outer
      const limit = Math.min(pager.pageLimit, barsIn(cursor, hole.last, tf))
      let page: readonly OhlcvRow[] | undefined
      for (let attempt = 0; ; attempt++) {
        requests++
        try {
          page = await pager.fetch(cursor, limit)
          break
        } catch (err) {
          const c = classifyExchangeError(err, { operation: 'fetchOHLCV', mutating: false })
          const waitMs = backoffDelay(attempt + 1, PAGE_RETRY, {
            retryAfterMs: (c.error.retryAfter ?? 0) * 1000,
          })
          if (!c.outage || attempt >= retries || waitMs > maxWait || requests >= req.maxRequests) {
            stoppedBy = c.error.toShape()
            break outer
          }
          await sleep(waitMs)
        }
      }
      const rows = page ?? []
      const candles = rows
        .map(toCandle)
        .filter(
          (c): c is Candle =>
            c !== null && c.time >= cursor && c.time <= hole.last && bucketStart(c.time, tf) === c.time,
        )
        .sort((a, b) => a.time - b.time)
      const lastRaw = rows.reduce((m, r) => (typeof r[0] === 'number' && r[0] > m ? r[0] : m), -Infinity)
      // A page that reaches the end of the hole, or an empty one, proves the whole hole. A short
      // page does not (exchanges cap pages below what was asked, or skip missing bars): the next
      // request continues after its last bar.
      const exhausted = rows.length === 0 || lastRaw >= hole.last
      const provedTo = exhausted ? hole.last : Math.max(cursor, bucketStart(lastRaw, tf))
      db.transaction(() => {
        if (candles.length > 0) stored += upsertCandles(db, key, candles)
        addFetchedRange(db, key, { first: cursor, last: provedTo }, next, deps.now)
      })()
      cursor = next(provedTo)
    }
  }

  const covered = start <= end ? readFetchedRanges(db, key) : []
  const remaining =
    start <= end ? uncovered(start, end, covered, tf).map((r) => ({ from: r.first, to: r.last })) : []
  const { gaps, historyStart } =
    start <= end ? findGaps(db, key, start, end, covered) : { gaps: [], historyStart: null }
  return { requests, stored, historyStart, gaps, remaining, complete: remaining.length === 0, stoppedBy }
}

/**
 * Missing bars inside fetched ranges of `[start, end]`, after the first stored bar of the series;
 * and that first bar as `historyStart` when the range begins before it and that stretch was fetched
 * (the exchange has nothing earlier).
 */
function findGaps(
  db: Db,
  key: SeriesKey,
  start: number,
  end: number,
  covered: readonly BarRange[],
): { gaps: Gap[]; historyStart: number | null } {
  const tf = key.timeframe
  const bars = readCandleRange(db, key, start, end)
  const first = bars[0]?.time
  if (first === undefined) return { gaps: [], historyStart: null }
  const isCovered = (t: number) => covered.some((r) => r.first <= t && t <= r.last)
  const earliest = seriesBounds(db, key).first
  const before = earliest !== null && earliest < start
  const historyStart = first > start && !before && isCovered(start) ? first : null
  const have = new Set(bars.map((b) => b.time))
  const gaps: Gap[] = []
  let run: Gap | null = null
  for (let t = historyStart !== null || !before ? first : start; t <= end; t = nextBucket(t, tf)) {
    const missing = !have.has(t) && isCovered(t)
    if (missing) {
      if (run) {
        run.to = t
        run.missing++
      } else run = { from: t, to: t, missing: 1 }
    } else if (run) {
      gaps.push(run)
      run = null
    }
  }
  if (run) gaps.push(run)
  return { gaps, historyStart }
}
