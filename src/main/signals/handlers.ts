import { AppError } from '../../shared/contract/errors'
import type { Clock } from '../clock'
import type { DemoMarket } from '../demo'
import type { Logger } from '../log'
import type { LiveCandles } from '../market/live-candles'
import type { DomainHandlers } from '../rpc/handlers'
import type { Db } from '../storage/database'
import { marketBarSource } from './bars'
import type { SeedRequest, SeedResult } from './seed'
import { SignalService } from './service'

export interface SignalsDeps {
  db: Db
  demo: DemoMarket
  clock: Clock
  log?: Logger
  /** Runs the cold seeds off the main thread (the engine's compute worker); without it they run inline. */
  pool?: SeedPool
  /** Live candles of series stored from an exchange; without them those are stored histories. */
  live?: LiveCandles
}

/**
 * What signals needs of the engine's compute pool (charting/compute-pool.ts, which ComputePool
 * satisfies): its cold seeds run there as the `signalsSeed` task. Declared here rather than
 * imported because the pool's task table (charting/worker-tasks.ts) imports signals' seed.ts:
 * importing the pool back would tie charting and signals in a circle.
 */
export interface SeedPool {
  task(task: 'signalsSeed', input: SeedRequest, opts: { onCrash: 'reject' }): Promise<SeedResult>
}

/**
 * The `signals.*` commands and stream over one SignalService reading the demo market and
 * imported histories, with its cold seeds in the pool's worker. The service starts no timer
 * until someone subscribes, and its timer never keeps the process alive; `service.close()`
 * stops it (the engine does on close).
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
    seeder: pool ? (req) => pool.task('signalsSeed', req, { onCrash: 'reject' }) : undefined,
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
