import type { TaskKind } from '../kinds'

/** The alerts store's pruning (`AlertService.pruneHistory` fits). */
export interface AlertHistoryPruner {
  /** Deletes delivery attempts, and read firings, older than `before` (ms); answers how many. */
  pruneHistory(before: number): { firings: number; deliveries: number }
}

export interface AlertHousekeepingDeps {
  alerts: AlertHistoryPruner
  /** Days of history kept (default 90). */
  keepDays?: number
}

const DAY = 86_400_000

/** Keeps the alert history from growing without end: one indexed DELETE a day, off-hours. */
export function alertHousekeepingKind(deps: AlertHousekeepingDeps): TaskKind {
  const days = deps.keepDays ?? 90
  return {
    kind: 'alert-housekeeping',
    label: 'Alert housekeeping',
    about: `Deletes alert delivery logs and read firings older than ${days} days (unread firings are kept).`,
    defaults: {
      schedule: { type: 'cron', cron: '30 3 * * *', timeZone: 'UTC' },
      enabled: true,
      catchUp: 'run-once',
    },
    async run(ctx) {
      const { firings, deliveries } = deps.alerts.pruneHistory(ctx.now - days * DAY)
      return `deleted ${firings} firings and ${deliveries} delivery attempts older than ${days} days`
    },
  }
}
