import type { Retention } from '../../shared/contract/backup'

export const DEFAULT_RETENTION: Retention = { daily: 7, weekly: 4, monthly: 12 }

export interface Kept {
  path: string
  createdAt: number
  verified: boolean
}

/**
 * Which backups to delete (restic's `forget --keep-daily/weekly/monthly` rule, in UTC): for each
 * of the last `daily` days that have a backup, the newest of that day is kept; likewise the
 * newest of each of the last `weekly` ISO weeks and `monthly` months. A backup kept by any rule
 * stays. The newest verified backup always stays, whatever the rules say, and so does every
 * backup newer than it (an unverified newer one is no reason to lose the proven one).
 */
export function toDelete(backups: readonly Kept[], policy: Retention): string[] {
  const newestFirst = [...backups].sort((a, b) => b.createdAt - a.createdAt || (a.path < b.path ? 1 : -1))
  const keep = new Set<string>()
  const rule = (n: number, bucket: (t: number) => string): void => {
    const seen = new Set<string>()
    for (const b of newestFirst) {
      if (seen.size >= n) break
      const key = bucket(b.createdAt)
      if (seen.has(key)) continue
      seen.add(key)
      keep.add(b.path)
    }
  }
  rule(policy.daily, day)
  rule(policy.weekly, isoWeek)
  rule(policy.monthly, (t) => new Date(t).toISOString().slice(0, 7))
  for (const b of newestFirst) {
    keep.add(b.path)
    if (b.verified) break
  }
  return newestFirst.filter((b) => !keep.has(b.path)).map((b) => b.path)
}

const day = (t: number): string => new Date(t).toISOString().slice(0, 10)

/** ISO 8601 week (Monday first; week 1 holds the year's first Thursday), as `2026-W49`. */
export function isoWeek(t: number): string {
  const d = new Date(t)
  const date = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))
  const dow = date.getUTCDay() || 7
  date.setUTCDate(date.getUTCDate() + 4 - dow)
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1)
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7)
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`
}
