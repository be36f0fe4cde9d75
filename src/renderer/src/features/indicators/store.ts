import { create } from 'zustand'
import type {
  ChartIndicator,
  ChartSettings,
  IndicatorInfo,
  IndicatorTemplate,
  InstanceSeries,
  LiveIndicatorEvent,
} from '../../../../shared/contract/charting'
import type { Signal } from '../../../../shared/domain/signals'

export type LoadState = 'idle' | 'loading' | 'ready' | 'error'

/** Values of one instance over the chart's bars; what was asked travels with the answer. */
export interface InstanceData {
  /** The trade series (source, symbol, timeframe) the values belong to. */
  seriesKey: string
  /** The indicator and parameters they were computed with. */
  sig: string
  series: InstanceSeries
  time: number[]
  request: { to: number; limit: number }
}

export interface LiveIndicators {
  seriesKey: string
  /** Instance keys in the order the stream was opened with (the order of `event.values`). */
  keys: string[]
  event: LiveIndicatorEvent
}

export interface PickerState {
  open: boolean
  /** The instance being edited, or null to add a new one. */
  editing: string | null
}

interface IndicatorsState {
  catalogue: IndicatorInfo[]
  catalogueState: LoadState
  /** Whose settings are loaded: `source\0symbol`. */
  settingsFor: string | null
  settings: ChartSettings | null
  data: Record<string, InstanceData>
  /** Instances whose values are being fetched. */
  pending: Record<string, true>
  live: LiveIndicators | null
  picker: PickerState
  /** Signal score history of the shown series, for the markers. */
  signals: { seriesKey: string; list: Signal[] } | null
  /** Bars closed since the shown series was loaded (open times, ascending): asked for with it. */
  closedAfter: number[]
  /** The trader's named indicator templates, once asked for (the templates menu opened). */
  templates: IndicatorTemplate[] | null
}

export const useIndicatorsStore = create<IndicatorsState>()(() => ({
  catalogue: [],
  catalogueState: 'idle',
  settingsFor: null,
  settings: null,
  data: {},
  pending: {},
  live: null,
  picker: { open: false, editing: null },
  signals: null,
  closedAfter: [],
  templates: null,
}))

export const instanceSig = (ind: Pick<ChartIndicator, 'id' | 'params'>): string =>
  JSON.stringify([ind.id, Object.entries(ind.params).sort(([a], [b]) => (a < b ? -1 : 1))])

// Selectors.
export const selectIndicators = (s: IndicatorsState): ChartIndicator[] => s.settings?.indicators ?? EMPTY
const EMPTY: ChartIndicator[] = []

export function findInfo(catalogue: readonly IndicatorInfo[], id: string): IndicatorInfo | undefined {
  return catalogue.find((d) => d.id === id)
}
