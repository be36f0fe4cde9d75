import parser from 'cron-parser'
import type { TaskKind } from '../kinds'
import type { JobEvents } from '../ports'

/** One account's realized P&L per symbol over a range (trading's `day-pnl.ts` `dayPnl` fits). */
export interface DayPnlSource {
  dayPnl(
    from: number,
    to: number,
  ): readonly {
    accountName: string
    symbols: readonly { symbol: string; quote: string; realized: string; fills: number }[]
  }[]
}

export interface DailyPnlDeps {
  pnl: DayPnlSource
  /** Where the summary goes: an alert event (`job` alerts with `summary` deliver it; switching the task on creates one if none). */
  events?: JobEvents
  now: () => number
}

/** The local midnight that starts the day of `t - 1 ms` in `timeZone`: a run at midnight sums up the day before. */
export function dayStart(t: number, timeZone: string): number {
  return parser
    .parseExpression('0 0 * * *', { tz: timeZone, currentDate: new Date(t) })
    .prev()
    .toDate()
    .getTime()
}

const signed = (d: string): string => (d.startsWith('-') ? d : `+${d}`)

/** The summary in words: per account, each symbol's realized P&L (exact, in its quote) and fills. */
export function summaryText(
  day: string,
  timeZone: string,
  accounts: ReturnType<DayPnlSource['dayPnl']>,
): string {
  const head = `Daily P&L ${day} (${timeZone})`
  if (accounts.length === 0) return `${head}: no fills`
  const parts = accounts.map(
    (a) =>
      `${a.accountName}: ${a.symbols
        .map(
          (s) =>
            `${s.symbol} ${signed(s.realized)} ${s.quote} (${s.fills} ${s.fills === 1 ? 'fill' : 'fills'})`,
        )
        .join(', ')}`,
  )
  return `${head}: ${parts.join('; ')}`
}

/**
 * The daily P&L summary: realized P&L of every account and symbol from the local midnight of the
 * task's time zone to the run's time (a run at midnight: the whole day before), raised as a job
 * `summary` event for the alerts domain to deliver, and kept as the run's message.
 */
export function dailyPnlKind(deps: DailyPnlDeps): TaskKind {
  return {
    kind: 'daily-pnl',
    label: 'Daily P&L summary',
    about:
      "Sums up each account's realized P&L of the day, per symbol, and sends it as a notification (switching it on adds an alert on job summaries if there is none).",
    defaults: {
      schedule: { type: 'cron', cron: '0 22 * * *', timeZone: 'UTC' },
      enabled: false,
      catchUp: 'skip',
    },
    onEnabled: async () =>
      deps.events?.ensureJobAlert?.({ event: 'summary', task: 'daily-pnl', name: 'Daily P&L summary' }),
    async run(ctx) {
      const to = ctx.scheduledFor
      const from = dayStart(to, ctx.timeZone)
      const day = new Intl.DateTimeFormat('en-CA', {
        timeZone: ctx.timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(from)
      const text = summaryText(day, ctx.timeZone, deps.pnl.dayPnl(from, to))
      deps.events?.jobEvent({
        event: 'summary',
        task: 'daily-pnl',
        label: 'Daily P&L summary',
        message: text,
        at: deps.now(),
      })
      return text
    },
  }
}
