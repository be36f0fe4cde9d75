import type { TaskKind } from '../scheduler/kinds'
import type { RunnerService } from './service'

/**
 * The scheduler's task kinds for strategy runs (docs/BACKTEST.md "Starting and stopping on a
 * schedule"), the names the scheduler keeps for them (`strategy-start`, `strategy-stop`). One
 * task each, as every kind has: its time is set with scheduler.update, and which runs it moves
 * with runner.setSchedule. Both are off until the trader switches them on, and a run missed while
 * the app was closed is not caught up: starting a strategy hours late is not what was scheduled.
 */
export function runScheduleKinds(
  runner: Pick<RunnerService, 'scheduledStart' | 'scheduledStop'>,
): TaskKind[] {
  return [
    {
      kind: 'strategy-start',
      label: 'Start strategies',
      about:
        'Resumes every paused strategy run marked "start on schedule" (runner.setSchedule); a run a protection or its own error paused stays paused.',
      defaults: {
        schedule: { type: 'cron', cron: '0 8 * * 1-5', timeZone: 'UTC' },
        enabled: false,
        catchUp: 'skip',
      },
      run: () => Promise.resolve(words('resumed', runner.scheduledStart())),
    },
    {
      kind: 'strategy-stop',
      label: 'Stop strategies',
      about:
        'Pauses every running strategy run marked "stop on schedule" (runner.setSchedule), closing its own position at market where it is marked so (through the risk engine).',
      defaults: {
        schedule: { type: 'cron', cron: '0 20 * * 1-5', timeZone: 'UTC' },
        enabled: false,
        catchUp: 'skip',
      },
      run: async () => words('paused', await runner.scheduledStop()),
    },
  ]
}

function words(verb: string, runs: readonly string[]): string {
  return runs.length === 0
    ? `no strategy run to ${verb === 'resumed' ? 'start' : 'stop'}`
    : `${verb} ${runs.length} strategy run${runs.length === 1 ? '' : 's'}: ${runs.join(', ')}`
}
