import type { runnerContract } from '../../shared/contract/runner'
import { AppError } from '../../shared/contract/errors'
import type { Domain } from '../domain'
import type { ExportFileChooser } from '../journal-files/save-export'
import { writeDriftCsv } from './drift-csv'
import { RunnerService, type RunnerOptions } from './service'

export interface RunnerDomain extends Domain<typeof runnerContract> {
  readonly service: RunnerService
}

/**
 * Strategies on paper and live accounts (docs/BACKTEST.md "Running strategies on accounts"): runs decide on
 * closed bars with the backtester's code and trade through the order path and the risk engine.
 */
export function createRunnerDomain(
  deps: RunnerOptions & {
    /** The desktop's save dialog (runner.exportDrift); the headless host downloads instead. */
    chooseExportFile?: ExportFileChooser | undefined
  },
): RunnerDomain {
  const service = new RunnerService(deps)
  return {
    name: 'runner',
    service,
    handlers: {
      'runner.start': (p) => service.startRun(p),
      'runner.pause': ({ runId }) => service.pause(runId),
      'runner.resume': ({ runId }) => service.resume(runId),
      'runner.stop': ({ runId, closePositions }) => service.stop(runId, closePositions),
      'runner.drift': ({ runId }) => service.drift(runId),
      'runner.exportDrift': async ({ runId }) => {
        const choose = deps.chooseExportFile
        if (!choose) {
          throw new AppError(
            'unavailable',
            'Saving a drift report to a file needs the desktop app; in a browser it downloads (GET /export/drift.csv?run=ID)',
          )
        }
        const report = service.drift(runId)
        const day = new Date(deps.clock.now()).toISOString().slice(0, 10)
        const file = await choose({
          kind: 'drift report',
          defaultName: `candlework-drift-${runId}-${day}.csv`,
        })
        if (!file) return { file: null, rows: 0 }
        const r = await writeDriftCsv(file, report)
        return { file: r.file, rows: r.rows }
      },
      'runner.setSchedule': ({ runId, schedule }) => service.setSchedule(runId, schedule),
      'runner.list': () => service.list(),
    },
    start: () => {
      service.start().catch((err: unknown) => deps.log.error('strategy runs did not resume', err))
    },
    close: () => service.close(),
  }
}
