import { create } from 'zustand'
import type { Alert, Firing } from '../../../../shared/contract/alerts'
import { readSoundSetting, type SoundSetting } from './alert-sound'
import { NO_FILTER, type HistoryFilter } from './history-filter-model'

/** What the browser lets this page do with notifications; `unsupported` where it has none. */
export type NotifyPermission = 'default' | 'granted' | 'denied' | 'unsupported'

export interface AlertsState {
  /** Every alert, newest first; null until the engine answered the list. */
  alerts: Alert[] | null
  /** Firings not yet read (the nav's badge). */
  unread: number
  /** The latest firings, newest first; null until asked for. */
  history: Firing[] | null
  /** Whether the page may show the browser's notifications (headless host). */
  permission: NotifyPermission
  /** Which firings play the alert sound (alert-sound.ts), as stored in this browser. */
  sound: SoundSetting
  /** The history's filter (history-filter.ts), and its firings while one is set. */
  filter: HistoryFilter
  filtered: Firing[] | null
}

/**
 * The alerts as the engine has them and the firings seen: written only by alerts' actions
 * (live.ts follows `alerts.updates` for the whole app, actions.ts answers the view).
 */
export const useAlertsStore = create<AlertsState>()(() => ({
  alerts: null,
  unread: 0,
  history: null,
  permission: 'unsupported',
  sound: readSoundSetting(),
  filter: NO_FILTER,
  filtered: null,
}))
