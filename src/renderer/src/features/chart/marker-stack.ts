import type { SeriesMarker, Time } from 'lightweight-charts'

/**
 * One marker per bar and side: a signal turn and fills on the same bar (or several fills)
 * each drew their own label at the same spot, on top of each other. They become one marker,
 * the first one's shape and colour, whose label lists each distinct text once, in order.
 * Markers keep time order (lightweight-charts wants them sorted).
 */
export function stackMarkers(markers: readonly SeriesMarker<Time>[]): SeriesMarker<Time>[] {
  const out: SeriesMarker<Time>[] = []
  const at = new Map<string, { marker: SeriesMarker<Time>; texts: string[] }>()
  for (const m of markers) {
    const key = `${String(m.time)}|${m.position}`
    const seen = at.get(key)
    if (!seen) {
      const marker = { ...m }
      at.set(key, { marker, texts: m.text ? [m.text] : [] })
      out.push(marker)
      continue
    }
    if (m.text && !seen.texts.includes(m.text)) {
      seen.texts.push(m.text)
      seen.marker.text = seen.texts.join(' · ')
    }
  }
  return out.sort((a, b) => (a.time as number) - (b.time as number))
}
