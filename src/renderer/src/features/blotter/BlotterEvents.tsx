import type { ReconciliationEvent } from '../../../../shared/domain/trading'
import { DataTable, timeColumn, type Column } from './BlotterTable'
import { useTradingStore } from '../desk/store'

const EVENT_LABELS: Record<ReconciliationEvent['kind'], string> = {
  unknown_order: 'Unknown order',
  missed_fill: 'Missed fill',
  state_mismatch: 'State mismatch',
  intent_resolved: 'Resolved',
  intent_not_placed: 'Not placed',
}

const EVENT_COLUMNS: Column<ReconciliationEvent>[] = [
  timeColumn((e) => e.time),
  {
    header: 'Kind',
    cell: (e) => <span className={`bl-event bl-event-${e.kind}`}>{EVENT_LABELS[e.kind]}</span>,
  },
  { header: 'Symbol', cell: (e) => e.symbol ?? '—' },
  { header: 'What happened', className: 'bl-note-wide', cell: (e) => e.detail },
]

/** The Reconciliation tab: differences between our records and the venue. */
export function Events() {
  const events = useTradingStore((s) => s.events)
  const state = useTradingStore((s) => s.lists.events)
  return (
    <DataTable
      testId="reconciliation"
      rows={events}
      columns={EVENT_COLUMNS}
      rowKey={(e) => e.id}
      rowData={() => ({ 'data-testid': 'reconciliation-row' })}
      state={state}
      empty="No differences: our orders and fills agree with the venue."
    />
  )
}
