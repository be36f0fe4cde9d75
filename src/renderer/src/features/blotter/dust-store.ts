import { create } from 'zustand'
import type { DustConversions } from '../../../../shared/contract/trading'
import type { DustRow } from './dust'

/** The Convert… dialog of an account's dust: what it lists, then what the engine did. */
export interface DustDialog {
  accountId: string
  /** The dust positions shown, and exactly what is converted (passed as `assets`). */
  rows: DustRow[]
  state: 'ready' | 'converting' | 'done' | 'failed'
  result: DustConversions | null
  error: string | null
}

export const useDustStore = create<{ dialog: DustDialog | null }>()(() => ({ dialog: null }))
