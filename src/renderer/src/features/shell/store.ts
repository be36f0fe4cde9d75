import { create } from 'zustand'
import type { ResultOf } from '../../../../shared/contract'
import type { ConnectionState, ConnectionStatus } from '../../client'

export type SystemInfo = ResultOf<'system.info'>

export const VIEWS = [
  { id: 'trade', label: 'Trade' },
  { id: 'backtest', label: 'Backtest' },
  { id: 'risk', label: 'Risk' },
  { id: 'alerts', label: 'Alerts' },
  { id: 'journal', label: 'Journal' },
  { id: 'health', label: 'Health' },
  { id: 'settings', label: 'Settings' },
] as const

export type ViewId = (typeof VIEWS)[number]['id']

interface ShellState {
  /** The link's state (features read only this). */
  connection: ConnectionState
  /** The same with the details the connection indicator shows (retry time, why it closed). */
  link: ConnectionStatus
  info: SystemInfo | null
  view: ViewId
}

export const useShellStore = create<ShellState>()(() => ({
  connection: 'connecting',
  link: { state: 'connecting', retryAt: null, failures: 0, reason: null },
  info: null,
  view: 'trade',
}))
