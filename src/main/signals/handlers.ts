import { AppError } from '../../shared/contract/errors'
import type { signalsContract } from '../../shared/contract/signals'
import type { Clock } from '../clock'
import type { DemoMarket } from '../demo'
import type { Logger } from '../log'
import type { LiveCandles } from '../market/live-candles'
import type { Domain } from '../domain'
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

type SignalsHandlers = Domain<typeof signalsContract>['handlers']

/**
 * The `signals.*` commands and stream over one SignalService reading the demo market, imported
 * histories and exchange series, with its cold seeds in the pool's worker. The service starts no
 * timer until someone subscribes, and its timer never keeps the process alive; closing the
 * domain stops it.
 */
export function createSignalsDomain({
  db,
  demo,
  clock,
  log,
  pool,
  live,
}: SignalsDeps): Domain<typeof signalsContract> {
  const service = new SignalService({
    db,
    bars: marketBarSource(db, demo, undefined, live),
    clock,
    log,
    seeder: pool ? (req) => pool.task('signalsSeed', req, { onCrash: 'reject' }) : undefined,
  })
  return { name: 'signals', handlers: serviceHandlers(service), close: () => service.close() }
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
