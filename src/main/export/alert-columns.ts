import type { Column } from './columns'

const col = (
  name: string,
  kind: Column['kind'],
  dflt: boolean,
  description: string,
  sql: string,
): Column => ({
  name,
  kind,
  default: dflt,
  description,
  sql,
})

const attempts = (ok: 0 | 1): string =>
  `(SELECT COUNT(*) FROM alert_deliveries d WHERE d.firing_id = t.id AND d.ok = ${ok} AND d.attempt > 0)`

/** The columns of `export alerts` (the alert history: one row per firing), in their default order. */
export const ALERT_COLUMNS: readonly Column[] = [
  col('time', 'time', true, 'when it fired (for "while you were away", the close of its bar)', 't.time'),
  col('alert', 'text', true, "the alert's name when it fired", 't.alert_name'),
  col(
    'kind',
    'text',
    true,
    'what fired it: compare, move, channel, volume_spike, signal_score, order, breaker, job, clock_skew, backup_failed, risk_limit_hit, trading_halted',
    't.kind',
  ),
  col('symbol', 'text', true, "the series' symbol, or the order's or event's", 't.symbol'),
  col(
    'timeframe',
    'text',
    true,
    "the series' timeframe; empty for events",
    "json_extract(t.series, '$.timeframe')",
  ),
  col('message', 'text', true, 'the message as shown and delivered', 't.message'),
  col(
    'values',
    'text',
    true,
    'the exact values that triggered it, as JSON ({"left":43250.5,"right":43250})',
    't.vals',
  ),
  col(
    'away',
    'boolean',
    true,
    'found on start, from bars that closed while the app was not running',
    '(t.away IS 1)',
  ),
  col('delivered', 'integer', true, 'delivery attempts that succeeded', attempts(1)),
  col('failed', 'integer', true, 'delivery attempts that failed (skipped ones not counted)', attempts(0)),
  col('bar_time', 'time', false, 'open time of the bar it fired on; empty for events', 't.bar_time'),
  col(
    'source',
    'text',
    false,
    "the series' source (demo, import:<name>, an exchange)",
    "json_extract(t.series, '$.source')",
  ),
  col('read', 'boolean', false, 'marked read', '(t.read IS 1)'),
  col('alert_id', 'text', false, "the alert's id", 't.alert_id'),
  col('firing_id', 'integer', false, "the firing's id", 't.id'),
]
