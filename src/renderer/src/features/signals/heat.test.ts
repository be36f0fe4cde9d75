import { describe, expect, it } from 'vitest'
import { formatConfidence, formatScore, heatColour } from './heat'

describe('heat strip colours', () => {
  it('is the neutral grey at 50 and 85% of the way to red/green at 0/100', () => {
    expect(heatColour(50)).toBe('rgb(42, 52, 65)')
    // 42 + (38 - 42) × 0.85 = 38.6 → 39; 52 + (166 - 52) × 0.85 = 148.9 → 149; 65 + (154 - 65) × 0.85 = 140.65 → 141
    expect(heatColour(100)).toBe('rgb(39, 149, 141)')
    // 42 + (239 - 42) × 0.85 = 209.45 → 209; 52 + 31 × 0.85 = 78.35 → 78; 65 + 15 × 0.85 = 77.75 → 78
    expect(heatColour(0)).toBe('rgb(209, 78, 78)')
  })

  it('tints 60 and 40 visibly (square-root ease), symmetric in strength', () => {
    // t = 0.85 × sqrt(0.2) = 0.3801: 52 + 114 × 0.3801 = 95.3 → 95
    expect(heatColour(60)).toBe('rgb(40, 95, 99)')
    expect(heatColour(40)).toBe('rgb(117, 64, 71)')
    expect(heatColour(140)).toBe(heatColour(100))
    expect(heatColour(-5)).toBe(heatColour(0))
  })

  it('formats scores and confidence', () => {
    expect(formatScore(71.5)).toBe('72')
    expect(formatScore(0)).toBe('0')
    expect(formatConfidence(0.762)).toBe('76%')
  })
})
