import { join } from 'node:path'
import { afterEach } from 'vitest'
import type { z } from 'zod'
import type { CommandDef, StreamDef } from '../../src/shared/contract/define'
import { exchangeContract } from '../../src/shared/contract/exchange'
import type { Result, AppErrorShape } from '../../src/shared/contract/errors'
import type { Clock } from '../../src/main/clock'
import { silentLogger, type Logger } from '../../src/main/log'
import {
  createExchangeDomain,
  type ExchangeDomain,
  type ExchangeDomainDeps,
} from '../../src/main/exchange/domain'
import type { ExchangeHub } from '../../src/main/exchange/hub'
import { memorySecretStore, type SecretStore } from '../../src/main/secrets/store'
import { openDatabase, closeDatabase, type Db } from '../../src/main/storage/database'
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/server'
import { memoryPair, registryWith } from '../support/memory-transport'

type EC = typeof exchangeContract
type CommandNames = { [N in keyof EC]: EC[N]['kind'] extends 'command' ? N : never }[keyof EC]
type StreamNames = { [N in keyof EC]: EC[N]['kind'] extends 'stream' ? N : never }[keyof EC]
type ResultOf = { [N in keyof EC]: EC[N] extends CommandDef<z.ZodType, infer R> ? z.output<R> : never }
type EventOf = { [N in keyof EC]: EC[N] extends StreamDef<z.ZodType, infer E> ? z.output<E> : never }

/** Opens a database file in `dir`, migrated, as the engine opens it. */
export function openExchangeDb(dir: string): Db {
  return openDatabase(join(dir, 'candlework.db'))
}

/** A clock that is the wall clock plus an adjustable offset (ccxt's request timestamps follow it). */
export function offsetClock(offsetMs = 0): Clock & { offsetMs: number } {
  const c = { offsetMs, now: () => Date.now() + c.offsetMs }
  return c
}

export interface Rig {
  sim: Simulator
  db: Db
  hub: ExchangeHub
  handlers: ExchangeDomain['handlers']
  secrets: SecretStore
  clock: Clock & { offsetMs: number }
  invoke<N extends CommandNames>(name: N, params: z.input<EC[N]['params']>): Promise<Result<ResultOf[N]>>
  subscribe<N extends StreamNames>(
    name: N,
    params: z.input<EC[N]['params']>,
  ): {
    events: EventOf[N][]
    ended: { error?: AppErrorShape } | null
    dispose(): void
  }
}

/**
 * A simulator, a database with the exchange tables, a hub and the handlers, with `binance`
 * configured to reach the simulator; closed after the test. Params go through the contract's
 * schemas and results come back in envelopes, as the registry would do it.
 */
export function useRig(
  newDir: () => string,
): (opts?: {
  sim?: SimulatorOptions
  secrets?: SecretStore
  log?: Logger
  clockOffsetMs?: number
  deps?: Partial<ExchangeDomainDeps>
  configure?: Record<string, unknown>
}) => Promise<Rig> {
  const open: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const close of open.splice(0).reverse()) await close()
  })
  return async (opts = {}) => {
    const sim = await startSimulator(opts.sim ?? {})
    open.push(() => sim.close())
    const db = openExchangeDb(newDir())
    open.push(async () => closeDatabase(db))
    const clock = offsetClock(opts.clockOffsetMs ?? 0)
    const secrets = opts.secrets ?? memorySecretStore()
    const log = opts.log ?? silentLogger
    const domain = createExchangeDomain({
      db,
      clock,
      log,
      secrets,
      ...opts.deps,
      connectionOptions: { rateLimitMs: 1, ...opts.deps?.connectionOptions },
    })
    open.push(() => domain.close())
    const { hub, handlers } = domain
    // The real registry and wire protocol, checking every answer and event against the contract.
    const { client, disconnect } = memoryPair(registryWith(handlers, log))
    open.push(async () => disconnect())
    const invoke = (name: string, params: unknown) =>
      (client.invoke as (n: string, p: unknown) => Promise<Result<unknown>>)(name, params)
    const subscribe = (name: string, params: unknown) => {
      const events: unknown[] = []
      const state: { ended: { error?: AppErrorShape } | null } = { ended: null }
      const dispose = (
        client.subscribe as (
          n: string,
          p: unknown,
          e: (x: unknown) => void,
          d: (x?: AppErrorShape) => void,
        ) => () => void
      )(
        name,
        params,
        (e) => events.push(e),
        (error) => (state.ended = error ? { error } : {}),
      )
      return {
        events,
        get ended() {
          return state.ended
        },
        dispose,
      }
    }
    const rig = { sim, db, hub, handlers, secrets, clock, invoke, subscribe } as unknown as Rig
    const configured = await rig.invoke('exchange.configure', {
      exchange: 'binance',
      apiUrl: sim.url,
      ...opts.configure,
    })
    if (!configured.ok) throw new Error(`configure failed: ${configured.error.message}`)
    return rig
  }
}

/** Polls `check` on the event loop until it holds (tests wait for events, never for fixed sleeps). */
export async function until(check: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const t0 = Date.now()
  while (!check()) {
    if (Date.now() - t0 > limitMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

export function expectOk<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.kind}: ${r.error.message}`)
  return r.value
}
