import type { Connection, ExchangeHealth } from '../../shared/contract/exchange'
import type { ExchangeConnectionHealth, healthContract } from '../../shared/contract/health'
import type { Clock } from '../clock'
import type { Domain } from '../domain'
import type { Db } from '../storage/db'
import { databaseStatus } from '../storage/status'
import { backupHealth } from './backup-age'

/** The exchange hub as health reads it: stored connections, and the health of those in use. */
export interface ExchangesPort {
  connections(): Connection[]
  health(): ExchangeHealth[]
}

/** The backup catalog as health reads it: when the newest verified backup still on disk was verified. */
export interface BackupsPort {
  lastVerifiedAt(): number | null
}

export interface HealthDeps {
  /** This run of the engine, as `system.info` reports it. */
  engine: { version: string; host: 'desktop' | 'headless'; startedAt: number }
  clock: Clock
  db: Db
  exchanges: ExchangesPort
  backups: BackupsPort
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
        const { sizeBytes, walBytes, schemaVersion, openCheck } = databaseStatus(deps.db)
        return {
          engine: { ...deps.engine, uptimeMs: Math.max(0, deps.clock.now() - deps.engine.startedAt) },
          database: { schemaVersion, sizeBytes, walBytes, openCheck },
          exchanges: exchangeHealth(deps.exchanges.connections(), deps.exchanges.health()),
          backup: backupHealth(deps.backups.lastVerifiedAt(), deps.clock.now()),
        }
      },
    },
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
