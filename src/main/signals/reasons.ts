import type { SignalProfile, SignalReason } from '../../shared/domain/signals'
import type { Timeframe } from '../../shared/domain/timeframes'
import type { HigherView, Readings } from './state'

/** At most this many reasons per signal, the most important first. */
export const MAX_REASONS = 6

interface Ranked extends SignalReason {
  weight: number
}

/** Collects reasons with their ranking weight (a class, not closures: this runs per bar). */
class Reasons {
  readonly list: Ranked[] = []
  constructor(private readonly totalWeight: number) {}
  share(componentWeight: number): number {
    return componentWeight / this.totalWeight
  }
  add(component: SignalReason['component'], tone: SignalReason['tone'], text: string, weight: number): void {
    this.list.push({ component, tone, text, weight })
  }
}

const int = (x: number): string => String(Math.round(x))
const times = (x: number): string => `${x.toFixed(1)}×`
const toneOf = (x: number): SignalReason['tone'] => (x > 0 ? 'bull' : x < 0 ? 'bear' : 'neutral')

function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`
}

/**
 * Human-readable reasons for one timeframe's signal, e.g. "4h trend up: close above EMA50,
 * ADX 31" or "1h RSI 78: overbought". Each rule below fires on a plain threshold; reasons are
 * ranked by the weight of what they explain (component weight × how strongly the term reads).
 */
export function reasonsFor(
  tf: Timeframe,
  p: SignalProfile,
  r: Readings,
  higher: readonly HigherView[],
  H: number | null,
): SignalReason[] {
  const w = p.weights
  const out = new Reasons(w.trend + w.momentum + w.volatility + w.volume)

  // Trend: the supporting facts of its direction, then ADX.
  if (w.trend > 0) {
    const dev = r.devs.trend
    const adx = `ADX ${int(r.adx)}`
    if (Math.abs(dev) >= 0.15) {
      const up = dev > 0
      const facts: string[] = []
      const t = r.terms
      if (t.price === t.price && t.price !== 0 && t.price > 0 === up) {
        facts.push(`close ${up ? 'above' : 'below'} EMA${p.trend.emaSlow}`)
      }
      if (t.cross === t.cross && t.cross !== 0 && t.cross > 0 === up) {
        facts.push(`EMA${p.trend.emaFast} ${up ? 'above' : 'below'} EMA${p.trend.emaSlow}`)
      }
      if (facts.length < 2 && t.di === t.di && t.di !== 0 && t.di > 0 === up) {
        facts.push(up ? '+DI over -DI' : '-DI over +DI')
      }
      facts.splice(2)
      facts.push(adx)
      out.add(
        'trend',
        up ? 'bull' : 'bear',
        `${tf} trend ${up ? 'up' : 'down'}: ${facts.join(', ')}`,
        out.share(w.trend) * Math.abs(dev),
      )
    } else {
      out.add('trend', 'neutral', `${tf} no clear trend: ${adx}`, out.share(w.trend) * 0.1)
    }
  }

  // Momentum.
  if (w.momentum > 0) {
    const m = out.share(w.momentum)
    if (r.rsi === r.rsi) {
      const rsi = `${tf} RSI ${int(r.rsi)}`
      if (r.rsi >= 70) out.add('momentum', 'bear', `${rsi}: overbought`, m * 0.9)
      else if (r.rsi <= 30) out.add('momentum', 'bull', `${rsi}: oversold`, m * 0.9)
      else if (r.rsi >= 55) out.add('momentum', 'bull', `${rsi}: bullish momentum`, m * Math.abs(r.terms.rsi))
      else if (r.rsi <= 45) out.add('momentum', 'bear', `${rsi}: bearish momentum`, m * Math.abs(r.terms.rsi))
    }
    const h = r.macdHistogram
    const prev = r.prevMacdHistogram
    if (h === h) {
      if (prev === prev && h !== 0 && prev > 0 !== h > 0) {
        out.add('momentum', toneOf(h), `${tf} MACD crossed ${h > 0 ? 'above' : 'below'} its signal line`, m)
      } else if (Math.abs(r.terms.macd) >= 0.5) {
        out.add(
          'momentum',
          toneOf(h),
          `${tf} MACD ${h > 0 ? 'above' : 'below'} its signal line`,
          m * Math.abs(r.terms.macd) * 0.8,
        )
      }
    }
    if (r.stochK === r.stochK) {
      const k = `${tf} Stoch %K ${int(r.stochK)}`
      if (r.stochK >= 80) out.add('momentum', 'bear', `${k}: overbought`, m * 0.7)
      else if (r.stochK <= 20) out.add('momentum', 'bull', `${k}: oversold`, m * 0.7)
    }
  }

  // Volatility.
  if (w.volatility > 0 && r.percentB === r.percentB) {
    const v = out.share(w.volatility)
    const b = r.percentB
    const fading = Math.abs(r.terms.bollinger) > 0
    if (b >= 0.95) {
      const where = b > 1 ? 'above the upper' : 'at the upper'
      out.add(
        'volatility',
        fading ? 'bear' : 'neutral',
        `${tf} close ${where} Bollinger band (%B ${b.toFixed(2)})`,
        v,
      )
    } else if (b <= 0.05) {
      const where = b < 0 ? 'below the lower' : 'at the lower'
      out.add(
        'volatility',
        fading ? 'bull' : 'neutral',
        `${tf} close ${where} Bollinger band (%B ${b.toFixed(2)})`,
        v,
      )
    }
    if (r.widthRatio >= 1.5) {
      out.add(
        'volatility',
        'neutral',
        `${tf} Bollinger bands expanding (${times(r.widthRatio)} average width)`,
        v * 0.5,
      )
    } else if (r.widthRatio <= 0.6) {
      out.add(
        'volatility',
        'neutral',
        `${tf} Bollinger squeeze (${times(r.widthRatio)} average width)`,
        v * 0.5,
      )
    }
  }

  // Volume.
  if (w.volume > 0) {
    const u = out.share(w.volume)
    if (r.mfi === r.mfi) {
      if (r.mfi >= 80) out.add('volume', 'bull', `${tf} MFI ${int(r.mfi)}: strong buying pressure`, u * 0.8)
      else if (r.mfi <= 20)
        out.add('volume', 'bear', `${tf} MFI ${int(r.mfi)}: strong selling pressure`, u * 0.8)
    }
    if (r.obvFlow === r.obvFlow && Math.abs(r.obvFlow) >= 0.3) {
      const up = r.obvFlow > 0
      const pct = int(Math.abs(r.obvFlow) * 100)
      out.add(
        'volume',
        up ? 'bull' : 'bear',
        `${tf} OBV ${up ? 'rising' : 'falling'}: net ${up ? 'up' : 'down'}-volume ${pct}% over ${p.volume.obvLookback} bars`,
        u * Math.abs(r.obvFlow),
      )
    }
    if (r.relVolume >= 2) {
      out.add(
        'volume',
        toneOf(r.close - r.open),
        `${tf} volume ${times(r.relVolume)} its ${p.volume.volumeAverage}-bar average`,
        u * 0.6,
      )
    }
  }

  // Higher timeframes.
  if (H !== null && r.raw !== 0 && Math.abs(H) >= 0.1) {
    const leaning = higher
      .slice(0, p.mtf.weights.length)
      .filter((h) => h.dev !== null && Math.abs(h.dev) >= 0.1 && h.dev > 0 === H > 0)
      .map((h) => h.timeframe)
    const dir = H > 0 ? 'up' : 'down'
    const agree = H > 0 === r.raw > 0
    const names = joinNames(leaning)
    const text = agree
      ? `${tf} confirmed by ${names} (leaning ${dir})`
      : `${tf} damped: ${names} ${leaning.length === 1 ? 'leans' : 'lean'} ${dir}`
    // Ranked by how far it moved the deviation: |d| × s × |H|.
    out.add('timeframes', toneOf(H), text, Math.abs(r.raw) * p.mtf.strength * Math.abs(H))
  }

  // By weight; Array.prototype.sort is stable, so ties keep the order the rules above ran in.
  const list = out.list.sort(byWeight)
  const n = Math.min(list.length, MAX_REASONS)
  const reasons: SignalReason[] = new Array<SignalReason>(n)
  for (let i = 0; i < n; i++) {
    const x = list[i]!
    reasons[i] = { component: x.component, tone: x.tone, text: x.text }
  }
  return reasons
}

function byWeight(a: Ranked, b: Ranked): number {
  return b.weight - a.weight
}
