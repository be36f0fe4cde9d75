import { z } from 'zod'
import { timeframeSchema } from '../domain/timeframes'
import { command, stream } from './define'
import { MAX_BARS_PER_REQUEST, TOO_MANY_BARS } from './market'

/** At most this many indicator instances per chart (and per request). */
export const MAX_INDICATOR_INSTANCES = 16

/**
 * Bars times instances one `charting.series` call may ask for: 100,000 bars with ten indicators,
 * or all sixteen over 62,500. Keeps one answer under about 60 MB of JSON.
 */
export const MAX_SERIES_VALUES = 1_000_000

const marketRef = {
  source: z.string().min(1).max(64),
  symbol: z.string().min(1).max(64),
}

const numberParamSchema = z.object({
  name: z.string(),
  kind: z.enum(['integer', 'number']),
  default: z.number(),
  min: z.number(),
  /** When true the value must be strictly greater than `min`. */
  exclusiveMin: z.boolean(),
  description: z.string(),
})

const choiceParamSchema = z.object({
  name: z.string(),
  kind: z.literal('choice'),
  default: z.string(),
  choices: z.array(z.string()),
  description: z.string(),
})

export const paramInfoSchema = z.discriminatedUnion('kind', [numberParamSchema, choiceParamSchema])
export type ParamInfo = z.infer<typeof paramInfoSchema>

export const plotKindSchema = z.enum(['line', 'histogram', 'dots', 'none'])
export type PlotKind = z.infer<typeof plotKindSchema>

export const indicatorInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  /** Drawn over the price (`overlay`) or in a pane of its own below it (`separate`). */
  pane: z.enum(['overlay', 'separate']),
  /** Candle fields it reads. */
  inputs: z.array(z.string()),
  params: z.array(paramInfoSchema),
  outputs: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      /** `none`: a value for the legend and signals, not drawn. */
      plot: plotKindSchema,
      /** True when the chart draws it shifted (Ichimoku's spans); the bars come with each series. */
      shifted: z.boolean(),
    }),
  ),
  /** How the first shown values are made right (warm-up history), for the tooltip. */
  warmup: z.string(),
})
export type IndicatorInfo = z.infer<typeof indicatorInfoSchema>

export const paramValuesSchema = z.record(
  z.string().min(1).max(32),
  z.union([z.number(), z.string().max(32)]),
)
export type ParamValuesInput = z.infer<typeof paramValuesSchema>

/** One indicator with its parameters; missing parameters take their defaults. */
export const indicatorInstanceSchema = z
  .object({
    id: z.string().min(1).max(32),
    params: paramValuesSchema.default({}),
  })
  .strict()
export type IndicatorInstance = z.infer<typeof indicatorInstanceSchema>

const instancesSchema = z.array(indicatorInstanceSchema).max(MAX_INDICATOR_INSTANCES)

/** A value per bar; null during warm-up (and wherever the indicator is undefined). */
const valueColumnSchema = z.array(z.number().nullable())

export const seriesOutputSchema = z.object({
  name: z.string(),
  plot: plotKindSchema,
  /** Bars to shift the line by when drawing it (+ = right, into the future). */
  offset: z.number().int(),
  /** One value per bar of `time`, on the bar it was computed from (not shifted). */
  values: valueColumnSchema,
  /**
   * For outputs shifted right: the values of the `offset` bars just before the first bar of
   * `time` (oldest first), which a chart draws over the first bars. Empty otherwise.
   */
  before: valueColumnSchema,
})
export type SeriesOutput = z.infer<typeof seriesOutputSchema>

export const instanceSeriesSchema = z.object({
  id: z.string(),
  /** The parameters used, defaults filled in. */
  params: z.record(z.string(), z.union([z.number(), z.string()])),
  /** Open time of the first bar the computation started from (warm-up included); null without bars. */
  from: z.number().nullable(),
  /** Bars computed before the first returned bar. */
  warmupBars: z.number().int(),
  /**
   * True when the warm-up rule was met (or the computation started at the first bar of the
   * history), so the first returned values equal a full-history computation.
   */
  complete: z.boolean(),
  outputs: z.array(seriesOutputSchema),
})
export type InstanceSeries = z.infer<typeof instanceSeriesSchema>

export const liveIndicatorEventSchema = z.object({
  /** Open time of the bar the values belong to. */
  time: z.number(),
  /** True once, with the committed values, when the bar closes; false for the forming bar's preview. */
  closed: z.boolean(),
  /** Per instance (request order), per output (descriptor order): the value at `time`. */
  values: z.array(z.array(z.number().nullable())),
})
export type LiveIndicatorEvent = z.infer<typeof liveIndicatorEventSchema>

/** `#rrggbb` or `#rrggbbaa`. */
export const colorSchema = z.string().regex(/^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/, 'a colour as #rrggbb')

export const chartIndicatorSchema = z
  .object({
    /** Stable id of this instance on the chart (two SMAs have different keys). */
    key: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _'),
    id: z.string().min(1).max(32),
    params: paramValuesSchema.default({}),
    /** Colour per output name; outputs left out use the chart's default colours. */
    colors: z.record(z.string().min(1).max(32), colorSchema).default({}),
    visible: z.boolean().default(true),
  })
  .strict()
export type ChartIndicator = z.infer<typeof chartIndicatorSchema>

export const chartSettingsSchema = z
  .object({
    indicators: z
      .array(chartIndicatorSchema)
      .max(MAX_INDICATOR_INSTANCES)
      .default([])
      .refine(
        (list) => new Set(list.map((i) => i.key)).size === list.length,
        'indicator keys must be unique',
      ),
    /** Volume histogram in the bottom of the price pane. */
    volume: z.boolean().default(true),
    /** Signal score markers on the candles. */
    markers: z.boolean().default(true),
  })
  .strict()
export type ChartSettings = z.infer<typeof chartSettingsSchema>

export const DEFAULT_CHART_SETTINGS: ChartSettings = { indicators: [], volume: true, markers: true }

export const chartingContract = {
  'charting.indicators': command({
    description:
      'Every indicator the chart offers, for the picker: parameters with defaults, minimums and choices, outputs and how they are drawn, and the warm-up convention.',
    params: z.object({}).strict(),
    result: z.array(indicatorInfoSchema),
  }),
  'charting.series': command({
    description:
      'Indicator values over the bars `market.candles` returns for the same source, symbol, timeframe, `to` and `limit`. Each instance is computed from enough history before the first bar (its warm-up) that the first values equal a full-history computation; columns are aligned to `time`, null during warm-up. At most 100,000 bars, and `limit` × instances at most 1,000,000.',
    params: z
      .object({
        ...marketRef,
        timeframe: timeframeSchema,
        instances: instancesSchema,
        to: z.number().int().optional(),
        limit: z.number().int().min(1).max(MAX_BARS_PER_REQUEST, TOO_MANY_BARS).default(1000),
      })
      .strict()
      .refine((p) => p.limit * p.instances.length <= MAX_SERIES_VALUES, {
        path: ['limit'],
        error: `at most ${MAX_SERIES_VALUES} bars × instances per request: ask for fewer bars or fewer indicators`,
      }),
    result: z.object({ time: z.array(z.number()), instances: z.array(instanceSeriesSchema) }),
  }),
  'charting.live': stream({
    description:
      'Indicator values of a live symbol as its forming bar changes: the preview of the forming bar whenever a value changes, and the committed values once when a bar closes. Warm-up is anchored at `from` (the first bar a chart shows, as in `charting.series`); bars closed after `after` are sent first. Only changed points are sent.',
    params: z
      .object({
        ...marketRef,
        timeframe: timeframeSchema,
        instances: instancesSchema.min(1),
        from: z.number().int(),
        after: z.number().int(),
      })
      .strict(),
    event: liveIndicatorEventSchema,
  }),
  'charting.settings.get': command({
    description:
      'The chart settings of one symbol: indicator instances with parameters and colours, and which panes show. Defaults when none are saved (or the saved ones no longer parse).',
    params: z.object(marketRef).strict(),
    result: chartSettingsSchema,
  }),
  'charting.settings.set': command({
    description:
      'Saves the chart settings of one symbol. Every indicator and parameter is validated; the saved settings are returned.',
    params: z.object({ ...marketRef, settings: chartSettingsSchema }).strict(),
    result: chartSettingsSchema,
  }),
}

/**
 * The zod schema of one indicator's parameters, built from its descriptor: the picker's form
 * validates with it and the messages match the engine's.
 */
export function paramsSchemaFor(params: readonly ParamInfo[]): z.ZodType<Record<string, number | string>> {
  const shape: Record<string, z.ZodType> = {}
  for (const p of params) {
    if (p.kind === 'choice') {
      shape[p.name] = z.enum(p.choices as [string, ...string[]], {
        error: `must be one of ${p.choices.join(', ')}`,
      })
      continue
    }
    const what = p.kind === 'integer' ? 'an integer' : 'a number'
    const bound = `${p.exclusiveMin ? '>' : '>='} ${p.min}`
    let n = z.number({ error: `must be ${what} ${bound}` })
    if (p.kind === 'integer') n = n.int({ error: `must be ${what} ${bound}` })
    n = p.exclusiveMin
      ? n.gt(p.min, { error: `must be ${what} ${bound}` })
      : n.gte(p.min, { error: `must be ${what} ${bound}` })
    shape[p.name] = n
  }
  return z.object(shape).strict() as unknown as z.ZodType<Record<string, number | string>>
}
