import { useEffect, useState } from 'react'

/**
 * The engine's reason a market is not loaded, with its next try counted down on this page's clock
 * (`Binance markets not loaded: exchange unreachable, retrying in 8 s`).
 */
export function reasonWithRetry(reason: string, retryAt: number | null, now: number): string {
  if (retryAt === null) return reason.endsWith('…') ? reason : `${reason}, retrying now…`
  const secs = Math.ceil((retryAt - now) / 1000)
  return secs > 0 ? `${reason}, retrying in ${secs} s` : `${reason}, retrying now…`
}

/** `Date.now()`, re-rendered every second while `ticking` (for countdowns). */
export function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!ticking) return
    // At once (the last render may be long past), then every second.
    const first = setTimeout(() => setNow(Date.now()), 0)
    const h = setInterval(() => setNow(Date.now()), 1_000)
    return () => {
      clearTimeout(first)
      clearInterval(h)
    }
  }, [ticking])
  return now
}

/** The reason, counting down to the next try. */
export function RetryReason({
  reason,
  retryAt,
  detail,
  className,
  testId,
}: {
  reason: string
  retryAt: number | null
  detail: string | null
  className: string
  testId: string
}) {
  const now = useNow(retryAt !== null)
  return (
    <div className={className} data-testid={testId} role="status" title={detail ?? undefined}>
      {reasonWithRetry(reason, retryAt, now)}
    </div>
  )
}
