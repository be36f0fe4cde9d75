import type { CandleworkClient } from '../../shared/rpc/client'
import { connectClient, type ConnectionState } from './client'

let current: CandleworkClient | undefined

/** Opens the one connection to the engine (idempotent); `onState` hears every state change. */
export function connect(onState: (s: ConnectionState) => void): CandleworkClient {
  current ??= connectClient(onState)
  return current
}

/** The typed client every feature's actions call. */
export function client(): CandleworkClient {
  if (!current) throw new Error('Candlework is not connected yet: call connect() first')
  return current
}
