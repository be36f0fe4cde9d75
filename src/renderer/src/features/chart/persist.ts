import { timeframeSchema, type Timeframe } from '../../../../shared/domain/timeframes'

const KEY = 'candlework.trade.selection.v1'

export interface SavedSelection {
  source: string
  symbol: string
  timeframe: Timeframe
}

/**
 * The symbol and timeframe shown last time, if any were saved and still parse: of the list of
 * every symbol, or (`scope`) of one exchange's market, shown for an account on it.
 */
export function readSelection(scope?: string): SavedSelection | null {
  try {
    const raw = localStorage.getItem(keyOf(scope))
    if (!raw) return null
    const v = JSON.parse(raw) as Partial<Record<keyof SavedSelection, unknown>>
    const tf = timeframeSchema.safeParse(v.timeframe)
    if (typeof v.source !== 'string' || typeof v.symbol !== 'string' || !tf.success) return null
    return { source: v.source, symbol: v.symbol, timeframe: tf.data }
  } catch {
    return null
  }
}

const keyOf = (scope: string | undefined): string => (scope === undefined ? KEY : `${KEY}:${scope}`)

export function saveSelection(sel: SavedSelection, scope?: string): void {
  try {
    localStorage.setItem(keyOf(scope), JSON.stringify(sel))
  } catch {
    // Storage may be full or disabled; the choice just won't survive a restart.
  }
}
