/**
 * A small line of recent values (the health ring's minutes, then the last readings), scaled
 * from zero to the largest value; missing values break nothing, they are left out.
 */
export function Sparkline({
  values,
  label,
  testId,
}: {
  values: (number | null)[]
  label: string
  testId?: string
}) {
  const W = 120
  const H = 24
  const points = values
    .map((v, i) => [i, v] as const)
    .filter((p): p is readonly [number, number] => p[1] !== null && Number.isFinite(p[1]))
  if (points.length < 2) {
    return (
      <span className="health-spark-empty health-dim" data-testid={testId} data-points={points.length}>
        collecting…
      </span>
    )
  }
  // A quarter of headroom, so a flat line does not sit on the box's edge.
  const top = (Math.max(...points.map((p) => p[1])) || 1) * 1.25
  const last = values.length - 1 || 1
  const d = points
    .map(([i, v]) => `${((i / last) * W).toFixed(1)},${(H - 1 - (v / top) * (H - 2)).toFixed(1)}`)
    .join(' ')
  return (
    <svg
      className="health-spark"
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={label}
      data-testid={testId}
      data-points={points.length}
    >
      <title>{label}</title>
      <polyline points={d} fill="none" stroke="currentColor" strokeWidth="1.25" />
    </svg>
  )
}
