import { z } from 'zod'
import { CHART_TIMEFRAMES, TIMEFRAMES, timeframeSchema } from './timeframes'

/**
 * Signals: per symbol and timeframe a score from 0 (strong sell) to 100 (strong buy), 50
 * neutral, built from four component scores. How every number is computed is documented in
 * src/main/signals/README.md and in the doc comments of src/main/signals/mapping.ts.
 */

export const SIGNAL_COMPONENTS = ['trend', 'momentum', 'volatility', 'volume'] as const
export type SignalComponent = (typeof SIGNAL_COMPONENTS)[number]

export const signalDirectionSchema = z.enum(['buy', 'sell', 'neutral'])
export type SignalDirection = z.infer<typeof signalDirectionSchema>

const weight = z.number().min(0).max(10)
const period = (def: number, min = 2) => z.number().int().min(min).max(500).default(def)

/**
 * A signal profile: which indicators feed each component, with which parameters, and how the
 * components, the timeframes and the confidence are weighted. Every field has a default, so
 * `{id, name}` alone is a valid profile equal to the default one.
 */
export const signalProfileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and dashes, at most 40'),
    name: z.string().min(1).max(80),
    description: z.string().max(500).default(''),
    /** Timeframes scored, shortest first; each is confirmed or damped by the ones after it. */
    timeframes: z
      .array(timeframeSchema)
      .min(1)
      .max(TIMEFRAMES.length)
      .default([...CHART_TIMEFRAMES])
      .refine(
        (tfs) => tfs.every((tf, i) => i === 0 || TIMEFRAMES.indexOf(tfs[i - 1]!) < TIMEFRAMES.indexOf(tf)),
        {
          message: 'timeframes must be distinct and ordered shortest first',
        },
      ),
    /** Weights of the components in the score (0 leaves a component out). */
    weights: z
      .object({
        trend: weight.default(0.4),
        momentum: weight.default(0.3),
        volatility: weight.default(0.1),
        volume: weight.default(0.2),
      })
      .strict()
      .prefault({})
      .refine((w) => w.trend + w.momentum + w.volatility + w.volume > 0, {
        message: 'at least one component needs a weight above 0',
      }),
    /** ATR period: trend and MACD distances are measured in ATRs. */
    atrPeriod: period(14, 1),
    trend: z
      .object({
        emaFast: period(20, 1),
        emaSlow: period(50, 1),
        adxPeriod: period(14),
        /** Term weights: close vs slow EMA, fast vs slow EMA, +DI vs -DI. */
        terms: z
          .object({ price: weight.default(1), cross: weight.default(1), di: weight.default(1) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({})
      .refine((t) => t.emaFast < t.emaSlow, { message: 'emaFast must be shorter than emaSlow' }),
    momentum: z
      .object({
        rsiPeriod: period(14),
        macd: z
          .object({ fast: period(12, 1), slow: period(26, 1), signal: period(9, 1) })
          .strict()
          .prefault({})
          .refine((m) => m.fast < m.slow, { message: 'macd.fast must be shorter than macd.slow' }),
        /** The MACD histogram counts fully at this many ATRs. */
        macdScale: z.number().gt(0).max(10).default(0.3),
        stoch: z
          .object({ period: period(14, 1), kSmooth: period(3, 1), dPeriod: period(3, 1) })
          .strict()
          .prefault({}),
        terms: z
          .object({ rsi: weight.default(1), macd: weight.default(1), stoch: weight.default(0) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    volatility: z
      .object({
        bbPeriod: period(20),
        bbMult: z.number().gt(0).max(10).default(2),
        /** Bars in the average Bollinger bandwidth that expansion is measured against. */
        widthAverage: period(20, 1),
        terms: z
          .object({ bollinger: weight.default(1) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    volume: z
      .object({
        mfiPeriod: period(14),
        /** Bars over which net on-balance volume is compared with total volume. */
        obvLookback: period(20, 1),
        /** Bars in the average volume that relative volume is measured against. */
        volumeAverage: period(20, 1),
        terms: z
          .object({ mfi: weight.default(1), obv: weight.default(1) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Multi-timeframe: how much the higher timeframes confirm or damp a lower one. */
    mtf: z
      .object({
        /** 0 = higher timeframes are ignored; 1 = full agreement doubles the deviation from 50. */
        strength: z.number().min(0).max(1).default(0.5),
        /** Weights of the next higher timeframes, nearest first. */
        weights: z.array(weight).min(1).max(TIMEFRAMES.length).default([0.5, 0.3, 0.2]),
      })
      .strict()
      .prefault({}),
    thresholds: z
      .object({ buy: z.number().gt(50).max(100).default(60), sell: z.number().min(0).lt(50).default(40) })
      .strict()
      .prefault({}),
    /** Weights of the three parts of the confidence. */
    confidence: z
      .object({
        components: weight.default(0.4),
        timeframes: weight.default(0.35),
        adx: weight.default(0.25),
      })
      .strict()
      .prefault({})
      .refine((c) => c.components + c.timeframes + c.adx > 0, {
        message: 'at least one confidence weight must be above 0',
      }),
  })
  .strict()
  .superRefine((p, ctx) => {
    // A component that counts needs at least one of its terms.
    const terms: Record<SignalComponent, Record<string, number>> = {
      trend: p.trend.terms,
      momentum: p.momentum.terms,
      volatility: p.volatility.terms,
      volume: p.volume.terms,
    }
    for (const c of SIGNAL_COMPONENTS) {
      if (p.weights[c] > 0 && !Object.values(terms[c]).some((w) => w > 0)) {
        ctx.addIssue({
          code: 'custom',
          path: [c, 'terms'],
          message: `${c} has weight ${p.weights[c]} but none of its terms has a weight above 0`,
        })
      }
    }
  })

/** A profile as stored and used: every default filled in. */
export type SignalProfile = z.output<typeof signalProfileSchema>
/** A profile as a caller may send it: defaults may be left out. */
export type SignalProfileInput = z.input<typeof signalProfileSchema>

export const DEFAULT_PROFILE_ID = 'default'

/**
 * The default profile (see src/main/signals/README.md): trend 0.4 (EMA 20/50 in ATRs, +DI/-DI,
 * scaled by ADX 14), momentum 0.3 (RSI 14 with exhaustion past 70/30, MACD 12/26/9 histogram in
 * ATRs), volatility 0.1 (Bollinger 20/2 position read as mean reversion, off when the bands
 * expand), volume 0.2 (MFI 14, net on-balance volume over 20 bars); buy at 60, sell at 40;
 * each timeframe confirmed or damped by the next three higher ones (0.5, 0.3, 0.2).
 */
export const DEFAULT_PROFILE: SignalProfile = signalProfileSchema.parse({
  id: DEFAULT_PROFILE_ID,
  name: 'Balanced (default)',
  description:
    'Trend-led: trend 40%, momentum 30%, volume 20%, volatility 10%; each timeframe confirmed or damped by the next three higher ones.',
})

export const signalComponentsSchema = z.object({
  trend: z.number().nullable(),
  momentum: z.number().nullable(),
  volatility: z.number().nullable(),
  volume: z.number().nullable(),
})
export type SignalComponents = z.infer<typeof signalComponentsSchema>

export const signalReasonSchema = z.object({
  /** Which part of the score the reason explains; `timeframes` for the multi-timeframe step. */
  component: z.enum([...SIGNAL_COMPONENTS, 'timeframes']),
  /** Which way it pushes: `bull` toward buy, `bear` toward sell. */
  tone: z.enum(['bull', 'bear', 'neutral']),
  text: z.string(),
})
export type SignalReason = z.infer<typeof signalReasonSchema>

/** The signal of one symbol and timeframe at the close of one bar. */
export const signalSchema = z.object({
  source: z.string(),
  symbol: z.string(),
  timeframe: timeframeSchema,
  /** Open time of the bar the signal closed with (ms, UTC). */
  time: z.number().int(),
  profile: z.string(),
  /** 0 (strong sell) .. 100 (strong buy), 50 neutral, one decimal; after the higher timeframes. */
  score: z.number().min(0).max(100),
  /** The score from this timeframe alone, before the higher timeframes confirmed or damped it. */
  raw: z.number().min(0).max(100),
  /** Each component 0..100 (one decimal); null when the profile gives it no weight. */
  components: signalComponentsSchema,
  direction: signalDirectionSchema,
  /** 0..1 (three decimals): agreement of the components and timeframes, and ADX strength. */
  confidence: z.number().min(0).max(1),
  /** Most important first. */
  reasons: z.array(signalReasonSchema),
})
export type Signal = z.infer<typeof signalSchema>
