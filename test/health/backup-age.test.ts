import { describe, expect, it } from 'vitest'
import { BACKUP_OK_MS, BACKUP_WARNING_MS, backupHealth } from '../../src/main/health/backup-age'

const NOW = Date.UTC(2026, 11, 7, 12)

describe('the Health item of the last verified backup', () => {
  it('is green up to 26 h, amber up to 72 h, red beyond, each edge exactly', () => {
    expect(backupHealth(NOW - BACKUP_OK_MS, NOW)).toMatchObject({
      state: 'ok',
      advice: null,
      ageMs: BACKUP_OK_MS,
    })
    expect(backupHealth(NOW - BACKUP_OK_MS - 1, NOW).state).toBe('warning')
    expect(backupHealth(NOW - BACKUP_WARNING_MS, NOW).state).toBe('warning')
    const old = backupHealth(NOW - BACKUP_WARNING_MS - 1, NOW)
    expect(old.state).toBe('critical')
    expect(old.advice).toMatch(/Back up now/)
    expect(BACKUP_OK_MS).toBe(26 * 3_600_000)
    expect(BACKUP_WARNING_MS).toBe(72 * 3_600_000)
  })

  it('is amber with what to do when there is no verified backup yet', () => {
    expect(backupHealth(null, NOW)).toMatchObject({
      state: 'warning',
      ageMs: null,
      advice: expect.stringMatching(/Back up now/),
    })
  })

  it('reads a backup verified a moment in the future (a clock step) as new', () => {
    expect(backupHealth(NOW + 5_000, NOW)).toMatchObject({ state: 'ok', ageMs: 0 })
  })
})
