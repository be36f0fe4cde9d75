/**
 * Where the labels of the chart's order and position lines go: each as close to its own line
 * as it can be without covering another label, and inside the pane. Labels that would overlap
 * are gathered into a cluster, stacked one under the other, and the cluster is centred on its
 * lines (the mean of their heights), then kept inside the pane; clusters that then touch merge.
 * A label away from its line is joined to it by a short leader (the overlay draws it).
 */

export interface LabelSlot {
  id: string
  /** The line's height in the pane (CSS pixels from the top). */
  y: number
}

interface Cluster {
  ids: string[]
  sum: number
  top: number
}

/** Label centres by id. Slots are laid out in order of their lines, top to bottom. */
export function layoutLabels(
  slots: readonly LabelSlot[],
  paneHeight: number,
  labelHeight: number,
  gap = 2,
): Map<string, number> {
  const pitch = labelHeight + gap
  const span = (n: number): number => n * pitch - gap
  const place = (c: Cluster): void => {
    const n = c.ids.length
    const top = c.sum / n - labelHeight / 2 - ((n - 1) * pitch) / 2
    c.top = Math.max(0, Math.min(paneHeight - span(n), top))
  }
  const clusters: Cluster[] = []
  for (const s of [...slots].sort((a, b) => a.y - b.y || a.id.localeCompare(b.id))) {
    let c: Cluster = { ids: [s.id], sum: s.y, top: 0 }
    place(c)
    // Merge with the clusters above while they overlap.
    for (
      let prev = clusters.at(-1);
      prev && prev.top + span(prev.ids.length) + gap > c.top;
      prev = clusters.at(-1)
    ) {
      clusters.pop()
      c = { ids: [...prev.ids, ...c.ids], sum: prev.sum + c.sum, top: 0 }
      place(c)
    }
    clusters.push(c)
  }
  const out = new Map<string, number>()
  for (const c of clusters) c.ids.forEach((id, i) => out.set(id, c.top + i * pitch + labelHeight / 2))
  return out
}
