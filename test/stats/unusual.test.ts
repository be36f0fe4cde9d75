import { describe, expect, it } from 'vitest'
import { MAD_SCALE, median, robustStats, robustZ } from '../../src/shared/stats/robust'
import { barFlags, historyOf, MIN_HISTORY, pctText, tradeReturnFlag } from '../../src/shared/stats/unusual'

/** Every expected figure below is worked out by hand in the comment beside it. */
describe('robust statistics', () => {
  it('median and scaled MAD of an odd count, an outlier barely moving them', () => {
    // sorted 1 2 3 4 100: median 3; |x - 3| = 2 1 0 1 97 -> sorted 0 1 1 2 97, median 1.
    expect(robustStats([4, 100, 1, 3, 2])).toEqual({ n: 5, median: 3, mad: 1.4826 })
    // (100 - 3) / 1.4826 = 65.426...
    expect(robustZ(100, robustStats([1, 2, 3, 4, 100])!)).toBeCloseTo(65.4256, 4)
  })

  it('an even count takes the mean of the two middle values, NaN and infinities left out', () => {
    // 1 2 3 4: median 2.5; |x - 2.5| = 1.5 0.5 0.5 1.5 -> median (0.5 + 1.5) / 2 = 1.
    expect(robustStats([1, 2, NaN, 3, Infinity, 4])).toEqual({ n: 4, median: 2.5, mad: MAD_SCALE })
    expect(median([])).toBeNaN()
    expect(robustStats([])).toBeNull()
  })

  it('no z-score when more than half the history is one value (zero spread)', () => {
    // median 5, deviations 0 0 0 1 5 -> median 0.
    expect(robustZ(50, robustStats([5, 5, 5, 4, 10])!)).toBeNull()
  })
})

describe('unusual trades', () => {
  // 10 × -1, 10 × +1 and one 0: median 0; deviations twenty 1s and one 0 -> median 1, MAD 1.4826.
  const returns = [...Array<number>(10).fill(-1), ...Array<number>(10).fill(1), 0]

  it('a return far below the median is flagged with its reason in words', () => {
    const flag = tradeReturnFlag(-8.2, historyOf(returns))
    // -8.2 / 1.4826 = -5.5308
    expect(flag?.z).toBeCloseTo(-5.5308, 4)
    expect(flag?.reason).toBe(
      "Return −8.2 % is 5.5 robust σ below this symbol's median trade (0.0 %, 21 trades)",
    )
  })

  it('the threshold is |z| >= 3.5: 3.5 × 1.4826 = 5.1891', () => {
    const h = historyOf(returns)
    expect(tradeReturnFlag(5.19, h)?.reason).toBe(
      "Return +5.2 % is 3.5 robust σ above this symbol's median trade (0.0 %, 21 trades)",
    )
    expect(tradeReturnFlag(5.18, h)).toBeNull()
    expect(tradeReturnFlag(-5.18, h)).toBeNull()
  })

  it('nothing is flagged on a history shorter than the minimum, or for an open trade', () => {
    expect(historyOf(returns.slice(0, MIN_HISTORY - 1))).toBeNull()
    expect(tradeReturnFlag(-50, historyOf(returns.slice(0, MIN_HISTORY - 1)))).toBeNull()
    expect(tradeReturnFlag(null, historyOf(returns))).toBeNull()
  })

  it('percentages keep a true minus sign and no sign on zero', () => {
    expect(pctText(-8.24)).toBe('−8.2 %')
    expect(pctText(0.3)).toBe('+0.3 %')
    expect(pctText(-1e-15)).toBe('0.0 %')
    expect(pctText(250)).toBe('+250 %')
  })
})

describe('unusual bars', () => {
  /** Closes with the given returns (%) from 100, and their volumes. */
  function series(returns: number[], volumes: number[]) {
    const close = [100]
    for (const r of returns) close.push(close.at(-1)! * (1 + r / 100))
    return { close, volume: [100, ...volumes] }
  }
  // History: returns +1, 0, -1 seven times each (median 0, deviations fourteen 1s and seven 0s
  // -> median 1, MAD 1.4826); volumes 100 ×10, 120 ×10, 110 (median 110, deviations 10 ×20 and
  // 0 -> median 10, MAD 14.826).
  const histReturns = Array.from({ length: 21 }, (_, i) => [1, 0, -1][i % 3]!)
  const histVolumes = [...Array<number>(10).fill(100), ...Array<number>(10).fill(120), 110]

  it('a +10 % bar on 200 volume is unusual in both, each said in words', () => {
    const flags = barFlags(series([...histReturns, 10], [...histVolumes, 200]), '1h bar')
    // 10 / 1.4826 = 6.7449; (200 - 110) / 14.826 = 6.0704
    expect(flags.map((f) => f.measure)).toEqual(['bar-return', 'bar-volume'])
    expect(flags[0]!.z).toBeCloseTo(6.7449, 3)
    expect(flags[0]!.reason).toBe(
      "Move +10.0 % is 6.7 robust σ above this symbol's median 1h bar (0.0 %, 21 bars)",
    )
    expect(flags[1]!.z).toBeCloseTo(6.0704, 4)
    expect(flags[1]!.reason).toBe(
      "Volume 200 is 6.1 robust σ above this symbol's median 1h bar (110, 21 bars)",
    )
  })

  it('an ordinary bar is not flagged, and the judged bar is not part of its own history', () => {
    expect(barFlags(series([...histReturns, 1], [...histVolumes, 120]), '1h bar')).toEqual([])
    // Only 19 bars before the judged one: too short a history.
    expect(
      barFlags(series([...histReturns.slice(0, 19), 10], [...histVolumes.slice(0, 19), 500]), '1h bar'),
    ).toEqual([])
  })

  it('a lookback keeps only the most recent bars as the history', () => {
    // 30 old bars of huge swings, then the 21 calm ones: with lookback 21 only the calm ones count.
    const old = Array.from({ length: 30 }, (_, i) => (i % 2 ? 20 : -20))
    const s = series([...old, ...histReturns, 10], [...Array<number>(30).fill(1000), ...histVolumes, 200])
    expect(barFlags(s, '1h bar', 21).map((f) => f.measure)).toEqual(['bar-return', 'bar-volume'])
    expect(barFlags(s, '1h bar', 500).map((f) => f.measure)).toEqual([])
  })
})
