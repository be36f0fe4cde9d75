import { describe, expect, it } from 'vitest'
import {
  adxConfidence,
  adxStrength,
  bollingerTerm,
  componentAgreement,
  confirmByHigher,
  directionOf,
  macdTerm,
  mfiTerm,
  obvTerm,
  round,
  rsiTerm,
  stochTerm,
  timeframeAgreement,
  toScore,
  trendCrossTerm,
  trendDiTerm,
  trendPriceTerm,
  weightedMean,
} from '../../src/main/signals/mapping'

// Every expected value below is worked out by hand from the formula in the doc comment
// (and README.md); the comment on each line shows the arithmetic.

describe('trend terms', () => {
  it('close vs slow EMA counts fully at two ATRs', () => {
    expect(trendPriceTerm(110, 100, 4)).toBe(1) // 10/8 = 1.25, clamped
    expect(trendPriceTerm(103, 100, 4)).toBe(0.375) // 3/8
    expect(trendPriceTerm(96, 100, 4)).toBe(-0.5) // -4/8
    expect(trendPriceTerm(90, 100, 4)).toBe(-1) // -10/8 clamped
    expect(trendPriceTerm(103, 100, 0)).toBe(0) // no range: no reading
  })

  it('fast vs slow EMA counts fully at one ATR', () => {
    expect(trendCrossTerm(104, 100, 4)).toBe(1) // 4/4
    expect(trendCrossTerm(101, 100, 4)).toBe(0.25) // 1/4
    expect(trendCrossTerm(98, 100, 4)).toBe(-0.5) // -2/4
  })

  it('+DI vs -DI is their normalised difference', () => {
    expect(trendDiTerm(30, 10)).toBe(0.5) // 20/40
    expect(trendDiTerm(12, 36)).toBe(-0.5) // -24/48
    expect(trendDiTerm(0, 0)).toBe(0)
  })

  it('ADX scales the trend from a fifth (ADX <= 15) to all of it (ADX >= 35)', () => {
    expect(adxStrength(5)).toBe(0.2) // (5-10)/25 < 0.2
    expect(adxStrength(15)).toBe(0.2) // 5/25
    expect(adxStrength(20)).toBe(0.4) // 10/25
    expect(adxStrength(31)).toBeCloseTo(0.84, 12) // 21/25
    expect(adxStrength(40)).toBe(1) // 30/25 clamped
  })
})

describe('momentum terms', () => {
  it('RSI: linear between 30 and 70, fading to half strength by 90/10', () => {
    expect(rsiTerm(50)).toBe(0)
    expect(rsiTerm(60)).toBe(0.5) // 10/20
    expect(rsiTerm(70)).toBe(1) // 20/20
    expect(rsiTerm(78)).toBeCloseTo(0.8, 12) // 1 - 0.5 × 8/20
    expect(rsiTerm(90)).toBe(0.5) // 1 - 0.5 × 20/20
    expect(rsiTerm(100)).toBe(0.5) // fade capped at half
    expect(rsiTerm(40)).toBe(-0.5) // -10/20
    expect(rsiTerm(30)).toBe(-1)
    expect(rsiTerm(25)).toBeCloseTo(-0.875, 12) // -(1 - 0.5 × 5/20)
  })

  it('stochastic %K: linear between 20 and 80, same fade', () => {
    expect(stochTerm(65)).toBe(0.5) // 15/30
    expect(stochTerm(80)).toBe(1)
    expect(stochTerm(90)).toBe(0.75) // 1 - 0.5 × 10/20
    expect(stochTerm(100)).toBe(0.5)
    expect(stochTerm(20)).toBe(-1)
  })

  it('MACD histogram in units of scale × ATR', () => {
    expect(macdTerm(0.6, 4, 0.3)).toBeCloseTo(0.5, 12) // 0.6/1.2
    expect(macdTerm(-0.3, 4, 0.3)).toBeCloseTo(-0.25, 12) // -0.3/1.2
    expect(macdTerm(-2, 4, 0.3)).toBe(-1) // clamped
    expect(macdTerm(1, 0, 0.3)).toBe(0)
  })
})

describe('volatility term', () => {
  it('fades the Bollinger position, less as the bands expand', () => {
    expect(bollingerTerm(0.9, 1.25)).toBeCloseTo(-0.6, 12) // -(2 × 0.4) × (2 - 1.25)
    expect(bollingerTerm(0.1, 0.8)).toBeCloseTo(0.8, 12) // -(2 × -0.4) × 1 (ratio < 1: full)
    expect(bollingerTerm(1.2, 1)).toBe(-1) // above the band: position clamped to 1
    expect(bollingerTerm(-0.5, 1.5)).toBe(0.5) // position -1, damping 0.5
    expect(bollingerTerm(0.9, 2.5)).toBe(0) // bands 2.5× wider than usual: a breakout, no fade
    expect(bollingerTerm(0.5, 1)).toBe(0) // mid-band
  })
})

describe('volume terms', () => {
  it('MFI counts fully at 80 and 20', () => {
    expect(mfiTerm(80)).toBe(1)
    expect(mfiTerm(65)).toBe(0.5) // 15/30
    expect(mfiTerm(35)).toBe(-0.5)
    expect(mfiTerm(10)).toBe(-1)
  })

  it('net OBV is the share of volume that traded on up bars minus down bars', () => {
    expect(obvTerm(600, 1000)).toBe(0.6)
    expect(obvTerm(-1000, 1000)).toBe(-1) // every bar closed down
    expect(obvTerm(5, 0)).toBe(0) // nothing traded
  })
})

describe('combining', () => {
  it('weighted mean skips weightless entries (and their NaN)', () => {
    expect(weightedMean([0.5, -1, NaN], [1, 1, 0])).toBe(-0.25) // (0.5 - 1)/2
    expect(weightedMean([0.7, 0.65, -0.6, 0.4], [0.4, 0.3, 0.1, 0.2])).toBeCloseTo(0.495, 12)
    expect(weightedMean([1], [0])).toBeNaN()
  })

  it('higher timeframes confirm (up to ×1.5) or damp (down to ×0.5) but never flip', () => {
    expect(confirmByHigher(0.4, 0.6, 0.5)).toBeCloseTo(0.52, 12) // 0.4 × (1 + 0.3)
    expect(confirmByHigher(0.4, -0.6, 0.5)).toBeCloseTo(0.28, 12) // 0.4 × (1 - 0.3)
    expect(confirmByHigher(-0.4, -0.6, 0.5)).toBeCloseTo(-0.52, 12) // agreeing on down
    expect(confirmByHigher(-0.4, 1, 1)).toBe(-0) // fully opposed at strength 1: neutral, not flipped
    expect(confirmByHigher(0, 1, 0.5)).toBe(0)
    expect(confirmByHigher(0.8, 1, 0.5)).toBe(1) // 1.2 clamped
  })

  it('scores and directions', () => {
    expect(toScore(0.7)).toBe(85)
    expect(toScore(-1)).toBe(0)
    expect(directionOf(60, 60, 40)).toBe('buy')
    expect(directionOf(59.9, 60, 40)).toBe('neutral')
    expect(directionOf(40, 60, 40)).toBe('sell')
    expect(round(82.175, 1)).toBe(82.2)
    expect(round(-2.25, 1)).toBe(-2.3)
  })

  it('confidence parts', () => {
    // |0.28 + 0.15 - 0.05 + 0| / (0.28 + 0.15 + 0.05 + 0) with weights 0.4/0.3/0.1/0.2
    expect(componentAgreement([0.7, 0.5, -0.5, 0], [0.4, 0.3, 0.1, 0.2])).toBeCloseTo(0.38 / 0.48, 12)
    expect(componentAgreement([0.5, 0.5], [1, 1])).toBe(1)
    expect(componentAgreement([0.5, -0.5], [1, 1])).toBe(0)
    expect(componentAgreement([0, 0], [1, 1])).toBe(0)
    expect(timeframeAgreement(0.4, 0.6)).toBe(0.8) // (1 + 0.6)/2
    expect(timeframeAgreement(0.4, -0.6)).toBeCloseTo(0.2, 12)
    expect(timeframeAgreement(0, 0.6)).toBe(0.5)
    expect(adxConfidence(31)).toBe(0.64) // 16/25
    expect(adxConfidence(10)).toBe(0)
    expect(adxConfidence(50)).toBe(1)
  })
})
