import type { ParamValues } from '../indicators'

/**
 * How much history before the first bar a chart shows an indicator needs, so that its first
 * shown value equals the value a computation over the whole history gives on that bar.
 *
 * - `window`: the value depends on a fixed number of earlier bars (SMA, Bollinger, Donchian,
 *   Stochastic...). That many bars make it exact.
 * - `decay`: every earlier bar counts, with weights that shrink geometrically (EMA, Wilder's RSI,
 *   ATR, ADX, MACD...). `bars` is chosen so that the seed's weight is below 1e-12: the first
 *   value then agrees with a full-history computation to about 1e-10 relative, far below any
 *   digit shown.
 * - `path`: a state machine that forgets its start (Parabolic SAR, Supertrend's trailing bands).
 *   On the demo market SAR runs from different starts meet within 60 bars (measured over
 *   40,000 bars of several symbols); 1,000 bars leave a wide margin.
 * - `session`: VWAP restarts at each session; it needs the bars back to its session's start.
 * - `all`: cumulative (OBV, VWAP without sessions): computed from the first bar of the history
 *   (capped at `ALL_HISTORY_CAP` bars).
 */
export type WarmupRule =
  | { kind: 'window'; bars: number }
  | { kind: 'decay'; bars: number }
  | { kind: 'path'; bars: number }
  | { kind: 'session'; anchor: 'day' | 'week' | 'month' }
  | { kind: 'all' }

/** Cumulative indicators start at the first bar of the history, but never more than this many bars back. */
export const ALL_HISTORY_CAP = 500_000
/** No rule asks for more than this many warm-up bars. */
export const MAX_WARMUP_BARS = 100_000

/** Bars after which a geometric weight `1 - alpha` per bar falls below 1e-12. */
export function decayBars(alpha: number): number {
  if (!(alpha > 0) || alpha >= 1) return 0
  return Math.ceil(Math.log(1e-12) / Math.log(1 - alpha))
}

const ema = (period: number): number => decayBars(2 / (period + 1))
const wilder = (period: number): number => decayBars(1 / period)

function n(p: ParamValues, name: string): number {
  const v = p[name]
  return typeof v === 'number' ? v : 0
}

const fixed = (bars: number): WarmupRule => ({ kind: 'window', bars: Math.max(0, Math.ceil(bars)) })
const decay = (bars: number): WarmupRule => ({
  kind: 'decay',
  bars: Math.min(MAX_WARMUP_BARS, Math.ceil(bars)),
})

const RULES: Record<string, (p: ParamValues) => WarmupRule> = {
  sma: (p) => fixed(n(p, 'period') - 1),
  wma: (p) => fixed(n(p, 'period') - 1),
  bbands: (p) => fixed(n(p, 'period') - 1),
  stddev: (p) => fixed(n(p, 'period') - 1),
  willr: (p) => fixed(n(p, 'period') - 1),
  cci: (p) => fixed(n(p, 'period') - 1),
  donchian: (p) => fixed(n(p, 'period') - 1),
  aroon: (p) => fixed(n(p, 'period')),
  trange: () => fixed(1),
  mfi: (p) => fixed(n(p, 'period')),
  stoch: (p) => fixed(n(p, 'period') - 1 + n(p, 'kSmooth') - 1 + n(p, 'dPeriod') - 1),
  stochf: (p) => fixed(n(p, 'period') - 1 + n(p, 'dPeriod') - 1),
  // The spans are drawn displacement-1 bars to the right: the first bars shown carry values
  // computed that many bars before them.
  ichimoku: (p) =>
    fixed(Math.max(n(p, 'conversion'), n(p, 'base'), n(p, 'spanB')) - 1 + n(p, 'displacement') - 1),
  // Chained EMAs: the seed's error passes through each stage, so allow a full decay per stage.
  ema: (p) => decay(n(p, 'period') + ema(n(p, 'period'))),
  dema: (p) => decay(2 * n(p, 'period') + 2 * ema(n(p, 'period'))),
  tema: (p) => decay(3 * n(p, 'period') + 3 * ema(n(p, 'period'))),
  rsi: (p) => decay(n(p, 'period') + wilder(n(p, 'period'))),
  macd: (p) =>
    decay(n(p, 'slow') + n(p, 'signal') + ema(Math.max(n(p, 'fast'), n(p, 'slow'))) + ema(n(p, 'signal'))),
  atr: (p) => decay(n(p, 'period') + wilder(n(p, 'period'))),
  natr: (p) => decay(n(p, 'period') + wilder(n(p, 'period'))),
  adx: (p) => decay(2 * n(p, 'period') + 2 * wilder(n(p, 'period'))),
  keltner: (p) =>
    decay(Math.max(n(p, 'period'), n(p, 'atrPeriod')) + ema(n(p, 'period')) + wilder(n(p, 'atrPeriod'))),
  stochrsi: (p) =>
    decay(
      n(p, 'rsiPeriod') + wilder(n(p, 'rsiPeriod')) + n(p, 'stochPeriod') + n(p, 'kPeriod') + n(p, 'dPeriod'),
    ),
  supertrend: (p) => ({
    kind: 'path',
    bars: Math.min(MAX_WARMUP_BARS, n(p, 'period') + wilder(n(p, 'period')) + 1000),
  }),
  sar: () => ({ kind: 'path', bars: 1000 }),
  obv: () => ({ kind: 'all' }),
  vwap: (p) => {
    const anchor = p.anchor
    return anchor === 'day' || anchor === 'week' || anchor === 'month'
      ? { kind: 'session', anchor }
      : { kind: 'all' }
  },
}

/** Indicators the library may add later without a rule here: a generous decay allowance. */
const FALLBACK: WarmupRule = { kind: 'decay', bars: 5_000 }

export function hasWarmupRule(id: string): boolean {
  return Object.hasOwn(RULES, id)
}

export function warmupRule(id: string, params: ParamValues): WarmupRule {
  const rule = Object.hasOwn(RULES, id) ? RULES[id] : undefined
  return rule ? rule(params) : FALLBACK
}

const SESSION_MS = { day: 86_400_000, week: 7 * 86_400_000, month: 31 * 86_400_000 } as const

/** Warm-up bars to fetch for a rule on bars `tfMs` long (an upper bound for sessions). */
export function fetchBars(rule: WarmupRule, tfMs: number): number {
  switch (rule.kind) {
    case 'window':
    case 'decay':
    case 'path':
      return rule.bars
    case 'session':
      return Math.min(MAX_WARMUP_BARS, Math.ceil(SESSION_MS[rule.anchor] / tfMs) + 1)
    case 'all':
      return ALL_HISTORY_CAP
  }
}

/** The rule in words, for the picker's tooltip (numbers for the default parameters). */
export function describeRule(rule: WarmupRule): string {
  switch (rule.kind) {
    case 'window':
      return `Warm-up: exact, from the ${rule.bars} bars before the first bar shown (default parameters).`
    case 'decay':
      return `Warm-up: starts ${rule.bars} bars before the first bar shown (default parameters), where the starting value's weight is below 1e-12, so the first values shown equal a full-history computation.`
    case 'path':
      return `Warm-up: starts ${rule.bars} bars before the first bar shown, enough for runs from any start to agree.`
    case 'session':
      return `Warm-up: starts at the beginning of the ${rule.anchor} session (UTC) of the first bar shown.`
    case 'all':
      return `Cumulative: computed from the first bar of the stored history (at most ${ALL_HISTORY_CAP.toLocaleString('en-US')} bars back).`
  }
}
