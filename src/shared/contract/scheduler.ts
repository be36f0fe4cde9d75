import { z } from 'zod'
import { command, stream } from './define'

/**
 * The scheduler: the engine's recurring work (candle backfills, the daily P&L summary, alert
 * housekeeping; backups and strategy start/stop later), one stored task per kind, each on a cron
 * expression or an interval in an IANA time zone. Missed runs are caught up once (docs/ARCHITECTURE.md
 * "Scheduler").
 */

/** An IANA time zone name (`Europe/London`, `UTC`); checked against the runtime's zone database. */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz })
      return true
    } catch {
      return false
    }
  }, 'not a known IANA time zone (for example Europe/London, America/New_York, UTC)')

/** Five fields: minute hour day-of-month month day-of-week. Checked field by field by the engine. */
export const cronSchema = z.string().trim().min(1).max(200)

/** The shortest interval: a task more often than once a minute is a loop, not a schedule. */
export const MIN_INTERVAL_MS = 60_000

export const scheduleSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('cron'), cron: cronSchema, timeZone: timeZoneSchema }).strict(),
  z
    .object({
      type: z.literal('interval'),
      everyMs: z
        .number()
        .int()
        .min(MIN_INTERVAL_MS)
        .max(31 * 86_400_000),
      /** Only for how times are shown; an interval does not depend on it. */
      timeZone: timeZoneSchema,
    })
    .strict(),
])
export type Schedule = z.infer<typeof scheduleSchema>

/** What to do with runs missed while the app was closed or the machine asleep: one run, or none. */
export const catchUpSchema = z.enum(['run-once', 'skip'])
export type CatchUp = z.infer<typeof catchUpSchema>

export const runResultSchema = z.enum(['ok', 'failed', 'skipped'])

export const taskRunSchema = z.object({
  /** When it started (ms); for `skipped`, when the missed run was found. */
  startedAt: z.number(),
  /** The time it was due (a caught-up run's is the last missed one; `runNow`'s is when asked). */
  scheduledFor: z.number(),
  durationMs: z.number(),
  result: runResultSchema,
  /** `ok`: what it did; `failed`: why, in words; `skipped`: which runs were missed. */
  message: z.string(),
  /** Why it ran: on schedule, caught up after a miss, or asked for. */
  trigger: z.enum(['schedule', 'catch-up', 'manual']),
})
export type TaskRun = z.infer<typeof taskRunSchema>

export const taskSchema = z.object({
  /** The task's kind (`candle-backfill`, `daily-pnl`, `alert-housekeeping`, ...); one task per kind. */
  id: z.string(),
  label: z.string(),
  /** What the kind does, in words. */
  about: z.string(),
  schedule: scheduleSchema,
  /** The schedule in words (`At 18:00, Monday through Friday (Europe/London)`). */
  description: z.string(),
  enabled: z.boolean(),
  catchUp: catchUpSchema,
  /** The next five runs (ms), empty when disabled. */
  nextRuns: z.array(z.number()),
  nextRun: z.number().nullable(),
  running: z.boolean(),
  lastRun: taskRunSchema.nullable(),
})
export type Task = z.infer<typeof taskSchema>

export const describeResultSchema = z.object({
  description: z.string(),
  /** The next five runs (ms since the epoch) in the time zone given. */
  nextRuns: z.array(z.number()),
})

export const schedulerUpdateSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), tasks: z.array(taskSchema) }),
  /** A task changed: edited, started, finished (its `lastRun`), re-armed after a wake. */
  z.object({ type: z.literal('task'), task: taskSchema }),
])
export type SchedulerUpdate = z.infer<typeof schedulerUpdateSchema>

const taskId = z.string().min(1).max(64)

export const schedulerContract = {
  'scheduler.list': command({
    description:
      'Every scheduled task: its kind, schedule (cron or interval, time zone) and the schedule in words, the next five runs, whether it is running, and its last run (start, duration, result, what it did or why it failed).',
    params: z.object({}).strict(),
    result: z.array(taskSchema),
  }),
  'scheduler.describe': command({
    description:
      'A cron expression (minute hour day-of-month month day-of-week) in words with its next five runs in `timeZone`, for the editor as it is typed. A bad expression is refused with `validation` naming the field and its position (`hour (field 2): 25 is out of range 0-23`).',
    params: z.object({ cron: cronSchema, timeZone: timeZoneSchema }).strict(),
    result: describeResultSchema,
  }),
  'scheduler.update': command({
    description:
      "Changes a task's schedule, whether it is enabled, or its catch-up policy (`run-once`: one run for any number of missed ones; `skip`: none, the miss recorded). Given fields replace, others stay. A bad cron is refused as in `scheduler.describe`.",
    params: z
      .object({
        id: taskId,
        schedule: scheduleSchema.optional(),
        enabled: z.boolean().optional(),
        catchUp: catchUpSchema.optional(),
      })
      .strict(),
    result: taskSchema,
  }),
  'scheduler.runNow': command({
    description:
      'Runs a task now, outside its schedule, and answers when it has finished with the task and that run (a failure is a `failed` run, not an error). Refused with `conflict` while it is running.',
    params: z.object({ id: taskId }).strict(),
    result: taskSchema,
  }),
  'scheduler.updates': stream({
    description:
      'The tasks for the UI: first a `snapshot`, then a `task` event each time one changes or runs.',
    params: z.object({}).strict(),
    event: schedulerUpdateSchema,
  }),
}
