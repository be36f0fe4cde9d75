import { z } from 'zod'
import { timeframeSchema, type Timeframe } from '../../../../shared/domain/timeframes'

/**
 * The Trade view's layout: one, two or four charts side by side, each with its own symbol and
 * timeframe, as on TradingView. The active chart is the one the symbol list, the toolbar, the
 * indicators, the drawings and the ticket act on (the trade store's selection); the others draw
 * their bars and follow their live feed. Pure: the store (`layout-store.ts`) keeps and saves it.
 */
export const LAYOUT_COUNTS = [1, 2, 4] as const
export type LayoutCount = (typeof LAYOUT_COUNTS)[number]
/** Charts remembered: going from four to two and back finds the last two as they were. */
export const MAX_CHARTS = 4

export interface ChartSlot {
  source: string
  symbol: string
  timeframe: Timeframe
}

export interface Layout {
  count: LayoutCount
  /** Index of the active chart, below `count`. */
  active: number
  /** Each chart's series (null: not chosen yet), `MAX_CHARTS` long. */
  charts: (ChartSlot | null)[]
  /** A symbol chosen on the active chart is shown on every chart (each keeps its timeframe). */
  linkSymbol: boolean
  /** The crosshair over one chart is shown at the same time on the others. */
  linkCrosshair: boolean
}

const slotSchema = z.object({
  source: z.string().min(1).max(64),
  symbol: z.string().min(1).max(64),
  timeframe: timeframeSchema,
})

/** What is saved; anything that does not parse falls back field by field to the default. */
const layoutSchema = z.object({
  count: z
    .number()
    .refine((n): n is LayoutCount => (LAYOUT_COUNTS as readonly number[]).includes(n))
    .catch(1),
  active: z
    .number()
    .int()
    .min(0)
    .max(MAX_CHARTS - 1)
    .catch(0),
  charts: z.array(slotSchema.nullable().catch(null)).max(MAX_CHARTS).catch([]),
  linkSymbol: z.boolean().catch(false),
  linkCrosshair: z.boolean().catch(true),
})

export const DEFAULT_LAYOUT: Layout = {
  count: 1,
  active: 0,
  charts: [null, null, null, null],
  linkSymbol: false,
  linkCrosshair: true,
}

/** A saved layout read back (from JSON text or null), always complete and consistent. */
export function parseLayout(raw: string | null): Layout {
  let value: unknown = {}
  try {
    value = raw === null ? {} : JSON.parse(raw)
  } catch {
    value = {}
  }
  const parsed = layoutSchema.safeParse(value ?? {})
  if (!parsed.success) return structuredClone(DEFAULT_LAYOUT)
  const v = parsed.data as Layout
  const charts = Array.from({ length: MAX_CHARTS }, (_, i) => v.charts[i] ?? null)
  return { ...v, charts, active: v.active < v.count ? v.active : 0 }
}

/**
 * The charts a window shows: all of the layout's when `capacity` allows, else the active one
 * and the first others, in their order (a 4-chart layout in a small window shows two rather
 * than four too small to read; the other two come back when the window grows).
 */
export function shownCharts(layout: Pick<Layout, 'count' | 'active'>, capacity: number): number[] {
  const all = Array.from({ length: layout.count }, (_, i) => i)
  if (layout.count <= capacity) return all
  const others = all.filter((i) => i !== layout.active).slice(0, Math.max(0, capacity - 1))
  return [layout.active, ...others].sort((a, b) => a - b)
}

/**
 * The layout with `count` charts: a chart newly shown without a series of its own starts as a
 * copy of the active one (TradingView does the same); the active chart stays active if still
 * shown, else the first becomes it.
 */
export function withCount(layout: Layout, count: LayoutCount, activeSlot: ChartSlot | null): Layout {
  const charts = layout.charts.map((c, i) => (i < count && c === null ? activeSlot : c))
  return { ...layout, count, charts, active: layout.active < count ? layout.active : 0 }
}

/**
 * The active chart now shows `slot` (the trader picked a symbol or timeframe): kept as its
 * series, and with the symbol linked, every other chart of the layout takes its symbol and
 * keeps its own timeframe where the symbol offers it (`fit` picks the nearest otherwise).
 */
export function withActiveSlot(
  layout: Layout,
  slot: ChartSlot,
  fit: (slot: ChartSlot, wanted: Timeframe) => Timeframe,
): Layout {
  const charts = layout.charts.map((c, i) => {
    if (i === layout.active) return slot
    if (!layout.linkSymbol || i >= layout.count) return c
    if (c && c.source === slot.source && c.symbol === slot.symbol) return c
    return { source: slot.source, symbol: slot.symbol, timeframe: fit(slot, c?.timeframe ?? slot.timeframe) }
  })
  const same = charts.every((c, i) => c === layout.charts[i])
  return same ? layout : { ...layout, charts }
}
