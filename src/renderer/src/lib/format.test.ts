import { describe, expect, it } from 'vitest'
import {
  formatBytes,
  formatDuration,
  formatPercent,
  formatPrice,
  formatVolume,
  setDecimalSeparator,
} from './format'

describe('formatBytes', () => {
  it('shows bytes below a kilobyte and one decimal above, in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(4_096)).toBe('4.1 KB')
    expect(formatBytes(12_400_000)).toBe('12.4 MB')
    expect(formatBytes(1_100_000)).toBe('1.1 MB')
    expect(formatBytes(3_210_000_000)).toBe('3.2 GB')
  })

  it('carries a rounding into the next unit', () => {
    expect(formatBytes(999_960)).toBe('1.0 MB')
    expect(formatBytes(999_940)).toBe('999.9 KB')
  })

  it('shows a dash for what is not a size', () => {
    expect(formatBytes(null)).toBe('—')
    expect(formatBytes(-1)).toBe('—')
    expect(formatBytes(Number.NaN)).toBe('—')
  })
})

describe('formatDuration', () => {
  const MIN = 60_000
  const H = 60 * MIN
  it('gives the two largest units, rounded down', () => {
    expect(formatDuration(0)).toBe('0 s')
    expect(formatDuration(42_900)).toBe('42 s')
    expect(formatDuration(5 * MIN + 59_000)).toBe('5 min')
    expect(formatDuration(2 * H + 13 * MIN + 30_000)).toBe('2 h 13 min')
    expect(formatDuration(3 * H)).toBe('3 h')
    expect(formatDuration(76 * H + 10 * MIN)).toBe('3 d 4 h')
    expect(formatDuration(48 * H)).toBe('2 d')
  })

  it('shows a dash for what is not a duration', () => {
    expect(formatDuration(undefined)).toBe('—')
    expect(formatDuration(-5)).toBe('—')
  })
})

describe('the decimal separator', () => {
  it('swaps the separators of prices, volumes and percentages for a decimal comma, and back', () => {
    setDecimalSeparator('comma')
    try {
      expect(formatPrice(1234567.891, 2)).toBe('1.234.567,89')
      expect(formatPrice('76727.5', 1)).toBe('76.727,5')
      expect(formatPercent(1.5)).toBe('+1,50%')
      expect(formatVolume(1234.5)).toBe('1.234,5')
    } finally {
      setDecimalSeparator('point')
    }
    expect(formatPrice(1234567.891, 2)).toBe('1,234,567.89')
  })
})
