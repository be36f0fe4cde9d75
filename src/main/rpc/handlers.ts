import type { AppErrorShape } from '../../shared/contract/errors'
import type { CommandName, EventOf, Params, ResultOf, StreamName } from '../../shared/contract'

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

export type CommandHandlers = { [N in CommandName]: CommandHandler<N> }
export type StreamHandlers = { [N in StreamName]: StreamHandler<N> }
/** What one domain module contributes; the registry merges them. */
export type DomainHandlers = Partial<CommandHandlers & StreamHandlers>
