import { describe, expect, it } from 'vitest'
import { DEFAULT_RETENTION, isoWeek, toDelete, type Kept } from '../../src/main/backup/retention'

const DAY = 86_400_000
const START = Date.UTC(2026, 0, 1, 2, 30)
const iso = (t: number) => new Date(t).toISOString().slice(0, 10)

/** A year of daily backups (02:30 UTC), retention applied after each one as the service does. */
function simulateYear(failedDays: Set<number> = new Set()): Kept[] {
  let kept: Kept[] = []
  for (let d = 0; d < 365; d++) {
    const t = START + d * DAY
    kept.push({ path: `/b/${iso(t)}.cwbak`, createdAt: t, verified: !failedDays.has(d) })
    const gone = new Set(toDelete(kept, DEFAULT_RETENTION))
    kept = kept.filter((k) => !gone.has(k.path))
  }
  return kept
}

describe('retention', () => {
  it('keeps 7 daily, 4 weekly and 12 monthly backups over a simulated year', () => {
    const kept = simulateYear()
    const end = START + 364 * DAY // 2026-12-31
    const days = kept.map((k) => iso(k.createdAt)).sort()
    // The last 7 days.
    for (let d = 0; d < 7; d++) expect(days).toContain(iso(end - d * DAY))
    // The newest of each of the last 4 ISO weeks, and of each of the 12 months.
    const weeks = new Set(kept.map((k) => isoWeek(k.createdAt)))
    expect(weeks.size).toBeGreaterThanOrEqual(4)
    for (let m = 0; m < 12; m++) {
      const lastOfMonth = new Date(Date.UTC(2026, m + 1, 0, 2, 30)).getTime()
      expect(days, `month ${m + 1}`).toContain(iso(lastOfMonth))
    }
    // Nothing else: the last 7 days, the Sundays ending the 3 ISO weeks before this one (W53 began
    // Monday 28 December), the month-ends.
    expect(days).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
      '2026-06-30',
      '2026-07-31',
      '2026-08-31',
      '2026-09-30',
      '2026-10-31',
      '2026-11-30',
      '2026-12-13',
      '2026-12-20',
      '2026-12-25',
      '2026-12-26',
      '2026-12-27',
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
    ])
  })

  it('never deletes the last verified backup, however many unverified ones follow it', () => {
    // Verification failed on every day after 1 March: those backups are only ever unverified ones.
    const failed = new Set(Array.from({ length: 365 }, (_, d) => d).filter((d) => d > 58))
    const kept = simulateYear(failed)
    const lastGood = kept.filter((k) => k.verified)
    expect(lastGood.map((k) => iso(k.createdAt))).toContain('2026-02-28')
  })

  it('with everything at zero keeps only the newest verified backup', () => {
    const list: Kept[] = [
      { path: 'a', createdAt: 3, verified: false },
      { path: 'b', createdAt: 2, verified: true },
      { path: 'c', createdAt: 1, verified: true },
    ]
    expect(toDelete(list, { daily: 0, weekly: 0, monthly: 0 })).toEqual(['c'])
  })

  it('names ISO weeks across the year boundary', () => {
    expect(isoWeek(Date.UTC(2026, 0, 1))).toBe('2026-W01')
    expect(isoWeek(Date.UTC(2027, 0, 1))).toBe('2026-W53')
    expect(isoWeek(Date.UTC(2024, 11, 30))).toBe('2025-W01')
  })
})
