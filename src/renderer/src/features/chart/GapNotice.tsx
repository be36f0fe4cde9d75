import type { Gap } from '../../../../shared/domain/candles'
import type { Timeframe } from '../../../../shared/domain/timeframes'
import { formatBarTime } from '../../lib/format'

/** Missing bars are reported, never filled in. */
export function GapNotice({ gaps, timeframe }: { gaps: readonly Gap[]; timeframe: Timeframe }) {
  const missing = gaps.reduce((n, g) => n + g.missing, 0)
  const detail = gaps
    .slice(0, 12)
    .map(
      (g) => `${formatBarTime(g.from, timeframe)} – ${formatBarTime(g.to, timeframe)} (${g.missing} missing)`,
    )
    .join('\n')
  const more = gaps.length > 12 ? `\n… and ${gaps.length - 12} more` : ''
  return (
    <div
      className="gap-notice"
      data-testid="gap-notice"
      role="note"
      title={`Bars missing from the source, shown as they are (not filled):\n${detail}${more}`}
    >
      {gaps.length} {gaps.length === 1 ? 'gap' : 'gaps'} in this range · {missing} missing{' '}
      {missing === 1 ? 'bar' : 'bars'}
    </div>
  )
}
