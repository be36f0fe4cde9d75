import { formatPrice } from '../../lib/format'
import { formatQty, STATUS_LABELS } from '../desk/format'
import type { TicketOutcome } from '../desk/store'

/**
 * The answer to the last submit, under the ticket. A lost answer is "outcome unknown —
 * checking" (the order is being looked up by its id), never "rejected".
 */
export function TicketOutcomeLine({
  outcome,
  base,
  precision,
}: {
  outcome: TicketOutcome
  base: string
  precision: number
}) {
  return (
    <div
      className={`tk-outcome tk-outcome-${outcome.kind}`}
      data-testid="ticket-outcome"
      data-kind={outcome.kind}
      data-id={
        outcome.kind === 'placed'
          ? outcome.order.clientOrderId
          : outcome.kind === 'rejected'
            ? undefined
            : outcome.clientOrderId
      }
      role={outcome.kind === 'rejected' ? 'alert' : 'status'}
    >
      {outcome.kind === 'rejected' && (
        <>
          <strong>Rejected</strong> {outcome.message}
        </>
      )}
      {outcome.kind === 'unknown' && (
        <>
          <strong>Outcome unknown — checking</strong> The connection dropped before the engine answered; the
          order is looked up by its id as soon as the link is back. Submitting again re-uses that id, so it
          cannot be placed twice.
        </>
      )}
      {outcome.kind === 'not_placed' && (
        <>
          <strong>Not placed</strong> {outcome.message}
        </>
      )}
      {outcome.kind === 'placed' && (
        <>
          <strong>{STATUS_LABELS[outcome.order.status]}</strong>{' '}
          {outcome.order.side === 'buy' ? 'buy' : 'sell'}{' '}
          {formatQty(outcome.order.filled !== '0' ? outcome.order.filled : outcome.order.amount)} {base}
          {outcome.order.average !== null && <> @ {formatPrice(outcome.order.average, precision)}</>}
          {outcome.order.average === null && outcome.order.price !== null && (
            <> @ {formatPrice(outcome.order.price, precision)}</>
          )}
        </>
      )}
    </div>
  )
}
