import { create } from 'zustand'
import type { ResultOf } from '../../../../shared/contract'
import type { ConnectionState, ConnectionStatus } from '../../client'

export type SystemInfo = ResultOf<'system.info'>

interface ShellState {
  /** The link's state (features read only this). */
  connection: ConnectionState
  /** The same with the details the connection indicator shows (retry time, why it closed). */
  link: ConnectionStatus
  info: SystemInfo | null
}

export const useShellStore = create<ShellState>()(() => ({
  connection: 'connecting',
  link: { state: 'connecting', retryAt: null, failures: 0, reason: null },
  info: null,
}))
