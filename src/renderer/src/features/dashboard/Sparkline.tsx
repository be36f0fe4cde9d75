/**
 * A price line without axes: the shape of the last hours at a glance. Drawn as SVG in a fixed
 * box (the values scaled to its height), green when the last close is above the first, red below.
 */
export function Sparkline({
  values,
  width = 96,
  height = 28,
}: {
  values: readonly number[]
  width?: number
  height?: number
}) {
  if (values.length < 2) return <span className="db-spark db-spark-none" style={{ width, height }} />
  let lo = Infinity
  let hi = -Infinity
  for (const v of values) {
    lo = Math.min(lo, v)
    hi = Math.max(hi, v)
  }
  const span = hi - lo || 1
  const step = width / (values.length - 1)
  const points = values.map(
    (v, i) => `${(i * step).toFixed(1)},${(height - 2 - ((v - lo) / span) * (height - 4)).toFixed(1)}`,
  )
  const up = values.at(-1)! >= values[0]!
  return (
    <svg
      className={`db-spark ${up ? 'up' : 'down'}`}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      aria-hidden="true"
    >
      <polyline
        points={points.join(' ')}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinejoin="round"
      />
    </svg>
  )
}
