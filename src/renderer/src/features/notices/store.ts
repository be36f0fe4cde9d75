import { create } from 'zustand'
import type { AppErrorShape } from '../../../../shared/contract/errors'
import { useShellStore } from '../shell/store'

export type NoticeLevel = 'error' | 'warning' | 'info'

export interface NoticeAction {
  label: string
  run: () => void
}

export interface Notice {
  id: number
  level: NoticeLevel
  title: string
  message: string
  /** How many times the same notice was raised while it was showing. */
  count: number
  action?: NoticeAction
}

interface NoticesState {
  notices: Notice[]
}

/** The one place every failure in the app is reported to the trader. */
export const useNoticesStore = create<NoticesState>()(() => ({ notices: [] }))

const MAX_NOTICES = 5
const INFO_TTL_MS = 6_000
let nextId = 1

/** Raises a notice; an identical notice already showing is counted instead of repeated. */
export function notify(level: NoticeLevel, title: string, message: string, action?: NoticeAction): number {
  const existing = useNoticesStore
    .getState()
    .notices.find((n) => n.level === level && n.title === title && n.message === message)
  if (existing) {
    useNoticesStore.setState((s) => ({
      notices: s.notices.map((n) => (n.id === existing.id ? { ...n, count: n.count + 1 } : n)),
    }))
    return existing.id
  }
  const notice: Notice = { id: nextId++, level, title, message, count: 1 }
  if (action) notice.action = action
  useNoticesStore.setState((s) => ({ notices: [...s.notices, notice].slice(-MAX_NOTICES) }))
  if (level === 'info') setTimeout(() => dismiss(notice.id), INFO_TTL_MS)
  return notice.id
}

/**
 * Reports a failed command or stream: what was being done, then the engine's own message.
 * Returns the notice's id, or null when nothing was raised: a call that failed because the link
 * to the engine is down is already told by the one connection notice (shell/actions.ts), and a
 * notice per feature would bury it and the controls under it.
 */
export function reportError(title: string, error: AppErrorShape, action?: NoticeAction): number | null {
  if (error.kind === 'unavailable' && useShellStore.getState().connection !== 'open') return null
  const level: NoticeLevel =
    error.kind === 'rate_limited' || error.kind === 'unavailable' ? 'warning' : 'error'
  return notify(level, title, error.message, action)
}

export function dismiss(id: number): void {
  useNoticesStore.setState((s) => ({ notices: s.notices.filter((n) => n.id !== id) }))
}
