import type { DomainContract } from '../shared/contract/define'
import type { HandlersOf } from './rpc/handlers'

export type { HandlersOf } from './rpc/handlers'

/**
 * Something the engine starts and closes: a domain, or a resource several domains share (the
 * compute pool). `start` begins background work and returns at once (work that may take long,
 * such as trading's reconciliation, runs on and reports its own failures); `close` stops
 * everything the part made, timers and connections included.
 */
export interface Part {
  readonly name: string
  start?(): void
  close?(): void | Promise<void>
}

/** One domain: its handlers for its part of the contract, and its lifecycle. */
export interface Domain<C extends DomainContract> extends Part {
  readonly handlers: HandlersOf<C>
}
