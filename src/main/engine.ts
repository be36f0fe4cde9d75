import packageJson from '../../package.json'
import { systemClock, type Clock } from './clock'
import { createDemoMarket } from './demo'
import { createLogger, type Logger } from './log'
import { marketHandlers } from './market/handlers'
import { databaseFile, logFile } from './paths'
import { HandlerRegistry } from './rpc/registry'
import { closeDatabase, openDatabase, type Db } from './storage/database'
import { systemHandlers } from './system/handlers'

export interface EngineOptions {
  dataDir: string
  host: 'desktop' | 'headless'
  clock?: Clock
  log?: Logger
  /** better-sqlite3 compiled for Electron's ABI, when running inside Electron. */
  nativeBinding?: string
  demoSeed?: number
}

/** Everything behind the contract, independent of which host serves it. */
export interface Engine {
  readonly registry: HandlerRegistry
  readonly db: Db
  readonly log: Logger
  readonly dataDir: string
  close(): void
}

export const APP_VERSION: string = packageJson.version

export function createEngine(options: EngineOptions): Engine {
  const log = options.log ?? createLogger(logFile(options.dataDir))
  const clock = options.clock ?? systemClock
  const db = openDatabase(databaseFile(options.dataDir), { nativeBinding: options.nativeBinding })
  const demo = createDemoMarket({ seed: options.demoSeed })
  const registry = new HandlerRegistry(log)
    .add(
      systemHandlers({ version: APP_VERSION, host: options.host, dataDir: options.dataDir, startedAt: clock.now() }),
    )
    .add(marketHandlers({ db, demo, clock }))
  const missing = registry.missing()
  if (missing.length > 0) throw new Error(`No handler for ${missing.join(', ')}`)
  let closed = false
  return {
    registry,
    db,
    log,
    dataDir: options.dataDir,
    close() {
      if (closed) return
      closed = true
      closeDatabase(db)
    },
  }
}
