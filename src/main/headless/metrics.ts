import type { ServerResponse } from 'node:http'
import type { HealthSummary } from '../../shared/contract/health'
import type { Engine } from '../engine'
import { reply } from './responses'

/** Answers `GET /metrics` (the caller checked the token): `health.summary` through the registry. */
export async function serveMetrics(engine: Pick<Engine, 'registry'>, res: ServerResponse): Promise<void> {
  const result = await engine.registry.invoke('health.summary', {}, { transport: 'memory', peer: 'metrics' })
  if (!result.ok) {
    reply(res, 503, { error: result.error.message })
    return
  }
  res.writeHead(200, {
    'Cache-Control': 'no-store',
    'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
  })
  res.end(formatMetrics(result.value as HealthSummary))
}

/**
 * The health figures in Prometheus' text exposition format (version 0.0.4), for `GET /metrics`
 * (token required): one gauge per figure, exchanges labelled by id. Names are `candlework_*`,
 * seconds and bytes as Prometheus wants them.
 */
export function formatMetrics(s: HealthSummary): string {
  const out: string[] = []
  const gauge = (name: string, help: string, samples: [Record<string, string>, number | null][]): void => {
    const present = samples.filter(
      (x): x is [Record<string, string>, number] => x[1] !== null && Number.isFinite(x[1]),
    )
    if (present.length === 0) return
    out.push(`# HELP candlework_${name} ${help}`, `# TYPE candlework_${name} gauge`)
    for (const [labels, value] of present) out.push(`candlework_${name}${labelText(labels)} ${value}`)
  }
  gauge('uptime_seconds', 'Seconds since the engine started.', [[{}, s.engine.uptimeMs / 1000]])
  const p = s.engine.process
  gauge('event_loop_delay_p50_seconds', 'Event-loop delay, median, over the last few seconds.', [
    [{}, p?.eventLoopP50Ms == null ? null : p.eventLoopP50Ms / 1000],
  ])
  gauge('event_loop_delay_p99_seconds', 'Event-loop delay, 99th percentile, over the last few seconds.', [
    [{}, p?.eventLoopP99Ms == null ? null : p.eventLoopP99Ms / 1000],
  ])
  gauge('process_resident_memory_bytes', 'Resident memory of the engine process.', [
    [{}, p?.rssBytes ?? null],
  ])
  gauge('process_heap_used_bytes', 'JavaScript heap in use.', [[{}, p?.heapUsedBytes ?? null]])
  gauge('process_cpu_share', 'CPU time over wall time in the last few seconds (1 = one core busy).', [
    [{}, p?.cpuShare ?? null],
  ])
  gauge(
    'check_state',
    'Each judged Health item (docs/HEALTH.md): 0 ok, 1 warning, 2 critical.',
    s.checks.map((c) => [{ item: c.item }, STATE_VALUE[c.state]]),
  )
  gauge('database_schema_version', 'Migrations applied to the database.', [[{}, s.database.schemaVersion]])
  gauge('database_size_bytes', 'Bytes of the database file.', [[{}, s.database.sizeBytes]])
  gauge('database_wal_bytes', 'Bytes of the write-ahead log.', [[{}, s.database.walBytes]])
  gauge('database_damaged', '1 when the integrity check found damage.', [
    [{}, s.database.openCheck.result === 'damaged' ? 1 : 0],
  ])
  gauge('backup_last_verified_age_seconds', 'Age of the newest verified backup still on disk.', [
    [{}, s.backup.ageMs === null ? null : s.backup.ageMs / 1000],
  ])
  gauge('backup_state', 'The backup item: 0 ok, 1 warning, 2 critical.', [[{}, STATE_VALUE[s.backup.state]]])
  const ex = (f: (h: NonNullable<HealthSummary['exchanges'][number]['health']>) => number | null) =>
    s.exchanges.map((e): [Record<string, string>, number | null] => [
      { exchange: e.exchange },
      e.health ? f(e.health) : null,
    ])
  gauge(
    'exchange_health_score',
    "The exchange connection's health score.",
    ex((h) => h.score),
  )
  gauge(
    'exchange_breaker_open',
    '1 while the circuit breaker is open or half-open.',
    ex((h) => (h.state === 'closed' ? 0 : 1)),
  )
  gauge(
    'exchange_success_ratio',
    'Share of recent requests that succeeded.',
    ex((h) => h.successRate),
  )
  for (const q of ['p50', 'p95', 'p99'] as const) {
    gauge(
      `exchange_latency_${q}_seconds`,
      `REST latency, ${q}, over the recent window.`,
      ex((h) => (h.latencyMs[q] === null ? null : h.latencyMs[q]! / 1000)),
    )
  }
  gauge(
    'exchange_clock_offset_seconds',
    "The exchange's clock minus ours.",
    ex((h) => (h.clockSkew === null ? null : h.clockSkew.offsetMs / 1000)),
  )
  gauge(
    'exchange_request_weight_used',
    'Request weight used, as the exchange last said it (response headers).',
    ex((h) => h.requestWeight?.used ?? null),
  )
  gauge(
    'exchange_request_weight_limit',
    "The exchange's request weight limit for the same interval.",
    ex((h) => h.requestWeight?.limit ?? null),
  )
  gauge(
    'exchange_websocket_connected',
    '1 while a websocket of the exchange is open, 0 when its sockets dropped (absent when it polls or streams nothing).',
    ex((h) => (h.websocket.state === 'connected' ? 1 : h.websocket.state === 'disconnected' ? 0 : null)),
  )
  gauge(
    'exchange_websocket_last_message_age_seconds',
    'Seconds since the last websocket message of the exchange.',
    ex((h) => (h.websocket.lastMessageAgeMs === null ? null : h.websocket.lastMessageAgeMs / 1000)),
  )
  gauge(
    'trading_state',
    'Trading state (risk engine): 0 ACTIVE, 1 REDUCING, 2 HALTED; scope global or an account id.',
    s.trading
      ? [
          [{ scope: 'global' }, TRADING_VALUE[s.trading.global.state]],
          ...s.trading.accounts.map((a): [Record<string, string>, number] => [
            { scope: a.accountId },
            TRADING_VALUE[a.state.state],
          ]),
        ]
      : [],
  )
  gauge(
    'exchange_requests',
    'Requests in the rolling window the exchange figures are computed over.',
    ex((h) => h.samples),
  )
  const feed = (f: HealthSummary['feeds'][number]) => ({
    source: f.source,
    symbol: f.symbol,
    timeframe: f.timeframe,
  })
  gauge(
    'feed_last_bar_age_seconds',
    "Seconds since the open of a followed series' newest bar.",
    s.feeds.map((f): [Record<string, string>, number] => [feed(f), f.ageMs / 1000]),
  )
  gauge(
    'feed_missing_bars',
    "Bars missing from a followed series' newest stored bars (absent when nothing is stored).",
    s.feeds.map((f): [Record<string, string>, number | null] => [feed(f), f.gaps?.missingBars ?? null]),
  )
  return out.join('\n') + '\n'
}

const STATE_VALUE = { ok: 0, warning: 1, critical: 2 } as const
const TRADING_VALUE = { ACTIVE: 0, REDUCING: 1, HALTED: 2 } as const

function labelText(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`,
  )
  return parts.length === 0 ? '' : `{${parts.join(',')}}`
}
