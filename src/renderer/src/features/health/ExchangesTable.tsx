import type { ExchangeConnectionHealth, HealthCheck, HealthSample } from '../../../../shared/contract/health'
import { Sparkline } from './Sparkline'
import { formatClock } from '../desk/format'
import {
  BREAKER_HELP,
  BREAKER_LABELS,
  endpointLabel,
  formatMs,
  formatSkew,
  formatStream,
  formatWeight,
  scoreClass,
  weightTitle,
} from './format'

/** One row per exchange connection: breaker, score, latency, clock skew, requests, weight, stream, last error. */
export function ExchangesTable({
  exchanges,
  checks,
  history,
}: {
  exchanges: ExchangeConnectionHealth[]
  checks: HealthCheck[]
  history: HealthSample[]
}) {
  if (exchanges.length === 0) {
    return (
      <div className="health-empty" data-testid="health-exchanges-empty">
        <p>No exchange connections yet.</p>
        <p className="health-dim">
          Add a live account, or a paper account on an exchange’s prices, with the Accounts… button of the
          Trade view’s trading panel. Its connection then appears here with its breaker state, latency, health
          score and clock skew.
        </p>
      </div>
    )
  }
  return (
    <div className="health-table-wrap">
      <table className="health-table" data-testid="health-exchanges">
        <thead>
          <tr>
            <th>Exchange</th>
            <th>Endpoint</th>
            <th>Breaker</th>
            <th className="r" title="0-100 from the recent success rate and p95 latency">
              Score
            </th>
            <th className="r">Latency p50</th>
            <th className="r">p95</th>
            <th className="r">p99</th>
            <th title="REST latency p95, one point a minute over the last two hours">Trend</th>
            <th className="r" title="The exchange's clock minus ours (+: the exchange is ahead)">
              Clock skew
            </th>
            <th className="r" title="Requests in the rolling window, and the share that succeeded">
              Requests
            </th>
            <th
              className="r"
              title="Request weight used against the exchange's limit, from its response headers"
            >
              Weight
            </th>
            <th title="The websocket stream and the age of its last message">Stream</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {exchanges.map((e) => (
            <Row
              key={e.exchange}
              e={e}
              check={checks.find((c) => c.item === `exchange:${e.exchange}`)}
              trend={history.map((h) => h.exchanges[e.exchange]?.p95 ?? null)}
            />
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Row({
  e,
  check,
  trend,
}: {
  e: ExchangeConnectionHealth
  check: HealthCheck | undefined
  trend: (number | null)[]
}) {
  const h = e.health
  const judged = check?.state ?? 'ok'
  return (
    <>
      <tr
        data-testid="health-exchange-row"
        data-exchange={e.exchange}
        data-state={h?.state ?? 'unused'}
        data-health={judged}
      >
        <td className="health-exchange">
          {e.exchange}
          {e.hasKeys && <span className="health-tag">keys</span>}
        </td>
        <td className="health-endpoint" title={endpointLabel(e)}>
          {endpointLabel(e)}
        </td>
        {h === null ? (
          <td colSpan={11} className="health-dim" data-testid="health-state">
            Not used since the engine started: figures appear with its first request.
          </td>
        ) : (
          <>
            <td data-testid="health-state" title={BREAKER_HELP[h.state]}>
              <span className={`health-state health-state-${h.state}`}>{BREAKER_LABELS[h.state]}</span>
              {h.state === 'open' && h.openUntil !== null && (
                <span className="health-dim"> until {formatClock(h.openUntil)}</span>
              )}
            </td>
            <td className={`r num ${scoreClass(h.score)}`} data-testid="health-score">
              {h.score ?? '—'}
            </td>
            <td className="r num" data-testid="health-latency">
              {formatMs(h.latencyMs.p50)}
            </td>
            <td className="r num">{formatMs(h.latencyMs.p95)}</td>
            <td className="r num">{formatMs(h.latencyMs.p99)}</td>
            <td>
              <Sparkline
                values={trend}
                label={`${e.exchange} REST latency p95, last two hours`}
                testId="health-latency-spark"
              />
            </td>
            <td
              className={`r num ${h.clockSkew && !h.clockSkew.withinWindow ? 'down' : ''}`}
              data-testid="health-skew"
              title={
                h.clockSkew && !h.clockSkew.withinWindow
                  ? 'Outside the receive window: signed requests are refused until the clock is fixed'
                  : undefined
              }
            >
              {formatSkew(h.clockSkew)}
            </td>
            <td className="r num" data-testid="health-requests">
              {h.samples}
              {h.successRate !== null && (
                <span className="health-dim"> · {Math.round(h.successRate * 100)}% ok</span>
              )}
            </td>
            <td className="r num" data-testid="health-weight" title={weightTitle(h.requestWeight)}>
              {formatWeight(h.requestWeight)}
            </td>
            <td
              className={h.websocket.state === 'disconnected' ? 'warn' : ''}
              data-testid="health-stream"
              data-stream={h.websocket.state}
            >
              {formatStream(h.websocket)}
            </td>
            <td className="health-error" title={h.lastError?.message}>
              {h.lastError ? (
                <>
                  {h.lastErrorAt !== null && (
                    <span className="health-dim">{formatClock(h.lastErrorAt)} </span>
                  )}
                  {h.lastError.message}
                </>
              ) : (
                <span className="health-dim">None</span>
              )}
            </td>
          </>
        )}
      </tr>
      {check && check.state !== 'ok' && (
        <tr className="health-advice-row" data-testid="health-exchange-advice" data-state={check.state}>
          <td colSpan={13}>
            <span className={`health-dot health-dot-${check.state}`} />
            {check.advice}
          </td>
        </tr>
      )}
    </>
  )
}
