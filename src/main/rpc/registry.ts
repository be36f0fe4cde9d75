import { contract, type Name } from '../../shared/contract'
import { AppError, validationError, type AppErrorShape, type Result } from '../../shared/contract/errors'
import type { Logger } from '../log'
import type { CallContext, CommandHandler, DomainHandlers, StreamHandler, StreamSink } from './handlers'

type AnyCommand = CommandHandler<never>
type AnyStream = StreamHandler<never>

/**
 * One table of handlers for every command and stream, served by every transport. Payloads
 * are validated against the contract here, so no transport and no handler sees raw input.
 */
export class HandlerRegistry {
  private readonly handlers = new Map<string, AnyCommand | AnyStream>()

  /**
   * `checkResults` also validates what handlers answer and emit against the contract: on in
   * tests, so a handler that drifts from its schema fails there; off in the app, where 100k-bar
   * answers would pay for it on every call.
   */
  constructor(
    private readonly log: Logger,
    private readonly options: { checkResults?: boolean } = {},
  ) {}

  /** Adds a domain's handlers; a name registered twice is a start-up error. */
  add(domain: DomainHandlers): this {
    for (const [name, handler] of Object.entries(domain)) {
      if (!(name in contract)) throw new Error(`Handler for unknown contract name "${name}"`)
      if (this.handlers.has(name)) throw new Error(`Duplicate handler for "${name}"`)
      this.handlers.set(name, handler as AnyCommand)
    }
    return this
  }

  /** Names in the contract that nothing handles yet. */
  missing(): string[] {
    return Object.keys(contract).filter((n) => !this.handlers.has(n))
  }

  async invoke(name: string, rawParams: unknown, ctx: CallContext): Promise<Result<unknown>> {
    const def = lookup(name)
    if (!def || def.kind !== 'command') return notFound(name, 'command')
    const handler = this.handlers.get(name) as AnyCommand | undefined
    if (!handler) return notFound(name, 'command')
    const input = rawParams ?? {}
    const parsed = def.params.safeParse(input)
    if (!parsed.success) return { ok: false, error: validationError(parsed.error, 'params', input) }
    try {
      const value = await (handler as (p: unknown, c: CallContext) => unknown)(parsed.data, ctx)
      return { ok: true, value: this.options.checkResults ? def.result.parse(value) : value }
    } catch (err) {
      return { ok: false, error: this.toErrorShape(err, name) }
    }
  }

  /**
   * Starts a stream. Returns the disposer, or the error that refused it (unknown name, bad
   * params, or the handler throwing while starting).
   */
  subscribe(
    name: string,
    rawParams: unknown,
    sink: StreamSink<unknown>,
    ctx: CallContext,
  ): { ok: true; dispose: () => void } | { ok: false; error: AppErrorShape } {
    const def = lookup(name)
    const handler = this.handlers.get(name) as AnyStream | undefined
    if (!def || def.kind !== 'stream' || !handler) return notFound(name, 'stream')
    const input = rawParams ?? {}
    const parsed = def.params.safeParse(input)
    if (!parsed.success) return { ok: false, error: validationError(parsed.error, 'params', input) }
    try {
      const start = handler as (p: unknown, s: StreamSink<unknown>, c: CallContext) => () => void
      const checked = this.options.checkResults
        ? { ...sink, emit: (e: unknown) => sink.emit(def.event.parse(e)) }
        : sink
      return { ok: true, dispose: start(parsed.data, checked, ctx) }
    } catch (err) {
      return { ok: false, error: this.toErrorShape(err, name) }
    }
  }

  /** Domain errors keep their kind; anything else is `internal` with a message that leaks nothing. */
  toErrorShape(err: unknown, name: string): AppErrorShape {
    if (err instanceof AppError) return err.toShape()
    this.log.error(`handler ${name} failed`, err)
    return { kind: 'internal', message: `${name} failed unexpectedly; details are in the log` }
  }
}

function lookup(name: string) {
  return Object.hasOwn(contract, name) ? contract[name as Name] : undefined
}

function notFound(name: string, what: string): { ok: false; error: AppErrorShape } {
  return { ok: false, error: { kind: 'not_found', message: `No ${what} named "${name}"`, path: 'name' } }
}
