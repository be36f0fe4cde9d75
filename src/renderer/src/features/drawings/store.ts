import { create } from 'zustand'
import type { Drawing } from '../../../../shared/contract/drawings'
import type { Tool } from './tools'

export interface DrawingsState {
  /** The series whose drawings these are (the chart's source and symbol), or null. */
  series: { source: string; symbol: string } | null
  list: Drawing[]
  selected: string | null
  tool: Tool
  canUndo: boolean
  canRedo: boolean
}

export const useDrawings = create<DrawingsState>()(() => ({
  series: null,
  list: [],
  selected: null,
  tool: 'cursor',
  canUndo: false,
  canRedo: false,
}))
