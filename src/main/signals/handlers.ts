import type { Clock } from '../clock'
import type { DemoMarket } from '../demo'
import type { Logger } from '../log'
import type { DomainHandlers } from '../rpc/handlers'
import type { Db } from '../storage/database'
import { marketBarSource } from './bars'
import { SignalService } from './service'

export interface SignalsDeps {
  db: Db
  demo: DemoMarket
  clock: Clock
  log?: Logger
}

/**
 * The `signals.*` commands and stream over one SignalService reading the demo market and
 * imported histories. The service starts no timer until someone subscribes, and its timer
 * never keeps the process alive.
 */
export function signalsHandlers({ db, demo, clock, log }: SignalsDeps): DomainHandlers {
  const service = new SignalService({ db, bars: marketBarSource(db, demo), clock, log })
  return serviceHandlers(service)
}

export function serviceHandlers(service: SignalService): DomainHandlers {
  return {
    'signals.current': ({ source, symbol }) => service.current(source, symbol),
    'signals.history': (q) => service.history(q),
    'signals.profiles': () => service.profiles(),
    'signals.setProfile': (req) => service.setProfile(req),
    'signals.updates': ({ source, symbol }, sink) => service.subscribe(source, symbol, (e) => sink.emit(e)),
  }
}
