import { ANCHOR_DAY, MINUTES_PER_DAY, weekday } from './calendar'
import { Outward } from './outward'
import { Sfc32, streamKey } from './rng'
import type { SessionProfile } from './seasonality'
import type { DemoSymbolSpec } from './symbols'

/**
 * The coarse daily layer of the demo market: for every UTC day, each symbol's log price at the
 * open and its volatility regime. It is cheap (a few draws per day) and is built outward from
 * the anchor day, so the intraday layer can generate any single day on its own: it only needs
 * the day's open, close and regime from here.
 *
 * Regime: log volatility is a stationary Gaussian AR(1) per day,
 *   h_s(d) = λ_s·m(d) + √(1 − λ_s²)·e_s(d),   m, e_s unit-variance AR(1) with φ = REGIME_PERSISTENCE,
 *   v_s(d) = exp(2σ_h·h_s(d) − 2σ_h²)   (so E[v] = 1),
 * where m is the market-wide regime and λ_s the symbol's market loading: calm and stormy
 * spells are shared across markets. Within a day the regime moves linearly from v(d) to
 * v(d + 1), so volatility has no step at midnight.
 *
 * Price: the day's log return is r(d) = √V(d)·z(d), z = λ·F + √(1 − λ²)·E with F (market) and
 * E (symbol) unit-variance Student-t₄ draws, and V(d) the day's total variance (the sum of the
 * intraday minute variances). A weak pull κ towards the start price keeps prices plausible
 * years from the anchor: L(d + 1) = L(d) + r(d) − κ·(L(d) − L₀) after the anchor; before it the
 * same recursion runs backwards in time, L(d) = L(d + 1) − r(d) − κ·(L(d + 1) − L₀), which has the
 * same law because a stationary Gaussian AR(1) is time-reversible.
 */
export const REGIME_PERSISTENCE = 0.95
export const REGIME_LOG_VOL_SD = 0.25
export const PRICE_REVERSION = 1 / 365

const SALT_MARKET = 0x6d6b7464
const SALT_SYMBOL = 0x73796d64

const INNOVATION_SCALE = Math.sqrt(1 - REGIME_PERSISTENCE * REGIME_PERSISTENCE)

/** Draws of one day from one stream: the regime driver first, then the return innovation. */
interface DayDraws {
  regime: number
  ret: number
}

function drawDay(key: number): DayDraws {
  const rng = new Sfc32(key)
  const regime = rng.normal()
  return { regime, ret: rng.studentT4() }
}

/** Market-wide daily draws, shared by every symbol of one market instance. */
export class MarketDaily {
  private readonly regimePath: Outward

  constructor(
    private readonly seedLo: number,
    private readonly seedHi: number,
  ) {
    this.regimePath = new Outward(
      () => this.draws(ANCHOR_DAY).regime,
      (day, inner) => REGIME_PERSISTENCE * inner + INNOVATION_SCALE * this.draws(day).regime,
    )
  }

  draws(day: number): DayDraws {
    return drawDay(streamKey(this.seedLo, this.seedHi, SALT_MARKET, day))
  }

  /** The market regime m(d): unit variance, autocorrelation φ^lag. */
  regime(day: number): number {
    return this.regimePath.at(day)
  }
}

/** What the intraday generator needs to know about one day of one symbol. */
export interface DayInputs {
  /** Log price at the day's open and close (the close is the next day's open). */
  logOpen: number
  logClose: number
  /** Regime variance multiplier at the day's start and end. */
  regimeStart: number
  regimeEnd: number
  /** Weekday multipliers of variance and volume. */
  weekVariance: number
  weekVolume: number
}

export class SymbolDaily {
  private readonly ownRegime: Outward
  private readonly logOpens: Outward
  private readonly loading: number
  private readonly idio: number
  private readonly logStart: number
  /** Σ seasonal variance·(1 − u) and Σ seasonal variance·u over the day's minutes (u = time of day in [0, 1]). */
  private readonly seasonStart: number
  private readonly seasonEnd: number

  constructor(
    private readonly market: MarketDaily,
    private readonly spec: DemoSymbolSpec,
    private readonly profile: SessionProfile,
    private readonly minuteVariance: number,
    private readonly seedLo: number,
    private readonly seedHi: number,
  ) {
    this.loading = spec.marketLoading
    this.idio = Math.sqrt(1 - spec.marketLoading * spec.marketLoading)
    this.logStart = Math.log(spec.startPrice)
    let s0 = 0
    let s1 = 0
    for (let i = 0; i < MINUTES_PER_DAY; i++) {
      const u = (i + 0.5) / MINUTES_PER_DAY
      s0 += profile.variance[i]! * (1 - u)
      s1 += profile.variance[i]! * u
    }
    this.seasonStart = s0
    this.seasonEnd = s1
    this.ownRegime = new Outward(
      () => this.draws(ANCHOR_DAY).regime,
      (day, inner) => REGIME_PERSISTENCE * inner + INNOVATION_SCALE * this.draws(day).regime,
    )
    this.logOpens = new Outward(
      () => this.logStart,
      (day, inner) =>
        day > ANCHOR_DAY
          ? inner + this.dayReturn(day - 1) - PRICE_REVERSION * (inner - this.logStart)
          : inner - this.dayReturn(day) - PRICE_REVERSION * (inner - this.logStart),
    )
  }

  private draws(day: number): DayDraws {
    return drawDay(streamKey(this.seedLo, this.seedHi, SALT_SYMBOL ^ (this.spec.streamId * 0x10001), day))
  }

  /** Regime variance multiplier v(d) at the day's start; mean 1. */
  regime(day: number): number {
    const h = this.loading * this.market.regime(day) + this.idio * this.ownRegime.at(day)
    return Math.exp(2 * REGIME_LOG_VOL_SD * h - 2 * REGIME_LOG_VOL_SD * REGIME_LOG_VOL_SD)
  }

  /** The day's total variance of log returns: minute variance × weekday × regime × seasonality. */
  dayVariance(day: number): number {
    const week = this.profile.weekVariance[weekday(day)]!
    return (
      this.minuteVariance *
      week *
      (this.regime(day) * this.seasonStart + this.regime(day + 1) * this.seasonEnd)
    )
  }

  private dayReturn(day: number): number {
    const z = this.loading * this.market.draws(day).ret + this.idio * this.draws(day).ret
    return Math.sqrt(this.dayVariance(day)) * z
  }

  logOpen(day: number): number {
    return this.logOpens.at(day)
  }

  inputs(day: number): DayInputs {
    const wd = weekday(day)
    return {
      logOpen: this.logOpens.at(day),
      logClose: this.logOpens.at(day + 1),
      regimeStart: this.regime(day),
      regimeEnd: this.regime(day + 1),
      weekVariance: this.profile.weekVariance[wd]!,
      weekVolume: this.profile.weekVolume[wd]!,
    }
  }
}
