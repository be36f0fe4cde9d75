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
    /**
     * True: these settings belong to this symbol alone. False (the default): they are the
     * trader's template, shown on every symbol that is not pinned, as on TradingView.
     */
    pinned: z.boolean().default(false),
  })
  .strict()
export type ChartSettings = z.infer<typeof chartSettingsSchema>

export const DEFAULT_CHART_SETTINGS: ChartSettings = {
  indicators: [],
  volume: true,
  markers: true,
  pinned: false,
}

/** At most this many named indicator templates. */
export const MAX_INDICATOR_TEMPLATES = 50

const templateNameSchema = z.string().trim().min(1, 'a name is required').max(60, 'at most 60 characters')

/** A named set of indicators the trader saved to apply on any chart. */
export const indicatorTemplateSchema = z
  .object({
    name: templateNameSchema,
    indicators: chartSettingsSchema.shape.indicators,
  })
  .strict()
export type IndicatorTemplate = z.infer<typeof indicatorTemplateSchema>

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
      "The chart settings of one symbol: indicator instances with parameters and colours, and which panes show. Those pinned to the symbol (`pinned: true`), else the trader's template that every unpinned symbol shows, else the defaults (also when the saved ones no longer parse).",
    params: z.object(marketRef).strict(),
    result: chartSettingsSchema,
  }),
  'charting.settings.set': command({
    description:
      "Saves the chart settings shown on one symbol: with `pinned: true` for that symbol alone; with `pinned: false` as the template every unpinned symbol shows (the symbol's own settings, if it had any, are dropped: it follows the template again). Every indicator and parameter is validated; the saved settings are returned.",
    params: z.object({ ...marketRef, settings: chartSettingsSchema }).strict(),
    result: chartSettingsSchema,
  }),
  'charting.settings.unpin': command({
    description:
      "Drops the settings pinned to one symbol: it shows the trader's template again, which is returned (the template itself is unchanged).",
    params: z.object(marketRef).strict(),
    result: chartSettingsSchema,
  }),
  'charting.templates.list': command({
    description: 'The named indicator templates, by name.',
    params: z.object({}).strict(),
    result: z.array(indicatorTemplateSchema),
  }),
  'charting.templates.save': command({
    description: `Saves a named indicator template (a name already used, ignoring case, is replaced). Every indicator and parameter is validated; at most ${MAX_INDICATOR_TEMPLATES} templates. Returns every template.`,
    params: z.object({ template: indicatorTemplateSchema }).strict(),
    result: z.array(indicatorTemplateSchema),
  }),
  'charting.templates.delete': command({
    description: 'Deletes a named indicator template (by name, ignoring case). Returns every template.',
    params: z.object({ name: templateNameSchema }).strict(),
    result: z.array(indicatorTemplateSchema),
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
