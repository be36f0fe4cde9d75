import type { Statement } from 'better-sqlite3'
import {
  signalProfileSchema,
  signalReasonSchema,
  type Signal,
  type SignalProfile,
} from '../../shared/domain/signals'
import type { Timeframe } from '../../shared/domain/timeframes'
import { z } from 'zod'
import type { Db } from '../storage/database'
import { perConnection } from '../storage/statements'
import { DIRECTIONS, reasonsJson, type SeedResult } from './seed'

/**
 * Signal history and saved profiles in SQLite. Functions take `db` first; statements are
 * prepared once per connection.
 */

interface Statements {
  insert: Statement
  history: Statement
  deleteProfile: Statement
  prune: Statement
  profiles: Statement
  upsertProfile: Statement
  clearActive: Statement
  setActive: Statement
}

const statements = perConnection((db): Statements => ({
  insert: db.prepare(`
      INSERT OR IGNORE INTO signal_history
        (profile, source, symbol, timeframe, time, score, raw, direction, confidence,
         trend, momentum, volatility, volume, reasons)
      VALUES (@profile, @source, @symbol, @timeframe, @time, @score, @raw, @direction, @confidence,
         @trend, @momentum, @volatility, @volume, @reasons)`),
  history: db.prepare(`
      SELECT * FROM signal_history
      WHERE profile = ? AND source = ? AND symbol = ? AND timeframe = ? AND time >= ? AND time <= ?
      ORDER BY time DESC LIMIT ?`),
  deleteProfile: db.prepare(`DELETE FROM signal_history WHERE profile = ?`),
  prune: db.prepare(
    `DELETE FROM signal_history WHERE profile = ? AND source = ? AND symbol = ? AND timeframe = ? AND time < ?`,
  ),
  profiles: db.prepare(`SELECT id, body, active FROM signal_profiles ORDER BY id`),
  upsertProfile: db.prepare(`
      INSERT INTO signal_profiles (id, body, active, updated_at) VALUES (?, ?, 0, ?)
      ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`),
  clearActive: db.prepare(`UPDATE signal_profiles SET active = 0 WHERE active = 1`),
  setActive: db.prepare(`UPDATE signal_profiles SET active = 1 WHERE id = ?`),
}))

interface HistoryRow {
  profile: string
  source: string
  symbol: string
  timeframe: Timeframe
  time: number
  score: number
  raw: number
  direction: Signal['direction']
  confidence: number
  trend: number | null
  momentum: number | null
  volatility: number | null
  volume: number | null
  reasons: string
}

/** Writes signals; a row already stored for the same bar is kept as it was. Returns rows added. */
export function saveSignals(db: Db, signals: readonly Signal[]): number {
  if (signals.length === 0) return 0
  const { insert } = statements(db)
  let added = 0
  db.transaction(() => {
    for (const s of signals) {
      const row: HistoryRow = {
        profile: s.profile,
        source: s.source,
        symbol: s.symbol,
        timeframe: s.timeframe,
        time: s.time,
        score: s.score,
        raw: s.raw,
        direction: s.direction,
        confidence: s.confidence,
        ...s.components,
        reasons: JSON.stringify(s.reasons),
      }
      added += insert.run(row).changes
    }
  })()
  return added
}

/**
 * Writes signals `from` (inclusive) to `to` (exclusive) of a seed's encoded signals (seed.ts),
 * the same rows `saveSignals` writes for the decoded ones, in one transaction. Returns rows added.
 */
export function saveEncodedSignals(
  db: Db,
  result: Pick<SeedResult, 'timeframes' | 'signals'>,
  key: { profile: string; source: string; symbol: string },
  from: number,
  to: number,
): number {
  if (to <= from) return 0
  const { insert } = statements(db)
  const e = result.signals
  const orNull = (x: number): number | null => (x === x ? x : null)
  let added = 0
  db.transaction(() => {
    for (let i = from; i < to; i++) {
      const row: HistoryRow = {
        profile: key.profile,
        source: key.source,
        symbol: key.symbol,
        timeframe: result.timeframes[e.timeframe[i]!]!,
        time: e.time[i]!,
        score: e.score[i]!,
        raw: e.raw[i]!,
        direction: DIRECTIONS[e.direction[i]!]!,
        confidence: e.confidence[i]!,
        trend: orNull(e.trend[i]!),
        momentum: orNull(e.momentum[i]!),
        volatility: orNull(e.volatility[i]!),
        volume: orNull(e.volume[i]!),
        reasons: reasonsJson(e, i),
      }
      added += insert.run(row).changes
    }
  })()
  return added
}

export interface HistoryQuery {
  profile: string
  source: string
  symbol: string
  timeframe: Timeframe
  from?: number
  to?: number
  limit: number
}

const reasonsSchema = z.array(signalReasonSchema)

/** The newest `limit` stored signals in [from, to], oldest first. */
export function readSignalHistory(db: Db, q: HistoryQuery): Signal[] {
  const rows = statements(db).history.all(
    q.profile,
    q.source,
    q.symbol,
    q.timeframe,
    q.from ?? Number.MIN_SAFE_INTEGER,
    q.to ?? Number.MAX_SAFE_INTEGER,
    q.limit,
  ) as HistoryRow[]
  return rows.reverse().map((r) => ({
    source: r.source,
    symbol: r.symbol,
    timeframe: r.timeframe,
    time: r.time,
    profile: r.profile,
    score: r.score,
    raw: r.raw,
    components: { trend: r.trend, momentum: r.momentum, volatility: r.volatility, volume: r.volume },
    direction: r.direction,
    confidence: r.confidence,
    reasons: reasonsSchema.parse(JSON.parse(r.reasons)),
  }))
}

/** Deletes a series' signals older than `before` (bar open time). */
export function pruneSignalHistory(
  db: Db,
  key: { profile: string; source: string; symbol: string; timeframe: Timeframe },
  before: number,
): number {
  return statements(db).prune.run(key.profile, key.source, key.symbol, key.timeframe, before).changes
}

export function deleteProfileHistory(db: Db, profile: string): number {
  return statements(db).deleteProfile.run(profile).changes
}

export interface StoredProfile {
  profile: SignalProfile
  active: boolean
}

/**
 * Saved profiles, by id. A stored body that no longer validates (written by another version)
 * is skipped rather than trusted.
 */
export function listProfiles(db: Db): StoredProfile[] {
  const rows = statements(db).profiles.all() as { id: string; body: string; active: number }[]
  const out: StoredProfile[] = []
  for (const r of rows) {
    let body: unknown
    try {
      body = JSON.parse(r.body)
    } catch {
      continue
    }
    const parsed = signalProfileSchema.safeParse(body)
    if (parsed.success && parsed.data.id === r.id) out.push({ profile: parsed.data, active: r.active === 1 })
  }
  return out
}

export function saveProfile(db: Db, profile: SignalProfile, now: number): void {
  statements(db).upsertProfile.run(profile.id, JSON.stringify(profile), now)
}

/** Makes `id` the active profile; null (or an id not stored) = the built-in default. */
export function setActiveProfile(db: Db, id: string | null): void {
  const s = statements(db)
  db.transaction(() => {
    s.clearActive.run()
    if (id !== null) s.setActive.run(id)
  })()
}
