import type { FeedHealth } from '../../../../shared/contract/health'
import { formatUtc } from '../../lib/format'
import { formatAge } from './format'

const STATE_CLASS = { ok: '', warning: 'warn', critical: 'down' } as const

/**
 * The series followed live now (charts, alerts, strategy runs, the signals): the age of the newest
 * bar in time and in bar lengths, and the gaps found in the newest stored bars. What to do about an
 * amber or red one is in the list of checks above.
 */
export function FeedsTable({ feeds }: { feeds: FeedHealth[] }) {
  if (feeds.length === 0) {
    return (
      <div className="health-empty" data-testid="health-feeds-empty">
        <p>No series is followed live right now.</p>
        <p className="health-dim">
          A chart, an alert or a running strategy follows its series; each then appears here with the age of
          its last bar and any gaps in its stored history.
        </p>
      </div>
    )
  }
  return (
    <div className="health-table-wrap">
      <table className="health-table" data-testid="health-feeds">
        <thead>
          <tr>
            <th>Series</th>
            <th>Source</th>
            <th className="r" title="Charts, alerts, strategy runs and signal feeds following it">
              Followers
            </th>
            <th
              className="r"
              title="Now minus the open time of the newest bar: amber after 2 bar lengths, red after 5"
            >
              Last bar
            </th>
            <th className="r" title="Bars missing from the newest stored bars (up to 1,000) of the series">
              Gaps
            </th>
          </tr>
        </thead>
        <tbody>
          {feeds.map((f) => (
            <tr
              key={`${f.source}|${f.symbol}|${f.timeframe}`}
              data-testid="health-feed-row"
              data-source={f.source}
              data-symbol={f.symbol}
              data-timeframe={f.timeframe}
              data-health={f.state}
            >
              <td>
                {f.symbol} <span className="health-dim">{f.timeframe}</span>
              </td>
              <td>{f.source}</td>
              <td className="r num">{f.subscribers}</td>
              <td
                className={`r num ${STATE_CLASS[f.state]}`}
                data-testid="health-feed-age"
                title={
                  f.lastBarTime === null ? 'No bar yet' : `Newest bar opened ${formatUtc(f.lastBarTime)}`
                }
              >
                {f.lastBarTime === null ? 'none yet' : `${formatAge(f.ageMs)} ago`}{' '}
                <span className="health-dim">({f.ageBars.toFixed(1)} bars)</span>
              </td>
              <td
                className={`r num ${f.gaps && f.gaps.missingBars > 0 ? 'warn' : ''}`}
                data-testid="health-feed-gaps"
                title={
                  f.gaps?.latest
                    ? `Newest gap: ${f.gaps.latest.missing} bar(s) from ${formatUtc(f.gaps.latest.from)}`
                    : undefined
                }
              >
                {f.gaps === null
                  ? 'not stored'
                  : f.gaps.missingBars === 0
                    ? `none in ${f.gaps.bars} bars`
                    : `${f.gaps.missingBars} missing in ${f.gaps.count} gap${f.gaps.count === 1 ? '' : 's'}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
