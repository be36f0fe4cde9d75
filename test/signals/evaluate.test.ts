import { describe, expect, it } from 'vitest'
import { evaluate, higherBias } from '../../src/main/signals/evaluate'
import type { Readings } from '../../src/main/signals/state'
import { DEFAULT_PROFILE, signalProfileSchema } from '../../src/shared/domain/signals'

/**
 * The worked example of README.md ("A worked example"), built by hand: a 4h bar with the
 * close 2.5 ATRs above EMA50, RSI 78, the upper third of the Bollinger bands, MFI 65.
 */
function example(over: Partial<Readings> = {}): Readings {
  const terms = {
    price: 1, // (110 - 100)/(2 × 4) = 1.25 → 1
    cross: 1, // (104 - 100)/4
    di: 0.5, // (30 - 10)/40
    rsi: 0.8, // RSI 78
    macd: 0.5, // 0.6/(0.3 × 4)
    stoch: NaN,
    bollinger: -0.6, // -(2 × 0.4) × (2 - 1.25)
    mfi: 0.5, // (65 - 50)/30
    obv: 0.3,
  }
  const devs = {
    trend: ((1 + 1 + 0.5) / 3) * 0.84, // 0.7: bias 0.8333 × ADX 31 strength 0.84
    momentum: 0.65, // (0.8 + 0.5)/2
    volatility: -0.6,
    volume: 0.4, // (0.5 + 0.3)/2
  }
  return {
    time: Date.UTC(2025, 0, 6, 8),
    open: 108,
    close: 110,
    atr: 4,
    emaFast: 104,
    emaSlow: 100,
    adx: 31,
    plusDI: 30,
    minusDI: 10,
    rsi: 78,
    macdHistogram: 0.6,
    prevMacdHistogram: 0.5,
    stochK: NaN,
    percentB: 0.9,
    widthRatio: 1.25,
    mfi: 65,
    obvFlow: 0.3,
    relVolume: 1.1,
    terms,
    devs,
    // 0.4 × 0.7 + 0.3 × 0.65 + 0.1 × -0.6 + 0.2 × 0.4 = 0.495
    raw: 0.4 * devs.trend + 0.3 * 0.65 + 0.1 * -0.6 + 0.2 * 0.4,
    ...over,
  }
}

const key = { source: 'demo', symbol: 'BTC/USDT', timeframe: '4h' as const, profile: DEFAULT_PROFILE }

describe('evaluate', () => {
  it('scores the worked example as in the README', () => {
    const s = evaluate(key, example(), [{ timeframe: '1d', dev: 0.6 }])
    expect(s.components).toEqual({ trend: 85, momentum: 82.5, volatility: 20, volume: 70 })
    expect(s.raw).toBe(74.8) // 50 + 50 × 0.495 = 74.75 → 74.8
    // H = 0.6 (1d alone); 0.495 × (1 + 0.5 × 0.6) = 0.6435 → 82.175 → 82.2
    expect(s.score).toBe(82.2)
    expect(s.direction).toBe('buy')
    // components |0.495| / 0.615 = 0.80488, timeframes (1 + 0.6)/2 = 0.8, ADX (31 - 15)/25 = 0.64
    // (0.4 × 0.80488 + 0.35 × 0.8 + 0.25 × 0.64) / 1 = 0.76195
    expect(s.confidence).toBe(0.762)
    expect(s.time).toBe(Date.UTC(2025, 0, 6, 8))
    expect(s.profile).toBe('default')
  })

  it('explains itself in words', () => {
    const s = evaluate(key, example(), [{ timeframe: '1d', dev: 0.6 }])
    const texts = s.reasons.map((r) => r.text)
    // Ranked: trend 0.4 × 0.7 = 0.28, RSI 0.3 × 0.9 = 0.27, 1d 0.495 × 0.5 × 0.6 = 0.1485,
    // MACD 0.3 × 0.5 × 0.8 = 0.12, OBV 0.2 × 0.3 = 0.06.
    expect(texts).toEqual([
      '4h trend up: close above EMA50, EMA20 above EMA50, ADX 31',
      '4h RSI 78: overbought',
      '4h confirmed by 1d (leaning up)',
      '4h MACD above its signal line',
      '4h OBV rising: net up-volume 30% over 20 bars',
    ])
    expect(s.reasons.find((r) => r.text === '4h RSI 78: overbought')?.tone).toBe('bear')
    expect(s.reasons[0]?.tone).toBe('bull')
    expect(s.reasons.length).toBeLessThanOrEqual(6)
  })

  it('is damped by opposing higher timeframes, and says so', () => {
    const s = evaluate(key, example(), [{ timeframe: '1d', dev: -0.6 }])
    // 0.495 × (1 - 0.3) = 0.3465 → 67.325 → 67.3
    expect(s.score).toBe(67.3)
    expect(s.reasons.map((r) => r.text)).toContain('4h damped: 1d leans down')
    // timeframes part (1 - 0.6)/2 = 0.2: 0.32195 + 0.07 + 0.16 = 0.55195
    expect(s.confidence).toBe(0.552)
  })

  it('without higher timeframes the score is the raw score and confidence drops that part', () => {
    const s = evaluate({ ...key, timeframe: '1d' }, example(), [])
    expect(s.score).toBe(74.8)
    // (0.4 × 0.80488 + 0.25 × 0.64) / 0.65 = 0.74147
    expect(s.confidence).toBe(0.741)
  })

  it('direction follows the thresholds of the profile', () => {
    const strict = signalProfileSchema.parse({
      id: 'strict',
      name: 'Strict',
      thresholds: { buy: 85, sell: 15 },
    })
    const s = evaluate({ ...key, profile: strict }, example(), [{ timeframe: '1d', dev: 0.6 }])
    expect(s.score).toBe(82.2)
    expect(s.direction).toBe('neutral')
  })

  it('a bearish bar reads as a sell with bearish reasons', () => {
    const r = example({
      close: 90,
      emaFast: 96,
      plusDI: 10,
      minusDI: 30,
      rsi: 25,
      terms: {
        price: -1,
        cross: -1,
        di: -0.5,
        rsi: -0.875,
        macd: -1,
        stoch: NaN,
        bollinger: 0.6,
        mfi: -0.5,
        obv: -0.6,
      },
      devs: { trend: -0.7, momentum: -0.9375, volatility: 0.6, volume: -0.55 },
      raw: 0.4 * -0.7 + 0.3 * -0.9375 + 0.1 * 0.6 + 0.2 * -0.55, // -0.61125
      macdHistogram: -1,
      prevMacdHistogram: 0.2,
      percentB: 0.1,
      obvFlow: -0.6,
    })
    const s = evaluate(key, r, [])
    expect(s.score).toBe(19.4) // 50 - 30.5625 = 19.4375
    expect(s.direction).toBe('sell')
    const texts = s.reasons.map((x) => x.text)
    expect(texts).toContain('4h trend down: close below EMA50, EMA20 below EMA50, ADX 31')
    expect(texts).toContain('4h RSI 25: oversold')
    expect(texts).toContain('4h MACD crossed below its signal line')
    expect(texts).toContain('4h OBV falling: net down-volume 60% over 20 bars')
  })
})

describe('higher-timeframe bias', () => {
  it('weights the next higher timeframes 0.5/0.3/0.2 and renormalises over the available ones', () => {
    const w = [0.5, 0.3, 0.2]
    const views = (devs: (number | null)[]) =>
      devs.map((dev, i) => ({ timeframe: (['5m', '15m', '1h', '4h'] as const)[i]!, dev }))
    expect(higherBias(views([0.4, -0.2, 1]), w)).toBeCloseTo(0.2 + -0.06 + 0.2, 12) // 0.34
    expect(higherBias(views([null, -0.2, 1]), w)).toBeCloseTo((-0.06 + 0.2) / 0.5, 12) // 0.28
    expect(higherBias(views([0.4, -0.2, 1, -1]), w)).toBeCloseTo(0.34, 12) // the 4th is not weighted
    expect(higherBias(views([null, null]), w)).toBeNull()
    expect(higherBias([], w)).toBeNull()
  })
})
