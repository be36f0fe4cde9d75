import type { Connection, ExchangeHealth } from '../../shared/contract/exchange'
import type {
  ExchangeConnectionHealth,
  HealthCheck,
  HealthSummary,
  TradingStates,
  healthContract,
} from '../../shared/contract/health'
import type { Clock } from '../clock'
import type { Domain } from '../domain'
import type { Db } from '../storage/db'
import { databaseStatus } from '../storage/status'
import { backupHealth } from './backup-age'
import { feedHealth, type FeedsPort } from './feeds'
import type { ProcessFigures } from './process-meter'
import type { RingSample } from './ring'
import { judgeCpu, judgeEventLoop, judgeExchange, judgeMemory, judgeWal, type Judged } from './thresholds'
import { tradingChecks } from './trading-state'

/** How far back the summary's sparklines reach. */
export const HISTORY_MS = 2 * 3_600_000

/** The recorder as the summary reads it: the live process figures and the recorded history. */
export interface RecordsPort {
  live(): ProcessFigures | null
  /** Ring samples newer than `since`, then the readings not yet in the ring, oldest first. */
  history(since: number): RingSample[]
}

/** The exchange hub as health reads it: stored connections, and the health of those in use. */
export interface ExchangesPort {
  connections(): Connection[]
  health(): ExchangeHealth[]
  /** Measures the clock offset of connections in use that have none (or an old one). */
  refreshClockSkews?(): Promise<void> | null
}

/** The longest a summary waits for clock offsets being measured; the next one shows what came later. */
const SKEW_WAIT_MS = 1_500

/** The backup catalog as health reads it: when the newest verified backup still on disk was verified. */
export interface BackupsPort {
  lastVerifiedAt(): number | null
}

/** The risk engine's trading states as health reads them (global, then each account's effective one). */
export interface TradingPort {
  states(): TradingStates | null
}

export interface HealthDeps {
  /** This run of the engine, as `system.info` reports it. */
  engine: { version: string; host: 'desktop' | 'headless'; startedAt: number }
  clock: Clock
  db: Db
  exchanges: ExchangesPort
  backups: BackupsPort
  records: RecordsPort
  /** The risk engine, once it is part of the engine (null before it starts). */
  trading?: TradingPort | undefined
  /** The series followed live (the market domain's); none when absent. */
  feeds?: FeedsPort | undefined
}

/**
 * How the engine is doing, read on demand from the parts that know (storage, the exchange hub).
 * It holds no resource and keeps no state of its own, so it has nothing to start or close.
 */
export function createHealthDomain(deps: HealthDeps): Domain<typeof healthContract> {
  return {
    name: 'health',
    handlers: {
      'health.summary': () => {
        // Waits (a little) only when a clock offset is being measured; otherwise answers at once.
        const measuring = deps.exchanges.refreshClockSkews?.() ?? null
        if (measuring === null) return summarize()
        let timer: NodeJS.Timeout | undefined
        return Promise.race([
          measuring,
          new Promise<void>((r) => (timer = setTimeout(r, SKEW_WAIT_MS))),
        ]).then(() => {
          clearTimeout(timer)
          return summarize()
        })
      },
    },
  }

  function summarize(): HealthSummary {
    const now = deps.clock.now()
    const { sizeBytes, walBytes, schemaVersion, openCheck } = databaseStatus(deps.db)
    const summary: Omit<HealthSummary, 'checks'> = {
      engine: {
        ...deps.engine,
        uptimeMs: Math.max(0, now - deps.engine.startedAt),
        process: deps.records.live(),
      },
      database: { schemaVersion, sizeBytes, walBytes, openCheck },
      exchanges: exchangeHealth(deps.exchanges.connections(), deps.exchanges.health()),
      backup: backupHealth(deps.backups.lastVerifiedAt(), now),
      history: deps.records.history(now - HISTORY_MS),
      trading: deps.trading?.states() ?? null,
      feeds: feedHealth(deps.db, deps.feeds?.followed() ?? [], now),
    }
    return { ...summary, checks: healthChecks(summary, now) }
  }
}

/**
 * One row per exchange that has a stored connection or has been used since start (a paper
 * account on an exchange's prices uses its default connection without storing one), by id.
 */
export function exchangeHealth(
  connections: Connection[],
  health: ExchangeHealth[],
): ExchangeConnectionHealth[] {
  const byId = new Map(health.map((h) => [h.exchange, h]))
  const stored = new Map(connections.map((c) => [c.exchange, c]))
  const ids = [...new Set([...stored.keys(), ...byId.keys()])].sort((a, b) => a.localeCompare(b))
  return ids.map((exchange) => {
    const c = stored.get(exchange)
    return {
      exchange,
      endpoint: c?.apiUrl != null ? 'custom' : c?.sandbox ? 'sandbox' : 'default',
      apiUrl: c?.apiUrl ?? null,
      hasKeys: (c?.maskedKey ?? null) !== null,
      health: byId.get(exchange) ?? null,
    }
  })
}

const RANK = { critical: 0, warning: 1, ok: 2 } as const

/** Every item judged by the thresholds (src/main/health/thresholds.ts), worst first. */
export function healthChecks(s: Omit<HealthSummary, 'checks'>, now: number): HealthCheck[] {
  const p = s.engine.process
  const item = (id: string, label: string, j: Judged): HealthCheck => ({ item: id, label, ...j })
  const out: HealthCheck[] = [
    item('engine.event-loop', 'Engine responsiveness', judgeEventLoop(p?.eventLoopP99Ms ?? null)),
    item('engine.memory', 'Engine memory', judgeMemory(p?.rssBytes ?? null)),
    item('engine.cpu', 'Engine CPU', judgeCpu(p?.cpuShare ?? null)),
    item('database.integrity', 'Database integrity', {
      state: s.database.openCheck.result === 'damaged' ? 'critical' : 'ok',
      advice:
        s.database.openCheck.result === 'damaged'
          ? 'The database file is damaged: quit, then restore the last verified backup (Backups below).'
          : null,
    }),
    item('database.wal', 'Database journal', judgeWal(s.database.walBytes)),
    item('backup', 'Backups', { state: s.backup.state, advice: s.backup.advice }),
    ...s.exchanges.map((e) => item(`exchange:${e.exchange}`, e.exchange, judgeExchange(e.health, now))),
    ...(s.trading ? tradingChecks(s.trading).map((t) => item(t.item, t.label, t)) : []),
    ...s.feeds.map((f) =>
      item(`feed:${f.source}:${f.symbol}:${f.timeframe}`, `${f.symbol} ${f.timeframe} (${f.source})`, f),
    ),
  ]
  return out.sort((a, b) => RANK[a.state] - RANK[b.state])
}
