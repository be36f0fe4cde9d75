import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SymbolBook } from '../../src/main/signals/book'
import {
  deleteProfileHistory,
  listProfiles,
  pruneSignalHistory,
  readSignalHistory,
  saveProfile,
  saveSignals,
  setActiveProfile,
} from '../../src/main/signals/store'
import { migrate } from '../../src/main/storage/migrate'
import { MIGRATIONS } from '../../src/main/storage/migrations'
import { DEFAULT_PROFILE, signalProfileSchema } from '../../src/shared/domain/signals'
import { useTempDirs } from '../support/temp-dir'
import { seriesOf, walk1m } from './support'

const tempDir = useTempDirs()

function migrated(): Database.Database {
  const db = new Database(join(tempDir(), 'signals.db'))
  migrate(db, MIGRATIONS)
  return db
}

const signals = () =>
  new SymbolBook('demo', 'BTC/USDT', DEFAULT_PROFILE).replay(seriesOf(walk1m(400, 21), ['1m', '5m']))

describe('signal history', () => {
  it('stores and reads back signals exactly, oldest first, newest `limit` in range', () => {
    const db = migrated()
    const s = signals()
    expect(saveSignals(db, s)).toBe(s.length)
    const oneMinute = s.filter((x) => x.timeframe === '1m')
    const q = { profile: 'default', source: 'demo', symbol: 'BTC/USDT', timeframe: '1m' as const }
    expect(readSignalHistory(db, { ...q, limit: 10_000 })).toEqual(oneMinute)
    expect(readSignalHistory(db, { ...q, limit: 3 })).toEqual(oneMinute.slice(-3))
    const mid = oneMinute[100]!.time
    expect(readSignalHistory(db, { ...q, from: mid, to: mid + 120_000, limit: 100 })).toEqual(
      oneMinute.slice(100, 103),
    )
    expect(readSignalHistory(db, { ...q, profile: 'other', limit: 10 })).toEqual([])
  })

  it('keeps the first row written for a bar', () => {
    const db = migrated()
    const s = signals()
    saveSignals(db, s)
    const first = s.find((x) => x.timeframe === '1m')!
    expect(saveSignals(db, [{ ...first, score: 1, direction: 'sell' }])).toBe(0)
    const q = {
      profile: 'default',
      source: 'demo',
      symbol: 'BTC/USDT',
      timeframe: '1m' as const,
      to: first.time,
      limit: 1,
    }
    expect(readSignalHistory(db, q)[0]).toEqual(first)
  })

  it('prunes old rows of one series, and a profile’s rows', () => {
    const db = migrated()
    const s = signals()
    saveSignals(db, s)
    const ones = s.filter((x) => x.timeframe === '1m')
    const key = { profile: 'default', source: 'demo', symbol: 'BTC/USDT', timeframe: '1m' as const }
    expect(pruneSignalHistory(db, key, ones[10]!.time)).toBe(10)
    expect(readSignalHistory(db, { ...key, limit: 10_000 })).toEqual(ones.slice(10))
    expect(readSignalHistory(db, { ...key, timeframe: '5m', limit: 10_000 }).length).toBeGreaterThan(0)
    expect(deleteProfileHistory(db, 'default')).toBe(s.length - 10)
  })
})

describe('profiles', () => {
  it('saves, lists and activates profiles; a body that no longer validates is skipped', () => {
    const db = migrated()
    const a = signalProfileSchema.parse({ id: 'a', name: 'A', weights: { volume: 0 } })
    const b = signalProfileSchema.parse({ id: 'b', name: 'B' })
    saveProfile(db, a, 1)
    saveProfile(db, b, 2)
    expect(listProfiles(db)).toEqual([
      { profile: a, active: false },
      { profile: b, active: false },
    ])
    setActiveProfile(db, 'b')
    expect(
      listProfiles(db)
        .filter((p) => p.active)
        .map((p) => p.profile.id),
    ).toEqual(['b'])
    setActiveProfile(db, 'a')
    expect(
      listProfiles(db)
        .filter((p) => p.active)
        .map((p) => p.profile.id),
    ).toEqual(['a'])
    setActiveProfile(db, null)
    expect(listProfiles(db).some((p) => p.active)).toBe(false)
    db.prepare(`INSERT INTO signal_profiles (id, body, updated_at) VALUES ('c', '{"id":"c"}', 3)`).run()
    db.prepare(`INSERT INTO signal_profiles (id, body, updated_at) VALUES ('d', 'not json', 3)`).run()
    expect(listProfiles(db).map((p) => p.profile.id)).toEqual(['a', 'b'])
  })
})
