import { healthSampleSchema, type HealthSample } from '../../shared/contract/health'
import type { Db } from '../storage/db'

const MINUTE = 60_000
/** A week of minutes: the ring's slots, reused in turn. */
export const RING_SLOTS = 7 * 24 * 60

export const ringSampleSchema = healthSampleSchema
export type RingSample = HealthSample

const figuresSchema = ringSampleSchema.omit({ at: true })

/**
 * The health figures over time in SQLite (migration 0020): one sample a minute, in `slots` rows
 * keyed by the sample's minute modulo `slots`, so a new sample overwrites the one a week older
 * and the table stays the same size.
 */
export class HealthRing {
  constructor(
    private readonly db: Db,
    private readonly slots = RING_SLOTS,
  ) {}

  write(sample: RingSample): void {
    const { at, ...figures } = sample
    const slot = Math.floor(at / MINUTE) % this.slots
    this.db
      .prepare('INSERT OR REPLACE INTO health_samples (slot, at, figures) VALUES (?, ?, ?)')
      .run(slot, at, JSON.stringify(figures))
  }

  /** The samples newer than `since`, oldest first; a row that no longer parses is skipped. */
  since(since: number): RingSample[] {
    const rows = this.db
      .prepare('SELECT at, figures FROM health_samples WHERE at > ? ORDER BY at')
      .all(since) as { at: number; figures: string }[]
    const out: RingSample[] = []
    for (const r of rows) {
      const parsed = figuresSchema.safeParse(safeJson(r.figures))
      if (parsed.success) out.push({ at: r.at, ...parsed.data })
    }
    return out
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM health_samples').get() as { n: number }).n
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
