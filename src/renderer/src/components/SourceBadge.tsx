/**
 * Where bars come from. Simulated data is marked loudly wherever it appears, so nobody
 * mistakes the demo market for a real one.
 */
export function SourceBadge({ label, simulated }: { label: string; simulated: boolean }) {
  return (
    <span
      className={`badge ${simulated ? 'badge-sim' : 'badge-source'}`}
      data-testid="source-badge"
      title={
        simulated ? 'Synthetic prices generated on this computer, not a real market' : `Source: ${label}`
      }
    >
      {label}
    </span>
  )
}
