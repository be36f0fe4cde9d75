import type { z } from 'zod'
import type { AppErrorShape } from '../../shared/contract/errors'
import type { CommandDef, DomainContract, StreamDef } from '../../shared/contract/define'
import type { CommandName, Contract, EventOf, Params, ResultOf, StreamName } from '../../shared/contract'

/** Who is calling: which transport and connection, for logs and per-peer cleanup. */
export interface CallContext {
  readonly transport: 'ipc' | 'websocket' | 'memory'
  readonly peer: string
  /**
   * Whether the peer is on this machine, from its socket's address (set by the headless host).
   * IPC peers are the desktop app's own windows. Unset on a WebSocket: treat it as remote.
   */
  readonly loopback?: boolean
}

export interface StreamSink<E> {
  emit(event: E): void
  /** Ends the subscription from the server side, optionally with an error. */
  end(error?: AppErrorShape): void
}

export type CommandHandler<N extends CommandName> = (
  params: Params<N>,
  ctx: CallContext,
) => ResultOf<N> | Promise<ResultOf<N>>

/** Starts a subscription and returns what tears it down. */
export type StreamHandler<N extends StreamName> = (
  params: Params<N>,
  sink: StreamSink<EventOf<N>>,
  ctx: CallContext,
) => () => void

/**
 * The handler of every name in one domain's part of the contract: leaving one out, misspelling
 * one or answering the wrong shape is a type error where the domain is written, not a start-up
 * error in the engine.
 */
export type HandlersOf<C extends DomainContract> = {
  [N in keyof C]: C[N] extends CommandDef<infer P, infer R>
    ? (params: z.output<P>, ctx: CallContext) => z.output<R> | Promise<z.output<R>>
    : C[N] extends StreamDef<infer P, infer E>
      ? (params: z.output<P>, sink: StreamSink<z.output<E>>, ctx: CallContext) => () => void
      : never
}

/** Some handlers of the whole contract, as the registry takes them (a domain's, or a test's own). */
export type DomainHandlers = Partial<HandlersOf<Contract>>
