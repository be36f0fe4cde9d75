import packageJson from '../../package.json'
import { systemClock, type Clock } from './clock'
import { ComputePool } from './charting/compute-pool'
import { chartingHandlers } from './charting/handlers'
import { createDemoMarket } from './demo'
import { exchangeHandlers } from './exchange/handlers'
import { ExchangeHub } from './exchange/hub'
import { createLogger, forDomain, type Logger } from './log'
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
}

/** Everything behind the contract, independent of which host serves it. */
export interface Engine {
  readonly registry: HandlerRegistry
  readonly db: Db
  readonly log: Logger
  readonly dataDir: string
  /** Stops exchange connections, checkpoints and closes the database, then flushes and closes its log. */
  close(): Promise<void>
}

export const APP_VERSION: string = packageJson.version

export function createEngine(options: EngineOptions): Engine {
  // The engine closes (and so flushes) the log it opens; a log passed in is its owner's to close.
  const ownLog = options.log ? null : createLogger({ file: logFile(options.dataDir) })
  const log: Logger = ownLog ?? (options.log as Logger)
  // Each domain's lines carry `"domain":"<name>"` (what `npm run cli -- logs` shows in a column).
  const exchangeLog = forDomain(log, 'exchange')
  const tradingLog = forDomain(log, 'trading')
  const marketLog = forDomain(log, 'market')
  const chartingLog = forDomain(log, 'charting')
  const clock = options.clock ?? systemClock
  const db = openDatabase(databaseFile(options.dataDir), { nativeBinding: options.nativeBinding })
  const demo = createDemoMarket({ seed: options.demoSeed })
  const secrets =
    options.secrets ??
    createPassphraseFileStore({
      file: secretsFile(options.dataDir),
      passphrase: options.passphrase ?? passphraseFromEnv(),
    })
  const hub = new ExchangeHub({ db, clock, log: exchangeLog, secrets })
  // Live accounts trade through the hub's connections (its breaker, health and clock-skew guard).
  const trading = createTrading({
    db,
    clock,
    log: tradingLog,
    exchanges: hub,
    prices: demoPriceSource(demo, clock),
    paperMarkets: () => demoPaperMarkets(demo, clock),
    // Paper accounts that name an exchange trade on its public prices and markets, through the hub.
    exchangePaper: (exchangeId) => new ExchangePrices({ exchanges: hub, exchangeId, clock, log: tradingLog }),
  })
  // Keys stored unchecked (`exchange.setKeys` without verify) never go under a live account switched on.
  hub.guardUncheckedKeys((exchangeId) => trading.service.liveAccountOn(exchangeId))
  // One worker thread for heavy pure work (chart indicators, cold signal seeds); closed with the engine.
  const pool = new ComputePool(forDomain(log, 'compute'))
  // Live candles: the demo market's, and those of series stored from an exchange (through the hub).
  const exchangeLive = new ExchangeLiveCandles({ db, clock, log: marketLog, exchanges: hub })
  const live = liveCandles({ demo, clock, exchange: exchangeLive })
  // Charts of an exchange's symbols (an account's own market) fetch the bars they show.
  const history = new ExchangeHistory({ db, clock, log: marketLog, exchanges: hub, live: exchangeLive })
  const signals = createSignals({ db, demo, clock, log: forDomain(log, 'signals'), pool, live })
  const registry = new HandlerRegistry(forDomain(log, 'rpc'))
    .add(
      systemHandlers({
        version: APP_VERSION,
        host: options.host,
        dataDir: options.dataDir,
        startedAt: clock.now(),
      }),
    )
    .add(marketHandlers({ db, demo, clock, live, history }))
    .add(chartingHandlers({ db, demo, clock, log: chartingLog, pool, live }))
    .add(signals.handlers)
    .add(exchangeHandlers({ db, clock, secrets, log: exchangeLog, hub }))
    .add(trading.handlers)
  const missing = registry.missing()
  if (missing.length > 0) throw new Error(`No handler for ${missing.join(', ')}`)
  // Open orders and fills are reconciled with each venue at start-up; failures are shown, not fatal.
  void trading.service
    .start()
    .catch((err: unknown) => tradingLog.warn('trading start-up reconciliation failed', err))
  let closed = false
  return {
    registry,
    db,
    log,
    dataDir: options.dataDir,
    async close() {
      if (closed) return
      closed = true
      // Streams and seeds stop first; jobs in flight fail with "engine closing"; the worker exits.
      signals.service.close()
      exchangeLive.close()
      await pool.close()
      trading.service.close()
      await hub.close()
      closeDatabase(db)
      // Last, so the lines of everything above are in the file.
      await ownLog?.close()
    },
  }
}
