import { create } from 'zustand'
import type { AppErrorShape } from '../../../../shared/contract/errors'
import { useShellStore } from '../shell/store'

export type NoticeLevel = 'error' | 'warning' | 'info'

export interface NoticeAction {
  label: string
  run: () => void
}

/** Why a notice no longer shows as a toast (it stays in the list). */
export type NoticeEnd = 'timed-out' | 'dismissed' | 'resolved' | 'replaced'

export interface Notice {
  id: number
  level: NoticeLevel
  title: string
  message: string
  /** How many times the same notice was raised while it was showing. */
  count: number
  action?: NoticeAction
  /** The condition it reports ('connection'): a notice with the same key replaces it. */
  key?: string
  /** When it was first raised and last raised again (ms since the epoch). */
  raisedAt: number
  updatedAt: number
  /** When the toast goes by itself (ms since the epoch); null while paused or for errors. */
  expiresAt: number | null
  /** Time left while the pointer rests on it (paused); null when not paused. */
  remainingMs: number | null
  /** Set once it no longer shows as a toast. */
  ended: NoticeEnd | null
}

interface NoticesState {
  /** The toasts showing, oldest first. */
  notices: Notice[]
  /** Every notice of the session, oldest first, toasts included (capped at HISTORY_MAX). */
  history: Notice[]
  nextId: number
  /** Ids up to this one were seen in the open list: the rest count as new on the bell. */
  seenId: number
  listOpen: boolean
}

/** The one place every failure in the app is reported to the trader. */
export const useNoticesStore = create<NoticesState>()(() => ({
  notices: [],
  history: [],
  nextId: 1,
  seenId: 0,
  listOpen: false,
}))

/** How long a toast shows by itself; errors stay until dismissed or their condition resolves. */
export const TTL_MS: Record<NoticeLevel, number | null> = { info: 6_000, warning: 12_000, error: null }
/** Toasts shown at once; the rest are behind "+N more", which opens the list. */
export const MAX_VISIBLE = 3
const MAX_TOASTS = 20
const HISTORY_MAX = 200

export interface NotifyOptions {
  /** The condition this notice reports: it replaces a showing notice with the same key. */
  key?: string
}

const expiry = (level: NoticeLevel, now: number): number | null => {
  const ttl = TTL_MS[level]
  return ttl === null ? null : now + ttl
}

/** Applies `change` to the notice `id` in both the toasts and the list. */
function patch(s: NoticesState, ids: Set<number>, change: (n: Notice) => Notice): Partial<NoticesState> {
  return {
    notices: s.notices.map((n) => (ids.has(n.id) ? change(n) : n)),
    history: s.history.map((n) => (ids.has(n.id) ? change(n) : n)),
  }
}

/** Takes the toasts `ids` away, keeping them in the list with the reason. */
function end(s: NoticesState, ids: Set<number>, why: NoticeEnd): Partial<NoticesState> {
  if (ids.size === 0) return {}
  return {
    notices: s.notices.filter((n) => !ids.has(n.id)),
    history: s.history.map((n) =>
      ids.has(n.id) ? { ...n, ended: why, expiresAt: null, remainingMs: null } : n,
    ),
  }
}

/**
 * Raises a notice; an identical notice already showing is counted (and its time restarted)
 * instead of repeated. With a `key`, it replaces the showing notice of the same condition.
 */
export function notify(
  level: NoticeLevel,
  title: string,
  message: string,
  action?: NoticeAction,
  options: NotifyOptions = {},
): number {
  const now = Date.now()
  const s = useNoticesStore.getState()
  const { key } = options
  const existing = s.notices.find(
    (n) => n.level === level && n.title === title && n.message === message && n.key === key,
  )
  if (existing) {
    useNoticesStore.setState(
      patch(s, new Set([existing.id]), (n) => ({
        ...n,
        count: n.count + 1,
        updatedAt: now,
        expiresAt: n.remainingMs === null ? expiry(level, now) : null,
        remainingMs: n.remainingMs === null ? null : TTL_MS[level],
      })),
    )
    return existing.id
  }
  const notice: Notice = {
    id: s.nextId,
    level,
    title,
    message,
    count: 1,
    raisedAt: now,
    updatedAt: now,
    expiresAt: expiry(level, now),
    remainingMs: null,
    ended: null,
  }
  if (action) notice.action = action
  if (key !== undefined) notice.key = key
  useNoticesStore.setState((st) => {
    const base = { ...st, ...(key === undefined ? {} : end(st, idsOf(st.notices, key), 'replaced')) }
    const next: NoticesState = {
      ...base,
      nextId: st.nextId + 1,
      notices: [...base.notices, notice],
      history: [...base.history, notice].slice(-HISTORY_MAX),
    }
    // Past the cap, the oldest toasts go (they stay in the list).
    const over = next.notices.slice(0, Math.max(0, next.notices.length - MAX_TOASTS))
    return { ...next, ...end(next, new Set(over.map((n) => n.id)), 'timed-out') }
  })
  return notice.id
}

const idsOf = (notices: Notice[], key: string): Set<number> =>
  new Set(notices.filter((n) => n.key === key).map((n) => n.id))

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

/** The trader closed the toast: it stays in the list. */
export function dismiss(id: number): void {
  useNoticesStore.setState((s) => end(s, new Set([id]), 'dismissed'))
}

/** The condition `key` is over: its toast goes, and the list says it was resolved. */
export function resolve(key: string): void {
  useNoticesStore.setState((s) => end(s, idsOf(s.notices, key), 'resolved'))
}

/** Takes away the toasts whose time is up at `now`; returns the next expiry, if any. */
export function expireDue(now: number = Date.now()): number | null {
  const s = useNoticesStore.getState()
  const due = new Set(s.notices.filter((n) => n.expiresAt !== null && n.expiresAt <= now).map((n) => n.id))
  if (due.size > 0) useNoticesStore.setState(end(s, due, 'timed-out'))
  return nextExpiry(useNoticesStore.getState().notices)
}

/** The earliest time a showing toast goes by itself, or null when none will. */
export function nextExpiry(notices: Notice[]): number | null {
  let next: number | null = null
  for (const n of notices)
    if (n.expiresAt !== null && (next === null || n.expiresAt < next)) next = n.expiresAt
  return next
}

/** The pointer rests on the toast: its time stops running. */
export function pause(id: number, now: number = Date.now()): void {
  useNoticesStore.setState((s) =>
    patch(s, new Set([id]), (n) =>
      n.expiresAt === null ? n : { ...n, remainingMs: Math.max(0, n.expiresAt - now), expiresAt: null },
    ),
  )
}

/** The pointer left the toast: its time runs on from where it stopped. */
export function resume(id: number, now: number = Date.now()): void {
  useNoticesStore.setState((s) =>
    patch(s, new Set([id]), (n) =>
      n.remainingMs === null ? n : { ...n, expiresAt: now + n.remainingMs, remainingMs: null },
    ),
  )
}

/** The toasts to show (newest last) and how many more wait behind "+N more". */
export function visibleToasts(
  notices: Notice[],
  max: number = MAX_VISIBLE,
): { shown: Notice[]; hidden: number } {
  // Errors first: a failure must not be pushed out of sight by information.
  const ranked = [...notices].sort((a, b) => rank(a) - rank(b) || a.id - b.id)
  const keep = new Set(ranked.slice(-max).map((n) => n.id))
  return { shown: notices.filter((n) => keep.has(n.id)), hidden: Math.max(0, notices.length - max) }
}

const rank = (n: Notice): number => (n.level === 'error' ? 2 : n.level === 'warning' ? 1 : 0)

export function openList(open: boolean): void {
  useNoticesStore.setState((s) => (open ? { listOpen: true, seenId: s.nextId - 1 } : { listOpen: false }))
}

/** Empties the list; toasts still showing stay on screen. */
export function clearList(): void {
  useNoticesStore.setState((s) => ({ history: [], seenId: s.nextId - 1 }))
}
