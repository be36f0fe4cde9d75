import { join } from 'node:path'
import packageJson from '../../package.json'
import { systemClock, type Clock } from './clock'
import type { DomainContract } from '../shared/contract/define'
import { createAlertsDomain } from './alerts/domain'
import { createBacktestDomain } from './backtest/domain'
import { createBackupDomain } from './backup/domain'
import { applyPendingRestore } from './backup/stage'
import { lastVerifiedAt } from './backup/store'
import { createBookDomain } from './book/domain'
import type { AlertNotifier } from './alerts/ports'
import { createChartingDomain } from './charting/handlers'
import { createDemoMarket } from './demo'
import type { Domain, Part } from './domain'
import type { ComputePool } from './compute'
import { createComputePool } from './compute-pool'
import { createExchangeDomain } from './exchange/domain'
import { createHealthDomain } from './health/domain'
import { createWatchlistsDomain } from './watchlists/domain'
import { createDrawingsDomain } from './drawings/domain'
import { ProcessMeter } from './health/process-meter'
import { createHealthRecorder } from './health/recorder'
import { HealthRing } from './health/ring'
import { createJournalDomain } from './journal/domain'
import { createJournalFilesDomain } from './journal-files/domain'
import type { ExportFileChooser } from './journal-files/save-export'
import { accountsOf, candlesOf, ordersOf, signalsOf } from './journal/sources'
import { createLogger, forDomain, type Logger } from './log'
import { createMarketDomain } from './market/handlers'
import { pricePrecisionOf } from './market/price-precision'
import { createRiskDomain } from './risk/domain'
import { createRunnerDomain } from './runner/domain'
import { runScheduleKinds } from './runner/schedule-kinds'
import { databaseFile, logFile, secretsFile } from './paths'
import { Parts } from './parts'
import { HandlerRegistry } from './rpc/registry'
import { marketBarSource } from './signals/bars'
import { createSignalsDomain } from './signals/handlers'
import { createSchedulerDomain } from './scheduler/domain'
import { createSettingsDomain } from './settings/domain'
import { alertHousekeepingKind } from './scheduler/tasks/alert-housekeeping'
import { candleBackfillKind } from './scheduler/tasks/candle-backfill'
import { dailyPnlKind } from './scheduler/tasks/daily-pnl'
import { listSeries } from './storage/candle-store'
import { backgroundCheckPart } from './storage/background-check'
import { closeDatabase, openDatabase, type Db } from './storage/database'
import { createPassphraseFileStore, type PassphraseSource } from './secrets/passphrase-file'
import { passphraseFromEnv } from './secrets/passphrase-source'
import type { SecretStore } from './secrets/store'
import { createSystemDomain } from './system/handlers'
import { demoPaperMarkets, demoPriceSource } from './trading/demo-prices'
import { dayPnl } from './trading/day-pnl'
import { ExchangePrices } from './trading/exchange-prices'
import { createTradingDomain } from './trading/handlers'

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
  /** Desktop notifications of alert firings (the desktop shell's); none in the headless host. */
  notifier?: AlertNotifier
  /** The desktop's save dialog for exports (journal.exportToFile); the headless host downloads instead. */
  chooseExportFile?: ExportFileChooser
}

/** Everything behind the contract, independent of which host serves it. */
export interface Engine {
  readonly registry: HandlerRegistry
  readonly db: Db
  readonly log: Logger
  readonly dataDir: string
  /** After the machine slept (the desktop's powerMonitor 'resume'): scheduled tasks re-armed, missed runs caught up once. */
  resume(): void
  /** Closes every domain (last started first), checkpoints and closes the database, then flushes and closes its log. */
  close(): Promise<void>
}

export const APP_VERSION: string = packageJson.version

export function createEngine(options: EngineOptions): Engine {
  // The engine closes (and so flushes) the log it opens; a log passed in is its owner's to close.
  const ownLog = options.log ? null : createLogger({ file: logFile(options.dataDir) })
  const log: Logger = ownLog ?? (options.log as Logger)
  // Each domain's lines carry `"domain":"<name>"` (what `npm run cli -- logs` shows in a column).
  const logOf = (name: string): Logger => forDomain(log, name)
  const clock = options.clock ?? systemClock
  // A restore staged by the last run switches the files now, before anything opens them (docs/BACKUP.md).
  const restored = applyPendingRestore(options.dataDir)
  if (restored)
    log.info('switched to the restored backup', { file: restored.file, createdAt: restored.createdAt })
  const db = openDatabase(databaseFile(options.dataDir), { nativeBinding: options.nativeBinding })
  const demo = createDemoMarket({ seed: options.demoSeed })
  const secrets =
    options.secrets ??
    createPassphraseFileStore({
      file: secretsFile(options.dataDir),
      passphrase: options.passphrase ?? passphraseFromEnv(),
    })
  // Each part after the ones it uses: started in this order, closed in reverse, the database last.
  const parts = new Parts(log)
  const registry = new HandlerRegistry(logOf('rpc'))
  const domain = <D extends Domain<DomainContract>>(d: D): D => {
    registry.add(d.handlers)
    return parts.add(d)
  }
  const run = { version: APP_VERSION, host: options.host, startedAt: clock.now() }
  const late: {
    risk?: ReturnType<typeof createRiskDomain>
    market?: ReturnType<typeof createMarketDomain>
  } = {}
  domain(createSystemDomain({ ...run, dataDir: options.dataDir }))
  const exchange = domain(createExchangeDomain({ db, clock, log: logOf('exchange'), secrets }))
  // The health figures: read every few seconds, one sample a minute kept a week (docs/HEALTH.md).
  const recorder = parts.add(
    createHealthRecorder({
      meter: new ProcessMeter(),
      ring: new HealthRing(db),
      clock,
      log: logOf('health'),
      exchangeHealth: () => exchange.hub.health(),
    }),
  )
  domain(
    createHealthDomain({
      engine: run,
      clock,
      db,
      exchanges: exchange.hub,
      backups: { lastVerifiedAt: () => lastVerifiedAt(db) },
      records: recorder,
      // The risk engine is made further down (it needs trading); read once it is there.
      trading: { states: () => late.risk?.service.tradingStates() ?? null },
      // The followed data feeds: counted by the market domain, made further down.
      feeds: { followed: () => late.market?.followed() ?? [] },
    }),
  )
  domain(createSettingsDomain({ db, clock, log: logOf('settings') }))
  domain(createWatchlistsDomain({ db, clock }))
  domain(createDrawingsDomain({ db, clock }))
  // Worker threads for heavy pure work (chart indicators, cold signal seeds).
  const pool = parts.add(
    computePart(createComputePool({ log: logOf('compute'), size: options.computeWorkers })),
  )
  // A file the last run closed cleanly was opened unchecked: checked now, off the main thread.
  parts.add(
    backgroundCheckPart({
      db,
      compute: pool.pool,
      log: logOf('storage'),
      nativeBinding: options.nativeBinding,
    }),
  )
  const market = domain(
    createMarketDomain({
      db,
      demo,
      clock,
      exchangeCandles: exchange.candleUpdates,
      history: exchange.history,
    }),
  )
  late.market = market
  // Order books and trades: the demo's simulated ones, an exchange's through the hub's connections.
  domain(createBookDomain({ demo, clock, exchanges: exchange.hub }))
  domain(
    createChartingDomain({
      db,
      demo,
      clock,
      log: logOf('charting'),
      pool: pool.pool,
      candleUpdates: market.candleUpdates,
    }),
  )
  const signals = domain(
    createSignalsDomain({
      db,
      demo,
      clock,
      log: logOf('signals'),
      pool: pool.pool,
      candleUpdates: market.candleUpdates,
    }),
  )
  // Live accounts trade through the hub's connections (its breaker, health and clock-skew guard).
  const tradingLog = logOf('trading')
  const trading = domain(
    createTradingDomain({
      db,
      clock,
      log: tradingLog,
      exchanges: exchange.hub,
      prices: demoPriceSource(demo, clock),
      paperMarkets: () => demoPaperMarkets(demo, clock),
      // Paper accounts that name an exchange trade on its public prices and markets, through the hub.
      exchangePaper: (exchangeId) =>
        new ExchangePrices({ exchanges: exchange.hub, exchangeId, clock, log: tradingLog }),
    }),
  )
  // Keys stored unchecked (`exchange.setKeys` without verify) never go under a live account switched on.
  exchange.hub.guardUncheckedKeys((exchangeId) => trading.service.liveAccountOn(exchangeId))
  // The journal hears every fill trading records, and reads orders, candles and signals through ports.
  const journal = domain(
    createJournalDomain({
      db,
      clock,
      log: logOf('journal'),
      fills: { onFill: (l) => trading.service.bus.on((c) => c.type === 'fill' && l(c.fill)) },
      accounts: accountsOf(db),
      orders: ordersOf(db),
      candles: candlesOf(db, demo, clock),
      signals: signalsOf(db),
    }),
  )
  // The Journal view's export columns, file import and, on the desktop, exports to a chosen file
  // (the headless host's download is its own route).
  domain(
    createJournalFilesDomain({
      db,
      clock,
      journal: journal.journal,
      chooseExportFile: options.chooseExportFile,
    }),
  )
  // Alerts read bars as the chart does and hear orders, breakers and signal scores through ports.
  const alerts = domain(
    createAlertsDomain({
      db,
      clock,
      log: logOf('alerts'),
      secrets,
      bars: marketBarSource(db, demo, undefined, market.candleUpdates),
      live: market.candleUpdates,
      orders: trading.service,
      exchanges: exchange.hub,
      signals: signals.service,
      notifier: options.notifier,
      precision: { precision: (source, symbol) => pricePrecisionOf(db, demo, source, symbol) },
    }),
  )
  // Backups, proven by restoring them; the heavy work on the compute pool.
  const backup = domain(
    createBackupDomain({
      db,
      dataDir: options.dataDir,
      clock,
      log: logOf('backup'),
      compute: pool.pool,
      appVersion: APP_VERSION,
      nativeBinding: options.nativeBinding,
      // A failed backup or verification is an alert event (the trader's alerts decide who hears it).
      events: {
        backupFailed: (e) => {
          alerts.service.raise({ kind: 'backup_failed', subject: e.subject, message: e.message })
        },
      },
    }),
  )
  // The risk engine in front of every order (it sets itself as trading's order gate on start);
  // a limit hit or a halt is an alert event.
  late.risk = domain(
    createRiskDomain({
      db,
      clock,
      log: logOf('risk'),
      trading: trading.service,
      dataDir: options.dataDir,
      alerts: alerts.service,
      portfolio: { compute: pool.pool, bars: marketBarSource(db, demo, undefined, market.candleUpdates) },
    }),
  )
  // Recurring work on stored schedules; a failing task (and the daily summary) is an alert event.
  const scheduler = domain(
    createSchedulerDomain({
      db,
      clock,
      log: logOf('scheduler'),
      events: alerts.service,
      kinds: [
        candleBackfillKind({ series: () => listSeries(db), history: exchange.history }),
        dailyPnlKind({
          pnl: { dayPnl: (from, to) => dayPnl(db, from, to) },
          events: alerts.service,
          now: () => clock.now(),
        }),
        alertHousekeepingKind({ alerts: alerts.service }),
        backup.kind,
      ],
    }),
  )
  // Backtests read bars as the chart does (demo market, stored histories) and run on the pool.
  domain(
    createBacktestDomain({
      db,
      clock,
      log: logOf('backtest'),
      compute: pool.pool,
      bars: marketBarSource(db, demo, undefined, market.candleUpdates),
      strategiesDir: join(options.dataDir, 'strategies'),
    }),
  )
  // Strategies on paper and live accounts: closed bars from the live feed, orders through trading (and risk).
  const runner = domain(
    createRunnerDomain({
      db,
      clock,
      log: logOf('runner'),
      trading: trading.service,
      bars: marketBarSource(db, demo, undefined, market.candleUpdates),
      feed: market.candleUpdates,
      strategiesDir: join(options.dataDir, 'strategies'),
      chooseExportFile: options.chooseExportFile,
    }),
  )
  // Runs started and stopped on the scheduler's times (runner.setSchedule picks the runs).
  for (const k of runScheduleKinds(runner.service)) scheduler.kinds.register(k)
  const missing = registry.missing()
  if (missing.length > 0) throw new Error(`No handler for ${missing.join(', ')}`)
  parts.startAll()
  let closed: Promise<void> | null = null
  return {
    registry,
    db,
    log,
    dataDir: options.dataDir,
    resume: () => scheduler.resume(),
    close() {
      closed ??= (async () => {
        await parts.closeAll()
        closeDatabase(db)
        // Last, so the lines of everything above are in the file.
        await ownLog?.close()
      })()
      return closed
    },
  }
}

/** The compute pool as a part: the domains that use it close before it. */
function computePart(pool: ComputePool): Part & { pool: ComputePool } {
  return { name: 'compute', pool, close: () => pool.close() }
}
