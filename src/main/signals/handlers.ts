import { AppError } from '../../shared/contract/errors'
import type { Clock } from '../clock'
import type { Compute } from '../compute'
import type { DemoMarket } from '../demo'
import type { Logger } from '../log'
import type { LiveCandles } from '../market/live-candles'
import type { DomainHandlers } from '../rpc/handlers'
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
  live?: LiveCandles
}

/**
 * The `signals.*` commands and stream over one SignalService reading the demo market and
 * imported histories, with its cold seeds in the compute pool (task `signals.seed`). The
 * service starts no timer until someone subscribes, and its timer never keeps the process
 * alive; `service.close()` stops it (the engine does on close).
 */
export function createSignals({ db, demo, clock, log, pool, live }: SignalsDeps): {
  service: SignalService
  handlers: DomainHandlers
} {
  const service = new SignalService({
    db,
    bars: marketBarSource(db, demo, undefined, live),
    clock,
    log,
    seeder: pool ? (req) => pool.run(seedTask, req, { onCrash: 'reject' }) : undefined,
  })
  return { service, handlers: serviceHandlers(service) }
}

export function signalsHandlers(deps: SignalsDeps): DomainHandlers {
  return createSignals(deps).handlers
}

export function serviceHandlers(service: SignalService): DomainHandlers {
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
