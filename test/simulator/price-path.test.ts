import { describe, expect, it } from 'vitest'
import { formatUnits, parseUnits } from './decimal'
import { DEFAULT_MARKETS } from './markets'
import { MINUTE, PricePath, PriceSource } from './price-path'

const btc = DEFAULT_MARKETS.find((m) => m.symbol === 'BTCUSDT')
if (!btc) throw new Error('no BTCUSDT spec')
const M0 = Math.floor(Date.UTC(2025, 0, 1) / MINUTE)

function std(xs: number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length)
}

describe('synthetic price path', () => {
  it('one-minute log returns have about the configured volatility, and moves grow like sqrt(time)', () => {
    const logs = new PricePath(7, btc).logAtMinutes(M0, 50_001)
    const ret = (lag: number) => {
      const out: number[] = []
      for (let i = lag; i < logs.length; i += lag) out.push((logs[i] ?? 0) - (logs[i - lag] ?? 0))
      return out
    }
    const s1 = std(ret(1))
    expect(s1 / btc.sigmaPerMinute).toBeGreaterThan(0.85)
    expect(s1 / btc.sigmaPerMinute).toBeLessThan(1.15)
    // Brownian-like: 64-minute moves are about 8 times one-minute moves.
    expect(std(ret(64)) / s1).toBeGreaterThan(5)
    expect(std(ret(64)) / s1).toBeLessThan(12)
  })

  it('is a pure function of seed and time, piecewise linear within each minute', () => {
    const a = new PricePath(7, btc)
    const b = new PricePath(7, btc)
    const c = new PricePath(8, btc)
    const t = M0 * MINUTE + 30_000
    expect(a.logAt(t)).toBe(b.logAt(t))
    expect(a.logAt(t)).not.toBe(c.logAt(t))
    const [l0 = 0, l1 = 0] = a.logAtMinutes(M0, 2)
    expect(a.logAt(M0 * MINUTE)).toBeCloseTo(l0, 12)
    expect(a.logAt(t)).toBeCloseTo((l0 + l1) / 2, 12)
    // Vectorised and pointwise evaluation agree anywhere in a long series.
    expect(a.logAtMinutes(M0 - 5_000, 10_001)[7_777]).toBeCloseTo(a.logAt((M0 - 5_000 + 7_777) * MINUTE), 12)
  })

  it('overrides change the price from their time on and leave history alone', () => {
    const src = new PriceSource(new PricePath(7, btc))
    const t = M0 * MINUTE + 10 * MINUTE
    const before = src.priceAt(t - MINUTE)
    src.setPrice(t, 50_000, true)
    expect(src.priceAt(t - MINUTE)).toBe(before)
    expect(src.priceAt(t + 5 * MINUTE)).toBe(50_000)
    expect(src.frozenSince(t + 1)).toBe(t)
    src.unfreeze(t + MINUTE)
    expect(src.priceAt(t + MINUTE)).toBeCloseTo(50_000, 6)
    expect(src.priceAt(t + 30 * MINUTE)).not.toBe(50_000)
    expect(src.frozenSince(t + 30 * MINUTE)).toBeUndefined()
  })
})

describe('exact decimals', () => {
  it('parses Binance decimal syntax to 1e-8 units and prints 8 decimals', () => {
    expect(parseUnits('0.1')).toBe(10_000_000n)
    expect(parseUnits('241')).toBe(24_100_000_000n)
    expect(parseUnits('0.00000001')).toBe(1n)
    expect(parseUnits('1.500000000')).toBe(150_000_000n) // trailing zeros are not extra precision
    expect(parseUnits('0.000000001')).toBe('precision')
    for (const bad of ['', '1e-5', '-1', '.5', '1.', '0x10', '1,5']) expect(parseUnits(bad)).toBeUndefined()
    expect(formatUnits(5_000_000n)).toBe('0.05000000')
    expect(formatUnits(-1n)).toBe('-0.00000001')
  })
})
