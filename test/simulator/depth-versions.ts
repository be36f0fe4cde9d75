import type { Level } from './book'
import type { Units } from './decimal'
import type { MarketData } from './market-data'

/** Levels per side the diff depth stream keeps exact (ccxt.pro's default snapshot is 1000 deep). */
export const TRACKED_DEPTH = 1000
/** Versions kept for slow readers at most; a reader further behind sees a gap (and resyncs). */
const MAX_VERSIONS = 256

export interface DepthVersion {
  /** Binance's update id: GET /depth's lastUpdateId and a depthUpdate's `u`. */
  id: number
  time: number
  key: string
  bids: Level[]
  asks: Level[]
}

/** One depthUpdate: the levels that changed from update `U - 1` to `u` (quantity 0 = removed). */
export interface DepthDiff {
  U: number
  u: number
  time: number
  bids: Array<[Units, Units]>
  asks: Array<[Units, Units]>
}

export interface DepthReader {
  /** The update id this reader has delivered up to. */
  readonly at: number
  /** The diff from the last delivered version to the current one, or null when the book has not changed. */
  next(now: number): DepthDiff | null
  close(): void
}

/**
 * Numbered versions of one market's book for Binance's diff depth stream. While at least one
 * stream reads it, every change of the synthetic book (`MarketData.bookKey`) seen by a reader or
 * by GET /depth becomes a new version with a larger id, and GET /depth answers with a version's
 * levels and id. A reader's diff covers every version between its last one and the current, so
 * whichever of them a client took its snapshot at, snapshot + diff = the current book (Binance's
 * "how to manage a local order book" recipe, which ccxt.pro follows, holds exactly).
 * Without readers nothing is kept and GET /depth stays as cheap as before.
 */
export class DepthVersions {
  private versions: DepthVersion[] = []
  private lastId = 0
  private readonly readers = new Set<{ at: number }>()

  constructor(
    private readonly data: MarketData,
    private readonly symbol: string,
  ) {}

  get tracking(): boolean {
    return this.readers.size > 0
  }

  /** The current book as a version (a new one if it changed since the latest). */
  current(now: number): DepthVersion {
    const key = this.data.bookKey(this.symbol, now)
    const latest = this.versions.at(-1)
    if (latest && latest.key === key) return latest
    const { bids, asks } = this.data.book(this.symbol, now, TRACKED_DEPTH)
    const id = Math.max(this.lastId + 1, Math.floor(now / 100))
    const v: DepthVersion = { id, time: now, key, bids, asks }
    this.lastId = id
    this.versions.push(v)
    this.prune()
    return v
  }

  /** GET /depth's id for a book served without tracking (time-based, like before streams existed). */
  untrackedId(now: number): number {
    return Math.max(this.lastId, Math.floor(now / 100))
  }

  reader(now: number): DepthReader {
    const state = { at: this.current(now).id }
    this.readers.add(state)
    return {
      get at() {
        return state.at
      },
      next: (t) => {
        const v = this.current(t)
        if (v.id === state.at) return null
        const from = this.versions.filter((x) => x.id >= state.at && x.id < v.id)
        const d: DepthDiff = {
          U: state.at + 1,
          u: v.id,
          time: v.time,
          bids: changes(from, v, 'bids'),
          asks: changes(from, v, 'asks'),
        }
        state.at = v.id
        this.prune()
        return d
      },
      close: () => {
        this.readers.delete(state)
        if (this.readers.size === 0) this.versions = []
        else this.prune()
      },
    }
  }

  private prune(): void {
    let oldest = Infinity
    for (const r of this.readers) oldest = Math.min(oldest, r.at)
    const latest = this.versions.at(-1)
    this.versions = this.versions.filter((v) => v.id >= oldest || v === latest).slice(-MAX_VERSIONS)
  }
}

/**
 * Every price whose quantity in `to` differs from its quantity in any of `from` (absent = 0), with
 * its quantity in `to`. Bids best (highest) first, asks lowest first.
 */
function changes(
  from: readonly DepthVersion[],
  to: DepthVersion,
  side: 'bids' | 'asks',
): Array<[Units, Units]> {
  const final = new Map(to[side].map((l) => [l.price, l.qty]))
  const out = new Map<Units, Units>()
  for (const v of from) {
    const was = new Map(v[side].map((l) => [l.price, l.qty]))
    for (const [p, q] of was) if (final.get(p) !== q) out.set(p, final.get(p) ?? 0n)
    for (const [p, q] of final) if (was.get(p) !== q) out.set(p, q)
  }
  const rows = [...out.entries()]
  rows.sort((a, b) => (side === 'bids' ? (a[0] < b[0] ? 1 : -1) : a[0] < b[0] ? -1 : 1))
  return rows
}
