import packageJson from '../../package.json'
import { systemClock, type Clock } from './clock'
import { chartingHandlers } from './charting/handlers'
import { createDemoMarket } from './demo'
import { exchangeHandlers } from './exchange/handlers'
import { ExchangeHub } from './exchange/hub'
import { createComputePool } from './compute-pool'
import { createLogger, type Logger } from './log'
import { ExchangeHistory } from './market/exchange-history'
import { ExchangeLiveCandles } from './market/exchange-live'
import { liveCandles } from './market/live-candles'
import { marketHandlers } from './market/handlers'
import { databaseFile, logFile, secretsFile } from './paths'
import { HandlerRegistry } from './rpc/registry'
import { createSignals } from './signals/handlers'
import { closeDatabase, openDatabase, type Db } from './storage/database'
import { createPassphraseFileStore, type PassphraseSource } from './secrets/passphrase-file'
import { passphraseFromEnv } from './secrets/passphrase-source'
import type { SecretStore } from './secrets/store'
import { systemHandlers } from './system/handlers'
import { demoPaperMarkets, demoPriceSource } from './trading/demo-prices'
import { ExchangePrices } from './trading/exchange-prices'
import { createTrading } from './trading/handlers'

export interface EngineOptions {
  dataDir: string
  host: 'desktop' | 'headless'
  clock?: Clock
  log?: Logger
  /** better-sqlite3 compiled for Electron's ABI, when running inside Electron. */
  nativeBinding?: string
  demoSeed?: number
  /**
   * Where API keys are kept: the desktop passes Electron safeStorage; by default a file encrypted
   * with a passphrase, asked of `passphrase` when keys are first used.
   */
  secrets?: SecretStore
  /**
   * The passphrase of that file (the headless host's: secrets/passphrase-source.ts); by default
   * CANDLEWORK_PASSPHRASE, the least safe way.
   */
  passphrase?: PassphraseSource
  /** Worker threads of the compute pool; by default one per core but one (at least 1). */
  computeWorkers?: number
}

/** Everything behind the contract, independent of which host serves it. */
export interface Engine {
  readonly registry: HandlerRegistry
  readonly db: Db
  readonly log: Logger
  readonly dataDir: string
  /** Stops exchange connections, then checkpoints and closes the database. */
  close(): Promise<void>
}

export const APP_VERSION: string = packageJson.version

export function createEngine(options: EngineOptions): Engine {
  const log = options.log ?? createLogger(logFile(options.dataDir))
  const clock = options.clock ?? systemClock
  const db = openDatabase(databaseFile(options.dataDir), { nativeBinding: options.nativeBinding })
  const demo = createDemoMarket({ seed: options.demoSeed })
  const secrets =
    options.secrets ??
    createPassphraseFileStore({
      file: secretsFile(options.dataDir),
      passphrase: options.passphrase ?? passphraseFromEnv(),
    })
  const hub = new ExchangeHub({ db, clock, log, secrets })
  // Live accounts trade through the hub's connections (its breaker, health and clock-skew guard).
  const trading = createTrading({
    db,
    clock,
    log,
    exchanges: hub,
    prices: demoPriceSource(demo, clock),
    paperMarkets: () => demoPaperMarkets(demo, clock),
    // Paper accounts that name an exchange trade on its public prices and markets, through the hub.
    exchangePaper: (exchangeId) => new ExchangePrices({ exchanges: hub, exchangeId, clock, log }),
  })
  // Keys stored unchecked (`exchange.setKeys` without verify) never go under a live account switched on.
  hub.guardUncheckedKeys((exchangeId) => trading.service.liveAccountOn(exchangeId))
  // Worker threads for heavy pure work (chart indicators, cold signal seeds); closed with the engine.
  const pool = createComputePool({ log, size: options.computeWorkers })
  // Live candles: the demo market's, and those of series stored from an exchange (through the hub).
  const exchangeLive = new ExchangeLiveCandles({ db, clock, log, exchanges: hub })
  const live = liveCandles({ demo, clock, exchange: exchangeLive })
  // Charts of an exchange's symbols (an account's own market) fetch the bars they show.
  const history = new ExchangeHistory({ db, clock, log, exchanges: hub, live: exchangeLive })
  const signals = createSignals({ db, demo, clock, log, pool, live })
  const registry = new HandlerRegistry(log)
    .add(
      systemHandlers({
        version: APP_VERSION,
        host: options.host,
        dataDir: options.dataDir,
        startedAt: clock.now(),
      }),
    )
    .add(marketHandlers({ db, demo, clock, live, history }))
    .add(chartingHandlers({ db, demo, clock, log, pool, live }))
    .add(signals.handlers)
    .add(exchangeHandlers({ db, clock, secrets, log, hub }))
    .add(trading.handlers)
  const missing = registry.missing()
  if (missing.length > 0) throw new Error(`No handler for ${missing.join(', ')}`)
  // Open orders and fills are reconciled with each venue at start-up; failures are shown, not fatal.
  void trading.service
    .start()
    .catch((err: unknown) => log.warn('trading start-up reconciliation failed', err))
  let closed = false
  return {
    registry,
    db,
    log,
    dataDir: options.dataDir,
    async close() {
      if (closed) return
      closed = true
      // Streams and seeds stop first; jobs in flight fail with "engine closing"; the workers exit.
      signals.service.close()
      exchangeLive.close()
      await pool.close()
      trading.service.close()
      await hub.close()
      closeDatabase(db)
    },
  }
}
