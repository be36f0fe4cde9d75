import { useShellStore } from './store'

const LABELS = { connecting: 'Connecting…', open: 'Connected', closed: 'Disconnected' } as const

/** The state of the link to the engine, always visible in the top bar. */
export function ConnectionIndicator() {
  const connection = useShellStore((s) => s.connection)
  return (
    <div className="conn" data-testid="connection" data-state={connection} role="status" aria-live="polite">
      <span className="conn-dot" aria-hidden="true" />
      {LABELS[connection]}
    </div>
  )
}
