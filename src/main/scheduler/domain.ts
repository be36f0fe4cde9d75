import type { schedulerContract } from '../../shared/contract/scheduler'
import type { Domain } from '../domain'
import { nextCronRuns, describeCron } from './cron'
import { TaskKinds, type TaskKind } from './kinds'
import { SchedulerService, type SchedulerDeps } from './service'

export type SchedulerDomainDeps = Omit<SchedulerDeps, 'kinds'> & {
  /** The kinds known at start (the engine's built-in ones); others may register later. */
  kinds?: readonly TaskKind[]
}

export interface SchedulerDomain extends Domain<typeof schedulerContract> {
  readonly service: SchedulerService
  /** Where a domain registers a kind of recurring work (backups, strategy start/stop). */
  readonly kinds: TaskKinds
  /** For the desktop's powerMonitor 'resume': re-arms every job and catches up what was missed, once. */
  resume(): void
}

/**
 * The scheduler (docs/ARCHITECTURE.md "Scheduler"): stored tasks, one per registered kind, run on
 * a cron expression or an interval in a time zone through node-schedule, missed runs caught up
 * once after a restart or a sleep, each run recorded, a failure raised as an alert event.
 */
export function createSchedulerDomain(deps: SchedulerDomainDeps): SchedulerDomain {
  const kinds = new TaskKinds()
  for (const k of deps.kinds ?? []) kinds.register(k)
  const service = new SchedulerService({ ...deps, kinds })
  return {
    name: 'scheduler',
    service,
    kinds,
    resume: () => service.resume(),
    handlers: {
      'scheduler.list': () => service.list(),
      'scheduler.describe': ({ cron, timeZone }) => ({
        description: describeCron(cron, timeZone),
        nextRuns: nextCronRuns(cron, timeZone, deps.clock.now(), 5),
      }),
      'scheduler.update': ({ id, ...patch }) => service.update(id, patch),
      'scheduler.runNow': ({ id }) => service.runNow(id),
      'scheduler.updates': (_p, sink) => service.subscribe((u) => sink.emit(u)),
    },
    start: () => service.startSoon(),
    close: () => service.close(),
  }
}
