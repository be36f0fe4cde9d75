import type { CandleworkClient } from '../../shared/rpc/client'
import { connectClient, type Connection, type ConnectionStatus } from './client'

let current: Connection | undefined
const restoredListeners = new Set<() => void>()

/**
 * Opens the one connection to the engine (idempotent); `onStatus` hears every state change.
 * Streams survive a reconnect by themselves (the client subscribes them again); what a store
 * fetched as a snapshot may have missed events, so it refreshes in `onReconnected`.
 */
export function connect(onStatus: (s: ConnectionStatus) => void): CandleworkClient {
  current ??= connectClient({
    onStatus,
    onRestored: () => {
      for (const listener of [...restoredListeners]) listener()
    },
  })
  return current.client
}

/** The typed client every feature's actions call. */
export function client(): CandleworkClient {
  if (!current) throw new Error('Candlework is not connected yet: call connect() first')
  return current.client
}

/** Runs `listener` each time the connection comes back after a drop; returns what removes it. */
export function onReconnected(listener: () => void): () => void {
  restoredListeners.add(listener)
  return () => restoredListeners.delete(listener)
}

/** The trader's "Reconnect now": skips the wait between attempts. */
export function reconnectNow(): void {
  current?.retryNow()
}
