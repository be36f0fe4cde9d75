import { client } from '../connection'
import { Slot, type ScopePorts } from './scope'
import { SharedStreams } from './shared-streams'
import { reportStreamEnd } from './stream-end'

/**
 * The renderer's one pattern for "command result + stream events -> state" (see
 * docs/ARCHITECTURE.md, Renderer): a feature keeps one Slot per thing it shows, opens a scope
 * when that thing changes, asks and follows through the scope, and writes what arrives into its
 * zustand store.
 */

/** The window's streams: each key subscribed once, however many features follow it. */
export const streams = new SharedStreams(
  (name, params, onEvent, onEnd) => client().subscribe(name, params, onEvent, onEnd),
  reportStreamEnd,
)

const appPorts = (): ScopePorts => ({
  invoke: (name, params) => client().invoke(name, params),
  streams,
})

/** A slot on the app's client and shared streams. */
export const slot = <K = string>(): Slot<K> => new Slot<K>(appPorts)

export { Scope, Slot } from './scope'
export { keepLast, type FollowOptions, type Join } from './shared-streams'
export { reportStreamEnd } from './stream-end'
