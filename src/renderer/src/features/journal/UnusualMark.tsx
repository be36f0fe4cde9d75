import { useJournalStore } from './store'

/** A mark beside a trade whose return is unusual for its symbol; the reason in words on hover. */
export function UnusualMark({ tradeKey }: { tradeKey: string }) {
  const flag = useJournalStore((s) => s.unusual[tradeKey])
  if (!flag) return null
  return (
    <span className="jr-unusual" data-testid="journal-unusual" title={flag.reason} aria-label={flag.reason}>
      !
    </span>
  )
}
