/**
 * Keeping the trader's view of a chart when its bars are loaded again (after a reconnect):
 * plain arithmetic on logical ranges (bar indices, fractions allowed), as lightweight-charts
 * measures them.
 */
/** Bars as the chart holds them: `time` in seconds (UTCTimestamp), ascending. */
type Bars = readonly { time: number }[]

/** The visible logical range before a reload, pinned to one bar: the last if the view followed it. */
export interface ViewAnchor {
  from: number
  to: number
  index: number
  time: number
  following: boolean
}

/** Where the view is (`range`, lightweight-charts' visible logical range) over `data`. */
export function viewAnchor(range: { from: number; to: number } | null, data: Bars): ViewAnchor | null {
  const last = data.length - 1
  if (!range || last < 0) return null
  const following = range.to >= last
  const index = following ? last : Math.max(0, Math.min(last, Math.floor(range.from)))
  return { from: range.from, to: range.to, index, time: data[index]!.time, following }
}

/**
 * The same zoom and scroll on the reloaded bars: a view that showed the latest bar still shows
 * the latest (bars that closed meanwhile push it along, as live updates would have); any other
 * view stays on the bars it showed, found by time. Null (start afresh) when that bar is gone.
 */
export function viewAfterReload(anchor: ViewAnchor, data: Bars): { from: number; to: number } | null {
  let index: number
  if (anchor.following) index = data.length - 1
  else {
    index = firstAtOrAfter(data, anchor.time)
    if (index >= data.length || data[index]!.time !== anchor.time) return null
  }
  if (index < 0) return null
  const shift = index - anchor.index
  return { from: anchor.from + shift, to: anchor.to + shift }
}

function firstAtOrAfter(data: Bars, time: number): number {
  let lo = 0
  let hi = data.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (data[mid]!.time < time) lo = mid + 1
    else hi = mid
  }
  return lo
}
