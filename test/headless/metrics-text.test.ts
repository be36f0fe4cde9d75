import { describe, expect, it } from 'vitest'
import { formatMetrics } from '../../src/main/headless/metrics'
import type { HealthSummary } from '../../src/shared/contract/health'

const summary: HealthSummary = {
  engine: {
    version: '1.2.3',
    host: 'headless',
    startedAt: 0,
    uptimeMs: 90_000,
    process: {
      eventLoopP50Ms: 10.5,
      eventLoopP99Ms: 250,
      rssBytes: 123_456_789,
      heapUsedBytes: 40_000_000,
      heapTotalBytes: 60_000_000,
      cpuShare: 0.02,
    },
  },
  database: {
    schemaVersion: 19,
    sizeBytes: 4096,
    walBytes: 0,
    openCheck: { result: 'ok', timing: 'at-open', checkedAt: 0, durationMs: 1, problems: [] },
  },
  backup: { lastVerifiedAt: 0, ageMs: 3_600_000, state: 'ok', advice: null },
  exchanges: [
    {
      exchange: 'bin"ance',
      endpoint: 'custom',
      apiUrl: 'http://127.0.0.1:1',
      hasKeys: false,
      health: {
        exchange: 'bin"ance',
        state: 'open',
        score: 12,
        successRate: 0.5,
        samples: 8,
        consecutiveFailures: 4,
        latencyMs: { p50: 20, p95: 150, p99: null },
        openUntil: 1,
        lastError: null,
        lastErrorAt: null,
        clockSkew: null,
        requestWeight: { used: 1200, limit: 6000, share: 0.2, intervalMs: 60_000, at: 1 },
        websocket: { state: 'disconnected', clients: 0, lastMessageAt: 1, lastMessageAgeMs: 2500 },
      },
    },
  ],
  checks: [
    { item: 'exchange:bin"ance', label: 'x', state: 'critical', advice: 'a' },
    { item: 'engine.event-loop', label: 'y', state: 'critical', advice: 'b' },
    { item: 'engine.cpu', label: 'z', state: 'ok', advice: null },
  ],
  history: [],
  trading: {
    global: { scope: 'global', state: 'ACTIVE', reason: 'default', setBy: 'trader', since: 0, until: null },
    accounts: [
      {
        accountId: 'paper-1',
        accountName: 'Paper',
        state: { scope: 'paper-1', state: 'HALTED', reason: 'daily loss', setBy: 'rule', since: 0, until: 9 },
      },
    ],
  },
  feeds: [
    {
      source: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      subscribers: 2,
      lastBarTime: 0,
      ageMs: 90_000,
      ageBars: 1.5,
      gaps: { bars: 1000, count: 1, missingBars: 3, latest: { from: 0, to: 120_000, missing: 3 } },
      state: 'warning',
      advice: 'a',
    },
    {
      source: 'demo',
      symbol: 'ETH/USDT',
      timeframe: '5m',
      subscribers: 1,
      lastBarTime: 0,
      ageMs: 1_500,
      ageBars: 0.005,
      gaps: null,
      state: 'ok',
      advice: null,
    },
  ],
}

describe('the /metrics text', () => {
  it('exports the engine, check and exchange figures in Prometheus units, labels escaped, absent figures left out', () => {
    const text = formatMetrics(summary)
    expect(text).toContain(
      '# HELP candlework_event_loop_delay_p99_seconds Event-loop delay, 99th percentile, over the last few seconds.\n' +
        '# TYPE candlework_event_loop_delay_p99_seconds gauge\ncandlework_event_loop_delay_p99_seconds 0.25\n',
    )
    expect(text).toMatch(/^candlework_event_loop_delay_p50_seconds 0.0105$/m)
    expect(text).toMatch(/^candlework_process_resident_memory_bytes 123456789$/m)
    expect(text).toMatch(/^candlework_process_heap_used_bytes 40000000$/m)
    expect(text).toMatch(/^candlework_process_cpu_share 0.02$/m)
    expect(text).toMatch(/^candlework_check_state\{item="exchange:bin\\"ance"\} 2$/m)
    expect(text).toMatch(/^candlework_check_state\{item="engine.cpu"\} 0$/m)
    expect(text).toMatch(/^candlework_exchange_breaker_open\{exchange="bin\\"ance"\} 1$/m)
    expect(text).toMatch(/^candlework_exchange_latency_p95_seconds\{exchange="bin\\"ance"\} 0.15$/m)
    expect(text).toMatch(/^candlework_exchange_requests\{exchange="bin\\"ance"\} 8$/m)
    expect(text).toMatch(/^candlework_exchange_request_weight_used\{exchange="bin\\"ance"\} 1200$/m)
    expect(text).toMatch(/^candlework_exchange_request_weight_limit\{exchange="bin\\"ance"\} 6000$/m)
    expect(text).toMatch(/^candlework_exchange_websocket_connected\{exchange="bin\\"ance"\} 0$/m)
    expect(text).toMatch(
      /^candlework_exchange_websocket_last_message_age_seconds\{exchange="bin\\"ance"\} 2.5$/m,
    )
    expect(text).toMatch(/^candlework_trading_state\{scope="global"\} 0$/m)
    expect(text).toMatch(/^candlework_trading_state\{scope="paper-1"\} 2$/m)
    // Followed data feeds: the age of the newest bar, and the missing bars where something is stored.
    expect(text).toMatch(
      /^candlework_feed_last_bar_age_seconds\{source="binance",symbol="BTC\/USDT",timeframe="1m"\} 90$/m,
    )
    expect(text).toMatch(
      /^candlework_feed_last_bar_age_seconds\{source="demo",symbol="ETH\/USDT",timeframe="5m"\} 1.5$/m,
    )
    expect(text).toMatch(
      /^candlework_feed_missing_bars\{source="binance",symbol="BTC\/USDT",timeframe="1m"\} 3$/m,
    )
    expect(text).not.toMatch(/feed_missing_bars\{source="demo"/)
    // No p99 and no clock offset measured: those series are absent, not zero.
    expect(text).not.toMatch(/exchange_latency_p99_seconds|exchange_clock_offset_seconds/)
    // Before the first reading, no process figure is exported.
    const early = formatMetrics({ ...summary, engine: { ...summary.engine, process: null } })
    expect(early).not.toMatch(/event_loop|process_/)
    expect(early.endsWith('\n')).toBe(true)
  })
})
