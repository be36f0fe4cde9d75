import { create } from 'zustand'
import type { ResultOf } from '../../../../shared/contract'
import type { ConnectionState } from '../../client'

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
  connection: ConnectionState
  info: SystemInfo | null
  view: ViewId
}

export const useShellStore = create<ShellState>()(() => ({
  connection: 'connecting',
  info: null,
  view: 'trade',
}))
