/**
 * Statistical sanity of the demo market, each check against an expectation derived by hand
 * from the model (see daily.ts and day-bars.ts). Returns are 1m log returns over 90 days.
 * Where a check is about volatility dynamics, returns are first divided by the model's known
 * intraday and weekday pattern (Andersen & Bollerslev's standard step), so the periodic
 * pattern is not mistaken for clustering.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { weekday } from './calendar'
import { REGIME_LOG_VOL_SD } from './daily'
import { createDemoMarket, type DemoMarket } from './index'
import { hourlyVolatility, sessionProfile } from './seasonality'
import { DEMO_SYMBOL_SPECS, type DemoSymbolSpec } from './symbols'

const MIN = 60_000
const DAY = 86_400_000
const NOW = Date.UTC(2025, 10, 20)
const DAYS = 90

interface Series {
  time: number[]
  ret: number[]
  /** Returns divided by the model's intraday × weekday volatility multiplier. */
  deseason: number[]
  volume: number[]
}

const spec = (symbol: string): DemoSymbolSpec => DEMO_SYMBOL_SPECS.find((s) => s.symbol === symbol)!

function series(m: DemoMarket, symbol: string): Series {
  const c = m.candles(symbol, '1m', NOW, DAYS * 1440, NOW)
  const profile = sessionProfile(spec(symbol).session)
  const out: Series = { time: [], ret: [], deseason: [], volume: [] }
  for (let i = 1; i < c.time.length; i++) {
    const t = c.time[i]!
    const r = Math.log(c.close[i]! / c.close[i - 1]!)
    const minuteOfDay = (t % DAY) / MIN
    const k = Math.sqrt(profile.variance[minuteOfDay]! * profile.weekVariance[weekday(Math.floor(t / DAY))]!)
    out.time.push(t)
    out.ret.push(r)
    out.deseason.push(r / k)
    out.volume.push(c.volume[i]!)
  }
  return out
}

const mean = (a: readonly number[]): number => a.reduce((s, x) => s + x, 0) / a.length

function kurtosis(a: readonly number[]): number {
  const m = mean(a)
  let s2 = 0
  let s4 = 0
  for (const x of a) {
    const d = (x - m) * (x - m)
    s2 += d
    s4 += d * d
  }
  s2 /= a.length
  return s4 / a.length / (s2 * s2)
}

/** Sample autocorrelation at `lag`, and its heteroskedasticity-robust standard error under no correlation. */
function acf(a: readonly number[], lag: number): { rho: number; se: number } {
  const m = mean(a)
  let num = 0
  let den = 0
  let robust = 0
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - m
    den += d * d
    if (i >= lag) {
      const e = a[i - lag]! - m
      num += d * e
      robust += d * d * e * e
    }
  }
  return { rho: num / den, se: Math.sqrt(robust) / den }
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a)
  const mb = mean(b)
  let ab = 0
  let aa = 0
  let bb = 0
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb)
    aa += (a[i]! - ma) ** 2
    bb += (b[i]! - mb) ** 2
  }
  return ab / Math.sqrt(aa * bb)
}

/**
 * Expected correlation of two symbols' 1m returns. Innovations correlate at λa·λb (shared
 * market factor with a shared GARCH multiplier of mean 1). Returns are innovations times each
 * symbol's volatility, so the correlation is scaled by E[σa·σb] / √(E[σa²]·E[σb²]):
 * - seasonal overlap: Σ √(sa·sb) / N over the week's minutes (1 for the same session);
 * - regimes: log σ = σ_h·h − σ_h² with corr(ha, hb) = λa·λb, so the ratio is
 *   exp(−σ_h²·(1 − λa·λb)).
 */
function expectedCorrelation(a: DemoSymbolSpec, b: DemoSymbolSpec): number {
  const pa = sessionProfile(a.session)
  const pb = sessionProfile(b.session)
  let day = 0
  for (let i = 0; i < 1440; i++) day += Math.sqrt(pa.variance[i]! * pb.variance[i]!)
  let week = 0
  for (let d = 0; d < 7; d++) week += Math.sqrt(pa.weekVariance[d]! * pb.weekVariance[d]!)
  const overlap = (day / 1440) * (week / 7)
  const lab = a.marketLoading * b.marketLoading
  return lab * overlap * Math.exp(-REGIME_LOG_VOL_SD * REGIME_LOG_VOL_SD * (1 - lab))
}

const data = new Map<string, Series>()

beforeAll(() => {
  const m = createDemoMarket({ seed: 2024 })
  for (const s of m.symbols) data.set(s.symbol, series(m, s.symbol))
})

const get = (symbol: string): Series => data.get(symbol)!

describe('demo market statistics (seed 2024, 90 days of 1m returns)', () => {
  it('has fat tails: kurtosis well above the Gaussian 3 and far more 4σ moves than a Gaussian', () => {
    for (const s of DEMO_SYMBOL_SPECS) {
      const z = get(s.symbol).deseason
      expect(kurtosis(z), s.symbol).toBeGreaterThan(6)
      const sd = Math.sqrt(mean(z.map((x) => x * x)))
      const beyond = z.filter((x) => Math.abs(x) > 4 * sd).length / z.length
      // Gaussian: P(|Z| > 4) = 6.3e-5. Unit-variance t₄ alone: P(|T| > 4√2) = 4.8e-3 (rng.ts).
      expect(beyond, s.symbol).toBeGreaterThan(30 * 6.3e-5)
    }
  })

  it('clusters volatility: absolute returns stay autocorrelated over an hour while returns do not', () => {
    for (const s of DEMO_SYMBOL_SPECS) {
      const z = get(s.symbol).deseason
      const abs = z.map(Math.abs)
      const rho = [1, 5, 15, 30, 60].map((lag) => acf(abs, lag).rho)
      // n ≈ 130k, so one standard error is about 1/√n ≈ 0.003: 0.015 is five of them.
      for (const r of rho) expect(r, s.symbol).toBeGreaterThan(0.015)
      // GARCH persistence α·E[min(z², 16)] + β ≈ 0.975 per minute: the effect decays with lag.
      expect(rho[0]!, s.symbol).toBeGreaterThan(rho[4]!)
      for (let lag = 1; lag <= 10; lag++) {
        const { rho: r, se } = acf(z, lag)
        expect(Math.abs(r), `${s.symbol} lag ${lag}`).toBeLessThan(4 * se)
      }
    }
  })

  it('moves ETH and SOL with BTC, gold-like and euro markets barely, as the loadings imply', () => {
    const btc = get('BTC/USDT').ret
    for (const other of ['ETH/USDT', 'SOL/USDT', 'PAXG/USDT', 'EUR/USDT']) {
      const expected = expectedCorrelation(spec('BTC/USDT'), spec(other))
      expect(Math.abs(correlation(btc, get(other).ret) - expected), other).toBeLessThan(0.03)
    }
    // By hand for BTC/ETH: 0.9 · 0.85 · exp(−0.25² · (1 − 0.765)) ≈ 0.754.
    expect(expectedCorrelation(spec('BTC/USDT'), spec('ETH/USDT'))).toBeCloseTo(0.754, 3)
  })

  it('shows the intraday pattern: busy hours consistently out-trade quiet ones', () => {
    for (const s of DEMO_SYMBOL_SPECS) {
      const { time, volume, ret } = get(s.symbol)
      const hourly = hourlyVolatility(s.session)
      const busiest = hourly.indexOf(Math.max(...hourly))
      const quietest = hourly.indexOf(Math.min(...hourly))
      const byDay = new Map<number, number[]>()
      const volByHour = new Array<number>(24).fill(0)
      const absByHour = new Array<number>(24).fill(0)
      for (let i = 0; i < time.length; i++) {
        const d = Math.floor(time[i]! / DAY)
        const h = new Date(time[i]!).getUTCHours()
        const row = byDay.get(d) ?? new Array<number>(24).fill(0)
        row[h] = row[h]! + volume[i]!
        byDay.set(d, row)
        volByHour[h] = volByHour[h]! + volume[i]!
        absByHour[h] = absByHour[h]! + Math.abs(ret[i]!)
      }
      const days = [...byDay.values()]
      const wins = days.filter((row) => row[busiest]! > row[quietest]!).length
      // Configured volume ratio of those hours is (max/min)^1.5 ≈ 2.3 (crypto) and 3.8 (fx).
      expect(wins / days.length, s.symbol).toBeGreaterThanOrEqual(0.95)
      // Mean volume and mean |return| by hour follow the configured profile.
      expect(
        correlation(
          volByHour,
          hourly.map((v) => v * Math.sqrt(v)),
        ),
        s.symbol,
      ).toBeGreaterThan(0.95)
      expect(correlation(absByHour, hourly), s.symbol).toBeGreaterThan(0.9)
    }
  })
})

describe('demo market volatility targets', () => {
  it('realises each symbol’s annualised volatility within 15% of its target', () => {
    // Pooled over 10 seeds × 120 days of hourly returns. The dominant noise is the daily
    // regime: log-vol sd 2σ_h = 0.5 gives CV(v) = √(e^0.25 − 1) ≈ 0.53, and with daily
    // persistence φ = 0.95 the effective sample is n·(1 − φ)/(1 + φ) ≈ 1200/39 ≈ 31 days, so
    // the pooled variance has SE ≈ 0.53/√31 ≈ 0.096 and the volatility ≈ 0.048: 15% is
    // three standard errors.
    const sums = new Map<string, { ss: number; n: number }>()
    for (let seed = 500; seed < 510; seed++) {
      const m = createDemoMarket({ seed, historyDays: 120 })
      for (const s of m.symbols) {
        const c = m.candles(s.symbol, '1h', NOW, 120 * 24, NOW).close
        const acc = sums.get(s.symbol) ?? { ss: 0, n: 0 }
        for (let i = 1; i < c.length; i++) acc.ss += Math.log(c[i]! / c[i - 1]!) ** 2
        acc.n += c.length - 1
        sums.set(s.symbol, acc)
      }
    }
    for (const s of DEMO_SYMBOL_SPECS) {
      const { ss, n } = sums.get(s.symbol)!
      const vol = Math.sqrt((ss / n) * 365 * 24)
      expect(Math.abs(vol / s.annualVol - 1), `${s.symbol}: ${vol.toFixed(3)}`).toBeLessThan(0.15)
    }
  })

  it('keeps prices plausible years away from the anchor (weak pull to the start price)', () => {
    // Stationary sd of log price ≈ σ_annual·√(365/2)/√365 = σ/√2 (0.39 for BTC): ±4 sd ≈ ×/÷ 4.7.
    for (let seed = 1; seed <= 5; seed++) {
      const m = createDemoMarket({ seed })
      for (const s of DEMO_SYMBOL_SPECS) {
        const ratio = m.quote(s.symbol, Date.UTC(2030, 5, 1)).last / s.startPrice
        const bound = Math.exp((4 * s.annualVol) / Math.SQRT2)
        expect(ratio, s.symbol).toBeGreaterThan(1 / bound)
        expect(ratio, s.symbol).toBeLessThan(bound)
      }
    }
  })
})
