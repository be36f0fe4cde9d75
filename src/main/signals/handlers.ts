import { AppError } from '../../shared/contract/errors'
import type { signalsContract } from '../../shared/contract/signals'
import type { Clock } from '../clock'
import type { Compute } from '../compute'
import type { DemoMarket } from '../demo'
import type { Logger } from '../log'
import type { CandleUpdates } from '../market/candle-updates'
import type { Domain } from '../domain'
import type { Db } from '../storage/database'
import { marketBarSource } from './bars'
import { SignalService } from './service'
import { seedTask } from './tasks'

export interface SignalsDeps {
  db: Db
  demo: DemoMarket
  clock: Clock
  log?: Logger
  /** Runs the cold seeds off the main thread (the engine's compute pool); without it they run inline. */
  pool?: Compute
  /** Live candles of series stored from an exchange; without them those are stored histories. */
  candleUpdates?: CandleUpdates
}

type SignalsHandlers = Domain<typeof signalsContract>['handlers']

/**
 * The `signals.*` commands and stream over one SignalService reading the demo market, imported
 * histories and exchange series, with its cold seeds in the compute pool (task `signals.seed`). The service starts no
 * timer until someone subscribes, and its timer never keeps the process alive; closing the
 * domain stops it.
 */
export function createSignalsDomain({
  db,
  demo,
  clock,
  log,
  pool,
  candleUpdates,
}: SignalsDeps): Domain<typeof signalsContract> & { readonly service: SignalService } {
  const service = new SignalService({
    db,
    bars: marketBarSource(db, demo, undefined, candleUpdates),
    clock,
    log,
    seeder: pool ? (req) => pool.run(seedTask, req, { onCrash: 'reject' }) : undefined,
  })
  return { name: 'signals', service, handlers: serviceHandlers(service), close: () => service.close() }
}

/** The handlers over a service (tests give their own, with their own clock and bars). */
export function serviceHandlers(service: SignalService): SignalsHandlers {
  return {
    'signals.current': ({ source, symbol }) => service.current(source, symbol),
    'signals.history': (q) => service.history(q),
    'signals.profiles': () => service.profiles(),
    'signals.setProfile': (req) => service.setProfile(req),
    'signals.updates': ({ source, symbol }, sink) =>
      service.subscribe(
        source,
        symbol,
        (e) => sink.emit(e),
        (err) =>
          sink.end(
            err instanceof AppError ? err.toShape() : { kind: 'internal', message: 'signals stream failed' },
          ),
      ),
  }
}
